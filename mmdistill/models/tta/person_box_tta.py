"""Person boxes of any mmdet detector over test-time views, merged by NMS + box voting."""
from typing import List, Optional

import torch
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample
from mmengine.model import BaseTTAModel
from mmengine.structures import InstanceData

from mmdistill.labeling.ensemble import flip_boxes, merge_boxes
from mmdistill.models.tta.views import horizontal_flip


@MODELS.register_module()
class PersonBoxTTAModel(BaseTTAModel):
    """Test-time views of an mmdet detector that gives the top-down family its person boxes.

    mmdet's ``DetTTAModel`` merges the views by NMS only and keeps every class; this keeps the
    person class and merges its boxes as
    :class:`~mmdistill.models.tta.KeypointRCNNTTAModel` does (NMS + Detectron's box voting,
    :func:`~mmdistill.labeling.ensemble.merge_boxes`). Each view runs the detector's own
    ``test_step`` (boxes rescaled to the original image, still mirrored in a flipped view);
    the views come from ``tta_pipeline`` (mmcv's ``TestTimeAug``) whose ``meta_keys`` include
    ``ori_shape``, ``flip`` and ``flip_direction``. Only horizontal flips.

    Args:
        module: The mmdet detector.
        person_label: The detector's label of the person class (also the merged boxes' label).
        nms_iou_thr: NMS IoU threshold over the boxes of all views.
        vote_iou_thr: Box-voting IoU threshold; ``None`` disables voting (NMS only).
        max_per_img: Boxes kept per image.
    """

    def __init__(self,
                 module: dict,
                 person_label: int = 0,
                 nms_iou_thr: float = 0.5,
                 vote_iou_thr: Optional[float] = 0.8,
                 max_per_img: int = 100,
                 **kwargs) -> None:
        super().__init__(module=module, **kwargs)
        self.person_label = person_label
        self.nms_iou_thr = nms_iou_thr
        self.vote_iou_thr = vote_iou_thr
        self.max_per_img = max_per_img

    def merge_preds(self, data_samples_list: List[List[DetDataSample]]) -> List[DetDataSample]:
        """Per image, the first view's sample with the merged person boxes of all its views
        (in the original image) as ``pred_instances``."""
        merged = []
        for views in data_samples_list:
            boxes, scores = [], []
            for view in views:
                pred = view.pred_instances
                person = pred.labels == self.person_label
                view_boxes = pred.bboxes[person].double()
                if horizontal_flip(view.metainfo):
                    view_boxes = flip_boxes(view_boxes, view.metainfo['ori_shape'][1])
                boxes.append(view_boxes)
                scores.append(pred.scores[person])
            dtype = views[0].pred_instances.bboxes.dtype
            boxes, scores = merge_boxes(torch.cat(boxes), torch.cat(scores), self.nms_iou_thr,
                                        self.vote_iou_thr, self.max_per_img)
            sample = views[0]
            sample.pred_instances = InstanceData(
                bboxes=boxes.to(dtype), scores=scores,
                labels=torch.full_like(scores, self.person_label, dtype=torch.long))
            merged.append(sample)
        return merged
