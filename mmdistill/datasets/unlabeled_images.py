"""Unlabeled images for inference (pseudo-labeling), readable or not."""
import io
import os.path as osp
import warnings
from typing import Callable, List, Optional, Sequence, Set, Union

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.fileio import get
from mmengine.logging import print_log
from mmengine.registry import DATASETS
from PIL import Image, UnidentifiedImageError

from mmdistill.labeling import flip_indices_from_names
from mmdistill.labeling.person_boxes import load_person_boxes
from mmdistill.labeling.pseudo_label_file import load_unlabeled_images
from mmdistill.labeling.shards import done_ids

PLACEHOLDER_SHAPE = (32, 32, 3)  # what the model sees instead of an unreadable image


def _check_decodable(data: bytes) -> None:
    """Raise if ``data`` is not a complete image (PIL raises on truncated data)."""
    if not data:
        raise ValueError('empty file')
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except UnidentifiedImageError:
        raise ValueError('not an image') from None


@DATASETS.register_module()
class UnlabeledImageDataset(BaseDataset):
    """The images of a COCO image-info file or of a folder, in image-id order, for any model.

    mmdet's and mmpose's datasets need annotations and crash on an unreadable image; a
    pseudo-labeling run over 100k+ unlabeled images must instead skip and count it. Here an
    image that cannot be decoded (missing, truncated, zero bytes, not an image) becomes a
    *marked sample*: the rest of the pipeline runs on a black placeholder, so every model and
    batch size work unchanged, and the sample says it is unreadable. Every sample's data
    samples carry the metainfo ``image_info`` (``id, file_name, width, height``, the image's
    COCO entry) and ``readable``; :class:`~mmdistill.engine.PseudoLabelHook` reads both.

    The pipeline's first transform must load the image (``LoadImageFromFile``, mmpose's
    ``LoadImage``, ...): it and a full decode of the file decide readability (OpenCV decodes a
    truncated JPEG without error); errors of the later transforms are real errors and propagate.
    Split the images over ranks with ``DefaultSampler(shuffle=False, round_up=False)``: each
    rank then sees ascending ids, once each.

    Args:
        ann_file: A COCO image-info file (``images`` with ``id, file_name, width, height``, e.g.
            ``image_info_unlabeled2017.json``; ``file_name`` under ``data_prefix['img']``) or a
            folder of images (any case of extension; ids 1, 2, ... in file-name order).
        skip_done_in: A shard directory (:mod:`mmdistill.labeling.shards`) of an interrupted
            run: its images are left out (resume).
        metainfo: ``keypoint_names`` (and ``skeleton``) of the keypoint category; the names give
            every sample its left/right ``flip_indices`` for flipped views.
        bbox_file: Person boxes for a top-down model: a COCO detection-results file (mmpose's
            ``bbox_file``; :mod:`mmdistill.labeling.person_boxes`). Every sample then carries
            its image's boxes as ``bbox`` (N, 4) xyxy and ``bbox_score`` (N, ), which mmpose's
            ``PackPoseInputs`` packs into ``gt_instances``; an image without boxes has N = 0.
        bbox_thr: Boxes scoring below it are dropped. The default 0 keeps every box, as mmpose
            does without ``filter_cfg.bbox_score_thr``: the detector's own test score threshold
            has already applied, and the pseudo-label calibration chooses the persons to keep
            (raising it only saves time on boxes that calibration would drop).
    """

    def __init__(self,
                 ann_file: str,
                 skip_done_in: Optional[str] = None,
                 bbox_file: Optional[str] = None,
                 bbox_thr: float = 0.0,
                 metainfo: Optional[dict] = None,
                 data_prefix: dict = dict(img=''),
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 **kwargs) -> None:
        self.skip_done_in = skip_done_in
        self.bbox_file = bbox_file
        self.bbox_thr = bbox_thr
        super().__init__(ann_file=ann_file, metainfo=metainfo, data_prefix=data_prefix,
                         pipeline=list(pipeline), test_mode=True, **kwargs)
        if not self.pipeline.transforms:
            raise ValueError('UnlabeledImageDataset needs a pipeline that loads the image first')
        self.load, self.transforms = self.pipeline.transforms[0], self.pipeline.transforms[1:]

    def load_data_list(self) -> List[dict]:
        names = self._metainfo.get('keypoint_names')
        if names:
            self._metainfo['flip_indices'] = flip_indices_from_names(names)
        prefix = self.ann_file if osp.isdir(self.ann_file) else self.data_prefix.get('img', '')
        done = done_ids(self.skip_done_in) if self.skip_done_in else set()
        images = load_unlabeled_images(self.ann_file)
        data_list = [
            dict(image_info=image, img_id=image['id'],
                 img_path=osp.join(prefix, image['file_name']))
            for image in images if image['id'] not in done
        ]
        print_log(f'{self.ann_file}: {len(data_list)} images to label ({len(images)} in total, '
                  f'{len(images) - len(data_list)} done before)', logger='current')
        if self.bbox_file:
            self._add_person_boxes(data_list, {image['id'] for image in images})
        return data_list

    def _add_person_boxes(self, data_list: List[dict], image_ids: Set[int]) -> None:
        boxes = load_person_boxes(self.bbox_file, image_ids, self.bbox_thr,
                                  f'the images of {self.ann_file}')
        for data_info in data_list:
            image_boxes, scores = boxes.get(data_info['img_id'], ([], []))
            data_info['bbox'] = np.array(image_boxes, np.float32).reshape(-1, 4)
            data_info['bbox_score'] = np.array(scores, np.float32)
        print_log(f'{self.bbox_file}: {sum(len(s) for _, s in boxes.values())} person boxes '
                  f'scoring >= {self.bbox_thr} on {len(boxes)} of {len(image_ids)} images',
                  logger='current')

    def _serialize_data(self):
        if not self.data_list:  # all done before: a resumed run that only writes the file
            return np.zeros(0, np.uint8), np.zeros(0, np.int64)
        return super()._serialize_data()

    def get_data_info(self, idx: int) -> dict:
        data_info = super().get_data_info(idx)
        if 'flip_indices' in self._metainfo:
            data_info['flip_indices'] = self._metainfo['flip_indices']
        return data_info

    def prepare_data(self, idx: int) -> dict:
        data_info = self.get_data_info(idx)
        readable = True
        try:
            _check_decodable(get(data_info['img_path'], getattr(self.load, 'backend_args', None)))
            results = self.load(dict(data_info))
            if results is None:
                raise ValueError('the loading transform returned None')
        except Exception as error:  # noqa: BLE001  (any loading failure = unreadable)
            warnings.warn(f'skipping unreadable image {data_info["image_info"]["file_name"]} '
                          f'(id {data_info["img_id"]}): {error}')  # on every rank
            readable = False
            img = np.zeros(PLACEHOLDER_SHAPE, np.uint8)
            results = dict(data_info, img=img, img_shape=img.shape[:2], ori_shape=img.shape[:2])
        for transform in self.transforms:
            results = transform(results)
        samples = results['data_samples']
        for sample in samples if isinstance(samples, list) else [samples]:
            sample.set_metainfo(dict(image_info=data_info['image_info'], readable=readable))
        return results
