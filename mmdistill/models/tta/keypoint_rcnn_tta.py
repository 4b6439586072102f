"""Multi-transform inference of Keypoint R-CNN, merged as Detectron does (Data Distillation)."""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample
from mmengine.model import BaseTTAModel
from mmengine.structures import InstanceData
from torch import Tensor

from mmdistill.labeling import heatmaps_to_keypoints
from mmdistill.labeling.ensemble import (HeatmapAverage, boxes_to_original, boxes_to_view,
                                         merge_boxes, scale_size_weights, unflip_heatmaps)
from mmdistill.models.tta.views import horizontal_flip


@MODELS.register_module()
class KeypointRCNNTTAModel(BaseTTAModel):
    """Test-time augmentation for a two-stage detector with a ``KeypointRoIHead``.

    mmdet's ``DetTTAModel`` merges each view's final detections by NMS. Detectron's keypoint
    TTA (used by Data Distillation) needs two passes, so :meth:`test_step` is overridden:

    1. detect boxes in every view and map them to the original image;
    2. merge them (:meth:`merge_preds`: NMS + box voting);
    3. run the keypoint branch on the merged boxes in every view, undo the flips, average the
       heatmaps (probabilities) per box, optionally scale-size dependent, and decode one hard
       keypoint per joint with its score.

    The views come from ``tta_pipeline`` (mmcv's ``TestTimeAug``, mmdet's ``--tta``
    convention). Their ``meta_keys`` must include ``flip``, ``flip_direction`` and
    ``flip_indices`` (set by ``CocoKeypointDetDataset`` or the pseudo-label tool), plus
    ``scale`` with ``scale_size_dep``. By default pass 3 recomputes the backbone features of
    each view (as Detectron does) instead of holding those of all views.

    Args:
        module: The Keypoint R-CNN detector.
        nms_iou_thr: NMS IoU threshold over the boxes of all views.
        vote_iou_thr: Box-voting IoU threshold; ``None`` disables voting (NMS only).
        max_per_img: Boxes kept per image.
        scale_size_dep: Detectron's ``SCALE_SIZE_DEP``: small boxes ignore downscaled views,
            large ones upscaled views (see :func:`~mmdistill.labeling.ensemble.scale_size_weights`).
        base_scale: The plain test scale (short side) that tells down- from upscaled views.
        area_thr: Box area telling small from large boxes.
        cache_features: Keep every view's backbone features from pass 1 for pass 3 instead of
            recomputing them: faster, but holds the features of all views of the batch.
    """

    def __init__(self,
                 module: dict,
                 nms_iou_thr: float = 0.5,
                 vote_iou_thr: Optional[float] = 0.8,
                 max_per_img: int = 100,
                 scale_size_dep: bool = False,
                 base_scale: float = 800,
                 area_thr: float = 180.0**2,
                 cache_features: bool = False,
                 **kwargs) -> None:
        super().__init__(module=module, **kwargs)
        self.nms_iou_thr = nms_iou_thr
        self.vote_iou_thr = vote_iou_thr
        self.max_per_img = max_per_img
        self.scale_size_dep = scale_size_dep
        self.base_scale = base_scale
        self.area_thr = area_thr
        self.cache_features = cache_features

    @staticmethod
    def _split_views(data: dict) -> List[dict]:
        """``TestTimeAug``'s batch (lists over views) -> one batch per view."""
        return [{key: value[i] for key, value in data.items()}
                for i in range(len(data['inputs']))]

    @staticmethod
    def _view_geometry(meta: dict) -> Dict:
        return dict(scale_factor=meta['scale_factor'], flip=horizontal_flip(meta),
                    width=meta['ori_shape'][1])

    def _features(self, view: dict) -> Tuple[Tuple[Tensor], List[DetDataSample]]:
        data = self.module.data_preprocessor(view, False)
        return self.module.extract_feat(data['inputs']), data['data_samples']

    def _predict_boxes(self, feats: Tuple[Tensor],
                       samples: List[DetDataSample]) -> List[DetDataSample]:
        """Detections of one view, with boxes (float64) in the original images."""
        rpn_results = self.module.rpn_head.predict(feats, samples, rescale=False)
        roi_head = self.module.roi_head
        results = roi_head.predict_bbox(
            feats, [s.metainfo for s in samples], rpn_results, roi_head.test_cfg, rescale=False)
        for sample, result in zip(samples, results):
            result.bboxes = boxes_to_original(result.bboxes, **self._view_geometry(sample.metainfo))
            sample.pred_instances = result
        return samples

    def merge_preds(self, data_samples_list: List[List[DetDataSample]]) -> List[DetDataSample]:
        """Merge the boxes of all views of each image (NMS + box voting).

        Args:
            data_samples_list: Per image, its views' samples with boxes in the original image.

        Returns:
            Per image, the first view's sample with the merged ``pred_instances`` (float64
            boxes until the keypoints are decoded).
        """
        merged = []
        for views in data_samples_list:
            preds = [view.pred_instances for view in views]
            boxes, scores = merge_boxes(
                torch.cat([p.bboxes for p in preds]), torch.cat([p.scores for p in preds]),
                self.nms_iou_thr, self.vote_iou_thr, self.max_per_img)
            sample = views[0]
            sample.pred_instances = InstanceData(
                bboxes=boxes, scores=scores, labels=scores.new_zeros(len(scores), dtype=torch.long))
            merged.append(sample)
        return merged

    def _view_weights(self, boxes: torch.Tensor, metas: Sequence[dict]) -> Optional[torch.Tensor]:
        """(N, V) weights of the views for each box, ``None`` for a plain average."""
        if not self.scale_size_dep:
            return None
        areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        return scale_size_weights(areas, [min(meta['scale']) for meta in metas], self.base_scale,
                                  self.area_thr)

    def test_step(self, data: dict) -> List[DetDataSample]:
        views = self._split_views(data)
        features = [self._features(view) for view in views] if self.cache_features else None
        merged = self.merge_preds(list(zip(*[
            self._predict_boxes(*(features[v] if features else self._features(view)))
            for v, view in enumerate(views)
        ])))
        roi_head = self.module.roi_head
        num_images = len(merged)
        view_metas = [[s.metainfo for s in view['data_samples']] for view in views]
        weights = [self._view_weights(merged[i].pred_instances.bboxes,
                                      [metas[i] for metas in view_metas])
                   for i in range(num_images)]
        averages = [HeatmapAverage() for _ in range(num_images)]
        for v, view in enumerate(views):
            feats, samples = features[v] if features else self._features(view)
            geometry = [self._view_geometry(s.metainfo) for s in samples]
            boxes = [boxes_to_view(merged[i].pred_instances.bboxes, **geometry[i])
                     for i in range(num_images)]
            heatmaps = roi_head.predict_keypoint_heatmaps(feats, boxes)
            for i in range(num_images):
                if geometry[i]['flip']:
                    heatmaps[i] = unflip_heatmaps(heatmaps[i], samples[i].metainfo['flip_indices'])
                averages[i].add(heatmaps[i], None if weights[i] is None else weights[i][:, v])
        for sample, average in zip(merged, averages):
            pred = sample.pred_instances
            pred.bboxes = pred.bboxes.float()
            pred.keypoints, pred.keypoint_scores = heatmaps_to_keypoints(
                average.result(), pred.bboxes)
        return merged
