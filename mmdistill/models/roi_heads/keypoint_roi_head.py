"""mmdet's ``StandardRoIHead`` with a keypoint branch: the RoI head of Keypoint R-CNN."""
from typing import List, Tuple

from mmdet.models.roi_heads import StandardRoIHead
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.models.utils import unpack_gt_instances
from mmdet.registry import MODELS
from mmdet.structures import SampleList
from mmdet.structures.bbox import bbox2roi, scale_boxes
from mmdet.utils import ConfigType, InstanceList
from torch import Tensor

from mmdistill.labeling import heatmap_probs, heatmaps_to_keypoints


@MODELS.register_module()
class KeypointRoIHead(StandardRoIHead):
    """Box head + keypoint head (Mask R-CNN's keypoint variant, He et al. 2017).

    Training: the keypoint branch runs on the positive proposals of the box sampler
    (class-agnostic keypoints). Inference: it runs on the final detections, whose
    ``pred_instances`` gain ``keypoints`` (N, K, 2) and ``keypoint_scores`` (N, K), in the
    original image with ``rescale=True``. :meth:`predict_keypoint_heatmaps` runs the branch alone
    on given boxes (for test-time augmentation, which averages the heatmaps of the same boxes
    across views).

    Args:
        keypoint_roi_extractor: RoI feature extractor of the keypoint branch (Detectron:
            RoIAlign 14 x 14 from the FPN levels).
        keypoint_head: The keypoint head, e.g. :class:`KeypointRCNNHead`.
        **kwargs: ``StandardRoIHead`` arguments (box branch, train/test configs). A mask branch
            is not supported.
    """

    def __init__(self, keypoint_roi_extractor: ConfigType, keypoint_head: ConfigType,
                 **kwargs) -> None:
        if kwargs.get('mask_head') is not None:
            raise ValueError('KeypointRoIHead does not support a mask branch')
        super().__init__(**kwargs)
        self.keypoint_roi_extractor = MODELS.build(keypoint_roi_extractor)
        self.keypoint_head = MODELS.build(keypoint_head)

    def _keypoint_forward(self, x: Tuple[Tensor], rois: Tensor) -> Tensor:
        """Heatmap logits (N, K, S, S) of RoIs (N, 5) with their batch index."""
        feats = self.keypoint_roi_extractor(x[:self.keypoint_roi_extractor.num_inputs], rois)
        return self.keypoint_head(feats)

    def forward(self, x: Tuple[Tensor], rpn_results_list: InstanceList,
                batch_data_samples: SampleList = None) -> tuple:
        """Raw outputs of both branches (tensor mode), the keypoints on the first 100 RoIs."""
        rois = bbox2roi([res.bboxes for res in rpn_results_list])
        return super().forward(x, rpn_results_list, batch_data_samples) + (
            self._keypoint_forward(x, rois[:100]), )

    def loss(self, x: Tuple[Tensor], rpn_results_list: InstanceList,
             batch_data_samples: SampleList) -> dict:
        batch_gt_instances, batch_gt_instances_ignore, _ = unpack_gt_instances(
            batch_data_samples)
        sampling_results = []
        for i, (rpn_results, gt_instances, gt_instances_ignore) in enumerate(
                zip(rpn_results_list, batch_gt_instances, batch_gt_instances_ignore)):
            rpn_results.priors = rpn_results.pop('bboxes')
            assign_result = self.bbox_assigner.assign(rpn_results, gt_instances,
                                                      gt_instances_ignore)
            sampling_results.append(
                self.bbox_sampler.sample(
                    assign_result, rpn_results, gt_instances,
                    feats=[lvl_feat[i][None] for lvl_feat in x]))

        losses = dict(self.bbox_loss(x, sampling_results)['loss_bbox'])
        losses.update(self.keypoint_loss(x, sampling_results, batch_gt_instances))
        return losses

    def keypoint_loss(self, x: Tuple[Tensor], sampling_results: List[SamplingResult],
                      batch_gt_instances: InstanceList) -> dict:
        """Keypoint loss on the positive proposals holding labeled keypoints."""
        rois, targets, valid = self.keypoint_head.get_targets(sampling_results,
                                                              batch_gt_instances)
        logits = self._keypoint_forward(x, bbox2roi(rois))
        return self.keypoint_head.loss(logits, targets, valid)

    def predict(self, x: Tuple[Tensor], rpn_results_list: InstanceList,
                batch_data_samples: SampleList, rescale: bool = False) -> InstanceList:
        batch_img_metas = [data_sample.metainfo for data_sample in batch_data_samples]
        results_list = self.predict_bbox(
            x, batch_img_metas, rpn_results_list, rcnn_test_cfg=self.test_cfg, rescale=False)
        heatmaps = self.predict_keypoint_heatmaps(x, [res.bboxes for res in results_list])
        for results, img_heatmaps, img_meta in zip(results_list, heatmaps, batch_img_metas):
            if rescale:
                results.bboxes = scale_boxes(results.bboxes,
                                             [1 / s for s in img_meta['scale_factor']])
            # decode in the output frame: its pixels set the decoding resolution (Detectron)
            results.keypoints, results.keypoint_scores = heatmaps_to_keypoints(
                img_heatmaps, results.bboxes)
        return results_list

    def predict_keypoint_heatmaps(self, x: Tuple[Tensor],
                                  bboxes_list: List[Tensor]) -> List[Tensor]:
        """Keypoint heatmaps of given boxes, per image (N_i, K, S, S).

        Args:
            x: Multi-level features of the batch.
            bboxes_list: Per image, boxes x1, y1, x2, y2 in the network input's frame.

        Returns:
            Per image, the softmax over each RoI heatmap's grid (probabilities; average these
            across views and decode them with :func:`~mmdistill.labeling.heatmaps_to_keypoints`).
        """
        logits = self._keypoint_forward(x, bbox2roi(bboxes_list))
        return list(heatmap_probs(logits).split([len(b) for b in bboxes_list]))
