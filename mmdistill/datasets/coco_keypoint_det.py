"""COCO person keypoints as a detection dataset (boxes + keypoints per instance)."""
from typing import List

from mmdet.datasets import CocoDataset
from mmdet.registry import DATASETS

from mmdistill.labeling import coco_to_keypoints, flip_indices_from_names


@DATASETS.register_module()
class CocoKeypointDetDataset(CocoDataset):
    """mmdet's ``CocoDataset`` that also reads each instance's keypoints.

    mmdet's dataset ignores ``keypoints``; mmpose's COCO datasets give one sample per person
    (top-down) or no boxes in mmdet's format, so a detector with a keypoint branch needs this.
    Each kept instance gains ``keypoints`` (K, 3): continuous x, y (see
    :mod:`mmdistill.labeling.keypoints`) and the COCO visibility v. Instances are kept or dropped
    exactly as mmdet does; extra annotation fields (``score``, ``keypoint_scores`` of pseudo-label
    files) are ignored. The keypoint names, skeleton and left/right ``flip_indices`` come from the
    annotation file's category (or, for image lists without them, from
    ``metainfo=dict(keypoint_names=...)``) and are added to ``metainfo``; every sample also
    carries ``num_keypoints`` and ``flip_indices`` for the keypoint transforms.

    ``filter_cfg`` additionally takes ``min_visible_keypoints``: in training, drop images whose
    non-crowd instances have fewer labeled keypoints in total (Detectron keeps only images with
    at least one).
    """

    METAINFO = dict(classes=('person', ), palette=[(220, 20, 60)])
    SAMPLE_META_KEYS = ('num_keypoints', 'flip_indices')
    _keypoint_metainfo_read = False

    def parse_data_info(self, raw_data_info: dict) -> dict:
        if not self._keypoint_metainfo_read:
            self._read_keypoint_metainfo()
        num_keypoints = self._metainfo['num_keypoints']
        data_info = super().parse_data_info({**raw_data_info, 'raw_ann_info': []})
        for ann in raw_data_info['raw_ann_info']:
            # parse one annotation at a time so mmdet's own rules decide what is kept
            kept = super().parse_data_info({**raw_data_info, 'raw_ann_info': [ann]})['instances']
            for instance in kept:
                try:
                    instance['keypoints'] = coco_to_keypoints(ann.get('keypoints'), num_keypoints)
                except ValueError as error:
                    raise ValueError(
                        f'{self.ann_file}: annotation {ann.get("id")}: {error}') from error
                data_info['instances'].append(instance)
        return data_info

    def _read_keypoint_metainfo(self) -> None:
        """Keypoint names (and skeleton) of the file's keypoint category, else of ``metainfo``."""
        categories = [cat for cat in self.coco.load_cats(self.cat_ids) if cat.get('keypoints')]
        if categories:
            names = list(categories[0]['keypoints'])
            self._metainfo['skeleton'] = categories[0].get('skeleton', [])
        elif self._metainfo.get('keypoint_names'):
            names = list(self._metainfo['keypoint_names'])
        else:
            raise ValueError(f'{self.ann_file}: no category among {self.metainfo["classes"]} '
                             'lists keypoint names ("keypoints"); give them as '
                             'metainfo=dict(keypoint_names=[...])')
        self._metainfo.update(
            keypoint_names=names, num_keypoints=len(names),
            flip_indices=flip_indices_from_names(names))
        self._keypoint_metainfo_read = True

    def filter_data(self) -> List[dict]:
        data_list = super().filter_data()
        min_keypoints = (self.filter_cfg or {}).get('min_visible_keypoints', 0)
        if self.test_mode or min_keypoints <= 0:
            return data_list
        return [
            data_info for data_info in data_list
            if sum(int((inst['keypoints'][:, 2] > 0).sum()) for inst in data_info['instances']
                   if not inst['ignore_flag']) >= min_keypoints
        ]

    def get_data_info(self, idx: int) -> dict:
        data_info = super().get_data_info(idx)
        data_info.update({key: self._metainfo[key] for key in self.SAMPLE_META_KEYS})
        return data_info
