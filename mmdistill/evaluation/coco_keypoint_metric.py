"""COCO keypoint AP/AR and box AP of a detector with a keypoint branch."""
import contextlib
import io
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmdet.registry import METRICS
from mmengine.evaluator import BaseMetric
from mmengine.fileio import get_local_path
from mmengine.logging import MMLogger
from xtcocotools.coco import COCO
from xtcocotools.cocoeval import COCOeval

from mmdistill.labeling import keypoints_to_coco

# COCOeval.stats indices -> metric names
KEYPOINT_STATS = ('AP', 'AP50', 'AP75', 'AP_m', 'AP_l', 'AR', 'AR50', 'AR75', 'AR_m', 'AR_l')
BBOX_STATS = ('mAP', 'mAP_50', 'mAP_75', 'mAP_s', 'mAP_m', 'mAP_l')


def detections_to_coco(img_id: int, pred: Dict[str, np.ndarray],
                       cat_ids: Sequence[int]) -> Tuple[List[dict], List[dict]]:
    """One image's predictions -> COCO box and keypoint result entries.

    ``pred`` holds ``bboxes`` (N, 4) x1 y1 x2 y2, ``scores``, ``labels``, ``keypoints``
    (N, K, 2) in continuous coordinates and ``keypoint_scores`` (N, K). A person's keypoint
    result is scored by its box score (Detectron's ``KEYPOINT_CONFIDENCE: bbox``).
    """
    bbox_results, keypoint_results = [], []
    for bbox, score, label, xy, kpt_scores in zip(pred['bboxes'], pred['scores'],
                                                  pred['labels'], pred['keypoints'],
                                                  pred['keypoint_scores']):
        x1, y1, x2, y2 = (float(v) for v in bbox)
        common = dict(image_id=img_id, category_id=cat_ids[int(label)], score=float(score))
        bbox_results.append(dict(common, bbox=[x1, y1, x2 - x1, y2 - y1]))
        keypoint_results.append(dict(common, keypoints=keypoints_to_coco(xy, kpt_scores)))
    return bbox_results, keypoint_results


@METRICS.register_module()
class CocoKeypointMetric(BaseMetric):
    """COCO ``keypoints`` AP/AR and ``bbox`` AP of ``pred_instances`` against a COCO file.

    Neither mmdet's ``CocoMetric`` (boxes and masks only) nor mmpose's (one keypoint set per
    sample, pixel-index coordinates, no boxes) evaluates a detector's boxes *and* keypoints, so
    this runs xtcocotools' ``COCOeval`` (mmpose's COCO API, which also takes custom OKS sigmas)
    for both. Reports ``keypoints/AP``, ``keypoints/AP50``, ``keypoints/AP75``, ``keypoints/AR``,
    ... and ``bbox/mAP``, ``bbox/mAP_50``, ...

    Args:
        ann_file: COCO keypoint annotation file of the evaluated images.
        iou_types: Which evaluations to run, from ``('keypoints', 'bbox')``.
        sigmas: Per-keypoint OKS sigmas; None uses COCO's 17.
        backend_args: File backend arguments for ``ann_file``.
        collect_device: See :class:`mmengine.evaluator.BaseMetric`.
        prefix: Prefix of the metric names; by default none (they start with the IoU type).
    """

    default_prefix: Optional[str] = ''  # names already start with 'keypoints/' or 'bbox/'

    def __init__(self,
                 ann_file: str,
                 iou_types: Sequence[str] = ('keypoints', 'bbox'),
                 sigmas: Optional[Sequence[float]] = None,
                 backend_args: Optional[dict] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        unknown = set(iou_types) - {'keypoints', 'bbox'}
        if unknown:
            raise ValueError(f'unknown iou_types {sorted(unknown)}; use keypoints and/or bbox')
        self.iou_types = tuple(iou_types)
        self.sigmas = None if sigmas is None else np.asarray(sigmas, np.float64)
        with get_local_path(ann_file, backend_args=backend_args) as local_path, \
                contextlib.redirect_stdout(io.StringIO()):
            self.coco = COCO(local_path)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for data_sample in data_samples:
            pred = data_sample['pred_instances']
            self.results.append((data_sample['img_id'], {
                key: pred[key].cpu().numpy()
                for key in ('bboxes', 'scores', 'labels', 'keypoints', 'keypoint_scores')
            }))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        logger = MMLogger.get_current_instance()
        cat_ids = self.coco.getCatIds(catNms=list(self.dataset_meta['classes']))
        img_ids = [img_id for img_id, _ in results]
        coco_results = dict(bbox=[], keypoints=[])
        for img_id, pred in results:
            bbox_results, keypoint_results = detections_to_coco(img_id, pred, cat_ids)
            coco_results['bbox'] += bbox_results
            coco_results['keypoints'] += keypoint_results

        metrics = {}
        for iou_type in self.iou_types:
            names = KEYPOINT_STATS if iou_type == 'keypoints' else BBOX_STATS
            stats = self._evaluate(coco_results[iou_type], iou_type, img_ids, logger)
            metrics.update({f'{iou_type}/{name}': float(v) for name, v in zip(names, stats)})
        return metrics

    def _evaluate(self, coco_results: List[dict], iou_type: str, img_ids: List[int],
                  logger: MMLogger) -> np.ndarray:
        """``COCOeval`` stats of one IoU type."""
        with contextlib.redirect_stdout(io.StringIO()):
            coco_dt = self.coco.loadRes(coco_results)
        coco_eval = COCOeval(self.coco, coco_dt, iou_type, sigmas=self.sigmas)
        coco_eval.params.imgIds = img_ids
        summary = io.StringIO()
        with contextlib.redirect_stdout(summary):
            coco_eval.evaluate()
            coco_eval.accumulate()
            coco_eval.summarize()
        logger.info(f'COCO {iou_type} evaluation:\n{summary.getvalue()}')
        return coco_eval.stats
