"""Keypoints and skeletons on detector outputs, drawn as mmpose draws them."""
import os.path as osp
from functools import lru_cache
from typing import Optional, Tuple, Union

import mmpose
import numpy as np
import torch
from mmdet.registry import VISUALIZERS
from mmengine.structures import BaseDataElement, InstanceData
from mmpose.datasets.datasets.utils import parse_pose_metainfo
from mmpose.structures import PoseDataSample
from mmpose.visualization import PoseLocalVisualizer


@lru_cache()
def coco_pose_metainfo() -> dict:
    """mmpose's COCO keypoint metainfo (names, skeleton links, colours)."""
    return parse_pose_metainfo(dict(from_file=osp.join(
        osp.dirname(mmpose.__file__), '.mim', 'configs', '_base_', 'datasets', 'coco.py')))


def _numpy(value):
    value = getattr(value, 'tensor', value)  # mmdet's box types
    return value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else value


def _pose_instances(instances: InstanceData, keep: Optional[np.ndarray] = None) -> InstanceData:
    """``instances`` (boxes, keypoints) as numpy, with ``keypoints_visible`` = the keypoint
    scores of a prediction (mmpose's convention: it thresholds them with ``kpt_thr``)."""
    fields = {key: _numpy(value) for key, value in instances.items()}
    if 'keypoint_scores' in fields:
        fields['keypoints_visible'] = fields.pop('keypoint_scores')
    if keep is not None:
        fields = {key: value[keep] for key, value in fields.items()}
    return InstanceData(**fields)


@VISUALIZERS.register_module()
class KeypointDetLocalVisualizer(PoseLocalVisualizer):
    """mmpose's ``PoseLocalVisualizer`` for detectors with a keypoint branch (Keypoint R-CNN).

    mmdet's ``DetLocalVisualizer`` draws boxes only. This draws boxes, keypoints and skeleton
    links in mmpose's look (its COCO palette when the keypoints are COCO's 17) and is called as
    mmdet's ``DetVisualizationHook`` calls ``DetLocalVisualizer`` (``pred_score_thr``), so
    ``tools/test.py --show-dir`` works unchanged. It reads mmdistill's keypoint metainfo
    (``keypoint_names`` and the COCO category's 1-based ``skeleton``).

    Args:
        name: The visualizer's instance name (mmengine's managed instances).
        kpt_thr: Keypoints scoring less are not drawn. Keypoint R-CNN's scores are softmax
            probabilities over the heatmap grid, far below mmpose's heatmap maxima.
        link_color: Colour of the skeleton links when the keypoints are not COCO's.
        **kwargs: ``PoseLocalVisualizer``'s arguments.
    """

    def __init__(self,
                 name: str = 'visualizer',
                 kpt_thr: float = 0.05,
                 link_color: Union[str, Tuple[int, int, int]] = 'lime',
                 **kwargs) -> None:
        super().__init__(name=name, link_color=link_color, **kwargs)
        self.kpt_thr = kpt_thr

    def set_dataset_meta(self, dataset_meta: dict, skeleton_style: str = 'mmpose') -> None:
        meta = dict(dataset_meta or {})
        names = meta.get('keypoint_names')
        if names and 'skeleton_links' not in meta:
            coco = coco_pose_metainfo()
            if list(names) == [coco['keypoint_id2name'][i] for i in range(coco['num_keypoints'])]:
                meta.update({key: coco[key] for key in (
                    'keypoint_colors', 'skeleton_links', 'skeleton_link_colors')})
            else:
                meta['skeleton_links'] = [(a - 1, b - 1) for a, b in meta.get('skeleton', [])]
        super().set_dataset_meta(meta, skeleton_style)

    def add_datasample(self,
                       name: str,
                       image: np.ndarray,
                       data_sample: Optional[BaseDataElement] = None,
                       draw_gt: bool = True,
                       draw_pred: bool = True,
                       show: bool = False,
                       wait_time: float = 0,
                       out_file: Optional[str] = None,
                       pred_score_thr: float = 0.3,
                       step: int = 0) -> np.ndarray:
        """Draw the ground truth (if it has keypoints; left) and the predictions scoring at
        least ``pred_score_thr`` (right), as ``DetLocalVisualizer.add_datasample``."""
        if 'keypoint_names' in self.dataset_meta and 'skeleton_links' not in self.dataset_meta:
            self.set_dataset_meta(self.dataset_meta)  # the runner assigns dataset_meta directly
        sample = PoseDataSample()
        gt = data_sample.get('gt_instances') if data_sample is not None else None
        draw_gt = draw_gt and gt is not None and 'keypoints' in gt
        if draw_gt:
            sample.gt_instances = _pose_instances(gt)
        pred = data_sample.get('pred_instances') if data_sample is not None else None
        if draw_pred and pred is not None:
            sample.pred_instances = _pose_instances(pred, _numpy(pred.scores) >= pred_score_thr)
        return super().add_datasample(
            name, image, sample, draw_gt=draw_gt, draw_pred=draw_pred, draw_bbox=True,
            show=show, wait_time=wait_time, out_file=out_file, kpt_thr=self.kpt_thr, step=step)
