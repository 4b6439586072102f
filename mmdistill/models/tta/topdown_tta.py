"""Multi-view inference of an mmpose top-down model (heatmap or SimCC head) on given person
boxes."""
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.model import BaseTTAModel
from mmengine.structures import InstanceData
from mmpose.codecs import SimCCLabel
from mmpose.datasets.transforms import TopdownAffine
from mmpose.registry import MODELS
from mmpose.structures import PoseDataSample
from mmpose.structures.bbox import bbox_xyxy2cs
from torch import Tensor

from mmdistill.labeling.topdown import CropFrame, average_warped, warp_heatmaps, warp_vectors

# one view's head outputs: heatmaps (N, K, H, W), or SimCC's x and y vectors (N, K, W * r),
# (N, K, H * r) with r the codec's simcc_split_ratio
HeadOutputs = Union[Tensor, Tuple[Tensor, Tensor]]


@MODELS.register_module()
class TopdownPoseTTAModel(BaseTTAModel):
    """Test-time views of a top-down model (mmpose's ``TopdownPoseEstimator`` with a heatmap
    head, e.g. ``HeatmapHead``, or a SimCC head, e.g. RTMPose's ``RTMCCHead``) for every person
    box of an image.

    mmpose has no multi-view inference beyond its flip test, and its data pipeline crops one
    box per sample; pseudo-labeling needs one sample per image (all its persons), so the views
    are made here rather than by a ``TestTimeAug`` pipeline. For each box and each view — a
    crop padding (mmpose's ``GetBBoxCenterScale`` padding) × a horizontal flip of the crop (as
    mmpose's flip test) — the crop is made by mmpose's ``TopdownAffine``, the head's outputs
    (heatmaps, or SimCC's 1-D x and y vectors) are warped into the base frame (the box at
    ``paddings[0]``, unflipped; flips undo the mirror as mmpose's flip test does for that head
    and swap left/right channels by the sample's ``flip_indices``), averaged over the views
    (:mod:`mmdistill.labeling.topdown`) and decoded once by the head's codec.

    Input samples (``tta_pipeline``: ``LoadImage`` then ``PackPoseInputs``) carry the whole
    image in ``inputs`` and the boxes in ``gt_instances.bboxes`` (N, 4) xyxy with
    ``bbox_scores`` (N, ). Each output sample gets ``pred_instances`` with ``bboxes``,
    ``scores`` (box score × mean keypoint score, mmpose's rescoring), ``keypoints`` (N, K, 2)
    and ``keypoint_scores`` (N, K) in the image, as the ``PseudoLabelHook`` reads them.

    Args:
        module: The top-down pose model.
        paddings: Crop paddings; the first is the base frame.
        flips: Which flip states to run for every padding.
    """

    def __init__(self,
                 module: dict,
                 paddings: Sequence[float] = (1.25, ),
                 flips: Sequence[bool] = (False, True),
                 **kwargs) -> None:
        super().__init__(module=module, **kwargs)
        self.paddings = tuple(paddings)
        self.flips = tuple(flips)
        decoder = self.module.head.decoder
        self.affine = TopdownAffine(input_size=tuple(decoder.input_size))
        # the head's output grid and the mirror its flip test undoes (mmdistill.labeling.topdown);
        # _merge dispatches on the same
        self.simcc = isinstance(decoder, SimCCLabel)
        if self.simcc:  # vector lengths as RTMCCHead / SimCCHead size them
            self.grid_size = tuple(int(s * decoder.simcc_split_ratio) for s in decoder.input_size)
            self.flip_offset = 1  # flip_vectors: reversed, not shifted
        else:
            self.grid_size = tuple(decoder.heatmap_size)
            self.flip_offset = 0  # flip_heatmaps(shift_heatmap=True)

    def _crops(self, image: np.ndarray, bboxes: np.ndarray, padding: float) -> dict:
        """Crop every box with mmpose's ``GetBBoxCenterScale`` + ``TopdownAffine``."""
        centers, scales = bbox_xyxy2cs(bboxes, padding=padding)
        crops = [self.affine.transform(dict(img=image, bbox_center=centers[i:i + 1],
                                            bbox_scale=scales[i:i + 1]))
                 for i in range(len(bboxes))]
        return dict(inputs=[torch.from_numpy(c['img']).permute(2, 0, 1) for c in crops],
                    centers=np.stack([c['input_center'] for c in crops]),
                    scales=np.stack([c['input_scale'] for c in crops]))

    def _frame(self, crops: dict, flip: bool = False) -> CropFrame:
        return CropFrame(torch.from_numpy(crops['centers']), torch.from_numpy(crops['scales']),
                         self.grid_size, flip, self.flip_offset)

    def _forward(self, inputs: List[Tensor], flip: bool) -> HeadOutputs:
        data = dict(inputs=inputs, data_samples=[PoseDataSample() for _ in inputs])
        batch = self.module.data_preprocessor(data, False)['inputs']
        if flip:
            batch = batch.flip(-1)
        return self.module.head.forward(self.module.extract_feat(batch))

    def _predict_image(self, image: Tensor, sample: PoseDataSample) -> InstanceData:
        """Views of every box of one image, merged and decoded in the image."""
        bboxes = np.asarray(sample.gt_instances.bboxes, dtype=np.float32).reshape(-1, 4)
        bbox_scores = np.asarray(sample.gt_instances.get('bbox_scores', np.ones(len(bboxes))),
                                 dtype=np.float32)
        if len(bboxes) == 0:
            num_keypoints = self.module.head.out_channels
            return InstanceData(bboxes=torch.zeros(0, 4), scores=torch.zeros(0),
                                keypoints=torch.zeros(0, num_keypoints, 2),
                                keypoint_scores=torch.zeros(0, num_keypoints))
        image = np.ascontiguousarray(image.permute(1, 2, 0).cpu().numpy())
        crops = [self._crops(image, bboxes, padding) for padding in self.paddings]
        views = [(self._forward(view_crops['inputs'], flip), self._frame(view_crops, flip))
                 for view_crops in crops for flip in self.flips]
        merged = self._merge(views, self._frame(crops[0]), sample.metainfo.get('flip_indices'))
        return self._decode(merged, crops[0], bboxes, bbox_scores)

    def _merge(self, views: List[Tuple[HeadOutputs, CropFrame]], base: CropFrame,
               flip_indices: Optional[Sequence[int]]) -> HeadOutputs:
        """The views' outputs warped into the base frame and averaged, in the head's form."""
        if self.simcc:  # the x vectors along image axis 0, the y vectors along axis 1
            return tuple(
                average_warped(*zip(*[
                    warp_vectors(outputs[axis], frame, base, axis, flip_indices)
                    for outputs, frame in views
                ]), dtype=views[0][0][axis].dtype) for axis in (0, 1))
        return average_warped(*zip(*[
            warp_heatmaps(outputs, frame, base, flip_indices) for outputs, frame in views
        ]), dtype=views[0][0].dtype)

    def _decode(self, outputs: HeadOutputs, base_crops: dict, bboxes: np.ndarray,
                bbox_scores: np.ndarray) -> InstanceData:
        """Decode the base-frame outputs with the head's codec and map them to the image as
        ``TopdownPoseEstimator.add_pred_to_datasample`` does."""
        boxes = [
            PoseDataSample(
                metainfo=dict(input_center=center, input_scale=scale,
                              input_size=self.affine.input_size),
                gt_instances=InstanceData(bboxes=bbox[None], bbox_scores=score[None]))
            for center, scale, bbox, score in zip(base_crops['centers'], base_crops['scales'],
                                                  bboxes, bbox_scores)
        ]
        boxes = self.module.add_pred_to_datasample(self.module.head.decode(outputs), None,
                                                   boxes)
        keypoints = torch.from_numpy(np.concatenate([b.pred_instances.keypoints for b in boxes]))
        keypoint_scores = torch.from_numpy(
            np.concatenate([b.pred_instances.keypoint_scores for b in boxes]))
        return InstanceData(
            bboxes=torch.from_numpy(bboxes),
            scores=torch.from_numpy(bbox_scores) * keypoint_scores.mean(dim=1),
            keypoints=keypoints,
            keypoint_scores=keypoint_scores)

    def merge_preds(self, data_samples_list: List[List[PoseDataSample]]) -> List[PoseDataSample]:
        """Views are merged per box inside :meth:`test_step` (one output average per box), so
        every image arrives here as a single, already merged sample."""
        return [views[0] for views in data_samples_list]

    def test_step(self, data: dict) -> List[PoseDataSample]:
        samples = data['data_samples']
        with torch.no_grad():
            for image, sample in zip(data['inputs'], samples):
                sample.pred_instances = self._predict_image(image, sample)
        return self.merge_preds([[sample] for sample in samples])
