"""A test-time "metric" that writes a detector's person boxes as mmpose's ``bbox_file``."""
from typing import Dict, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmengine.registry import METRICS

from mmdistill.labeling.person_boxes import person_detections, write_detections_atomic


@METRICS.register_module()
class PersonBoxFileMetric(BaseMetric):
    """Write the person boxes of an mmdet detector's test run to a COCO detection-results
    file (``[{image_id, bbox: [x, y, w, h], score, category_id: 1}]``, sorted by image id), the
    ``bbox_file`` mmpose's top-down datasets and ``UnlabeledImageDataset`` read.

    mmdet's ``CocoMetric(format_only=True)`` writes the same format but needs an annotation
    file whose categories name the detector's classes, which unlabeled images do not have.
    Like it, this gathers every rank's results on rank 0 (mmengine's ``collect_results``) and
    writes there, atomically. Predictions of unreadable images (``readable`` metainfo of
    :class:`~mmdistill.datasets.UnlabeledImageDataset`) are left out.

    Args:
        out: The JSON file to write.
        person_label: The detector's label of the person class (0 for COCO's 80 classes and
            for the one-class Keypoint R-CNN).
    """
    default_prefix: Optional[str] = 'person_boxes'

    def __init__(self, out: str, person_label: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.out = out
        self.person_label = person_label

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            pred = sample['pred_instances']
            person = (pred['labels'] == self.person_label).cpu()
            if not sample.get('readable', True):
                person[:] = False
            self.results.append(dict(
                img_id=sample['img_id'],
                bboxes=pred['bboxes'].cpu()[person].tolist(),
                scores=pred['scores'].cpu()[person].tolist()))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        results = sorted(results, key=lambda result: result['img_id'])
        detections = [det for result in results for det in person_detections(
            result['img_id'], result['bboxes'], result['scores'])]
        write_detections_atomic(self.out, detections)
        MMLogger.get_current_instance().info(
            f'{len(detections)} person boxes of {len(results)} images written to {self.out}')
        return dict(boxes_per_image=len(detections) / max(len(results), 1))
