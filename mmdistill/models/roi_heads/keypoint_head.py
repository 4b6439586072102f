"""The keypoint branch of Keypoint R-CNN (Mask R-CNN's keypoint variant)."""
from typing import List, Tuple

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptConfigType, OptMultiConfig
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmdistill.labeling import keypoints_to_heatmap_targets


@MODELS.register_module()
class KeypointRCNNHead(BaseModule):
    """Keypoint head of Mask R-CNN (He et al., ICCV 2017; Detectron's ``roi_pose_head_v1convX``).

    mmdet 3.x has no keypoint head (mmdet issue #7518). RoI features (C x R x R) go through
    ``num_convs`` 3x3 convs + ReLU, a stride-2 transposed conv (kernel 4) to one map per
    keypoint (2R x 2R) and a bilinear resize to ``heatmap_size`` (Detectron: R=14, 8 x 512
    channels, 56 x 56). The output is one heatmap of logits per keypoint.

    Loss: softmax cross-entropy over the ``heatmap_size**2`` cells, the target being the cell
    holding the keypoint, averaged over the batch's labeled keypoints that lie inside their RoI
    (Detectron normalises by the number of visible keypoints); the others weigh zero.

    Args:
        num_keypoints: K, heatmaps per RoI.
        in_channels: Channels of the RoI features.
        num_convs: Number of 3x3 convs.
        conv_out_channels: Channels of the 3x3 convs.
        heatmap_size: Side of the square output heatmaps.
        conv_cfg: Config of the conv layers.
        norm_cfg: Config of a norm layer after each conv (Detectron: none).
        loss_weight: Weight of the keypoint loss.
        init_cfg: Initialisation; the convs default to Kaiming (fan-out) through
            ``ConvModule``, as Detectron's MSRAFill.
    """

    def __init__(self,
                 num_keypoints: int = 17,
                 in_channels: int = 256,
                 num_convs: int = 8,
                 conv_out_channels: int = 512,
                 heatmap_size: int = 56,
                 conv_cfg: OptConfigType = None,
                 norm_cfg: OptConfigType = None,
                 loss_weight: float = 1.0,
                 init_cfg: OptMultiConfig = dict(
                     type='Kaiming',
                     layer='ConvTranspose2d',
                     mode='fan_out',
                     nonlinearity='relu',
                     distribution='normal')) -> None:
        super().__init__(init_cfg=init_cfg)
        self.heatmap_size = heatmap_size
        self.loss_weight = loss_weight
        self.convs = nn.Sequential(*(
            ConvModule(
                in_channels if i == 0 else conv_out_channels,
                conv_out_channels,
                3,
                padding=1,
                conv_cfg=conv_cfg,
                norm_cfg=norm_cfg) for i in range(num_convs)))
        self.deconv = nn.ConvTranspose2d(
            conv_out_channels if num_convs else in_channels,
            num_keypoints,
            kernel_size=4,
            stride=2,
            padding=1)

    def forward(self, roi_feats: Tensor) -> Tensor:
        """RoI features (N, C, R, R) -> heatmap logits (N, K, S, S)."""
        logits = self.deconv(self.convs(roi_feats))
        return F.interpolate(
            logits, size=(self.heatmap_size, self.heatmap_size), mode='bilinear',
            align_corners=False)

    def get_targets(self, sampling_results: List[SamplingResult],
                    batch_gt_instances: InstanceList) -> Tuple[List[Tensor], Tensor, Tensor]:
        """Training RoIs and their heatmap targets.

        The RoIs are the positive proposals with at least one labeled keypoint of their
        matched ground truth inside them (as Detectron/Detectron2 select them); the others
        would contribute nothing to the loss.

        Returns:
            The selected RoIs per image (x1, y1, x2, y2), and for all of them concatenated the
            target cells (M, K) and their validity (M, K).
        """
        rois, targets, valid = [], [], []
        for res, gt in zip(sampling_results, batch_gt_instances):
            gt_inds = res.pos_assigned_gt_inds
            img_targets, img_valid = keypoints_to_heatmap_targets(
                gt.keypoints[gt_inds], gt.keypoints_visible[gt_inds], res.pos_priors,
                self.heatmap_size)
            keep = img_valid.any(dim=1)
            rois.append(res.pos_priors[keep])
            targets.append(img_targets[keep])
            valid.append(img_valid[keep])
        return rois, torch.cat(targets), torch.cat(valid)

    def loss(self, logits: Tensor, targets: Tensor, valid: Tensor) -> dict:
        """Softmax cross-entropy over the grid, averaged over the valid keypoints.

        Args:
            logits: (M, K, S, S) heatmap logits.
            targets: (M, K) target cells.
            valid: (M, K) which keypoints count.
        """
        flat_logits = logits.flatten(2)[valid]
        loss = F.cross_entropy(flat_logits, targets[valid], reduction='sum')
        # no valid keypoint: a zero that still reaches every parameter (for DDP)
        loss = loss / valid.sum().clamp(min=1) + logits.sum() * 0
        return dict(loss_keypoint=self.loss_weight * loss)
