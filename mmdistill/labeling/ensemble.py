"""Merging a detector's predictions over test-time views (Detectron's ``TEST.BBOX_AUG`` and
``TEST.KPS_AUG``): undo each view's transform, merge boxes by NMS + box voting, average the
keypoint heatmaps of the same boxes across views (optionally scale-size dependent).

A view is ``flip(resize(image))``: the image is resized by ``scale_factor`` (w, h) and then, if
``flip``, mirrored horizontally. Coordinates are continuous (see :mod:`.keypoints`), so both are
exact: resize multiplies, a flip maps ``x -> width - x``.

Pure functions: torch in, torch out; no mm* imports.
"""
from typing import Optional, Sequence, Tuple

import torch
from torch import Tensor
from torchvision.ops import box_iou, nms


def flip_boxes(boxes: Tensor, width: float) -> Tensor:
    """Mirror boxes (..., 4) x1, y1, x2, y2 horizontally in an image ``width`` wide."""
    flipped = boxes.clone()
    flipped[..., 0] = width - boxes[..., 2]
    flipped[..., 2] = width - boxes[..., 0]
    return flipped


def boxes_to_original(boxes: Tensor, scale_factor: Sequence[float], flip: bool,
                      width: float) -> Tensor:
    """Boxes (N, 4) predicted in a view -> the original image (``width`` = its width).

    Computed in float64, so that :func:`boxes_to_view` gives back the view's float32 boxes
    bit for bit.
    """
    scale = boxes.new_tensor([*scale_factor, *scale_factor], dtype=torch.float64)
    boxes = boxes.double() / scale
    return flip_boxes(boxes, width) if flip else boxes


def boxes_to_view(boxes: Tensor, scale_factor: Sequence[float], flip: bool, width: float,
                  dtype: torch.dtype = torch.float32) -> Tensor:
    """Boxes (N, 4) in the original image -> a view: the inverse of :func:`boxes_to_original`."""
    boxes = boxes.double()
    if flip:
        boxes = flip_boxes(boxes, width)
    scale = boxes.new_tensor([*scale_factor, *scale_factor])
    return (boxes * scale).to(dtype)


def unflip_heatmaps(heatmaps: Tensor, flip_indices: Sequence[int]) -> Tensor:
    """RoI heatmaps (N, K, S, S) of boxes in a flipped view -> those of the unflipped boxes.

    The grid of a mirrored box is mirrored (cell column ``j`` <-> ``S - 1 - j``) and keypoint
    channel ``k`` of the original is channel ``flip_indices[k]`` of the view (left <-> right).
    """
    return heatmaps[:, list(flip_indices)].flip(-1)


def merge_boxes(boxes: Tensor, scores: Tensor, nms_iou_thr: float = 0.5,
                vote_iou_thr: Optional[float] = 0.8,
                max_num: int = 100) -> Tuple[Tensor, Tensor]:
    """Merge the boxes of all views of an image: NMS, then Detectron's box voting.

    Args:
        boxes: (M, 4) boxes of all views in the original image.
        scores: (M, ) their scores.
        nms_iou_thr: IoU above which NMS suppresses a box.
        vote_iou_thr: Each kept box becomes the score-weighted mean of all boxes overlapping
            it with IoU >= this (suppressed ones included), which averages the views'
            localisations. ``None`` keeps the NMS boxes as they are.
        max_num: Keep at most this many boxes, best first.

    Returns:
        ``boxes`` (N, 4) float64 and ``scores`` (N, ), sorted by descending score; each kept
        box keeps its own (the highest) score, as Detectron's default ``SCORING_METHOD='ID'``.
    """
    boxes = boxes.double()
    keep = nms(boxes, scores.double(), nms_iou_thr)[:max_num]
    kept_boxes, kept_scores = boxes[keep], scores[keep]
    if vote_iou_thr is None or len(keep) == 0:
        return kept_boxes, kept_scores
    weights = (box_iou(kept_boxes, boxes) >= vote_iou_thr) * scores.double()[None]
    voted = weights @ boxes / weights.sum(dim=1, keepdim=True)
    return voted, kept_scores


def scale_size_weights(areas: Tensor, view_scales: Sequence[float], base_scale: float,
                       area_thr: float = 180.0**2) -> Tensor:
    """Detectron's ``SCALE_SIZE_DEP``: which views vote for each box's heatmaps.

    Small and medium boxes (area < ``area_thr``) ignore downscaled views (scale < base), large
    boxes ignore upscaled ones (scale > base). A box left with no view uses all of them.

    Args:
        areas: (N, ) box areas in the original image.
        view_scales: (V, ) each view's scale (short side) and ``base_scale`` the plain one.

    Returns:
        (N, V) weights in {0, 1} for :func:`average_heatmaps`.
    """
    scales = areas.new_tensor(view_scales)
    small = (areas < area_thr)[:, None]
    weights = torch.where(small, scales >= base_scale, scales <= base_scale).to(areas.dtype)
    empty = weights.sum(dim=1) == 0
    weights[empty] = 1
    return weights


class HeatmapAverage:
    """Running (weighted) average of the heatmaps (N, K, S, S) of the same N boxes over views,
    holding one sum instead of every view's heatmaps.

    Detectron's ``TEST.KPS_AUG.HEUR='HM_AVG'`` averages the head's *logits* (the softmax inputs,
    ``im_detect_keypoints_aug``), whose softmax is the normalised geometric mean of the views'
    probabilities. We average the *probabilities* (the softmax over each grid): the
    result is again a distribution over the grid, so its peak is a keypoint score in [0, 1]
    comparable across images (the keypoint threshold is calibrated on it), and one view that is
    confidently wrong cannot veto a location that the other views agree on.
    """

    def __init__(self) -> None:
        self.total: Optional[Tensor] = None
        self.weight: Optional[Tensor] = None

    def add(self, heatmaps: Tensor, weights: Optional[Tensor] = None) -> None:
        """Add one view; ``weights`` (N, ) weigh it per box (``None``: 1 for all boxes)."""
        if weights is None:
            weights = heatmaps.new_ones(len(heatmaps))
        weights = weights.to(heatmaps.dtype)[:, None, None, None]
        if self.total is None:
            self.total, self.weight = weights * heatmaps, weights
        else:
            self.total, self.weight = self.total + weights * heatmaps, self.weight + weights

    def result(self) -> Tensor:
        """The average of the views added so far."""
        if self.total is None:
            raise ValueError('no heatmaps were added')
        return self.total / self.weight


def average_heatmaps(heatmaps: Tensor, weights: Optional[Tensor] = None) -> Tensor:
    """Average the heatmaps (V, N, K, S, S) of N boxes over V views (see :class:`HeatmapAverage`).

    ``weights`` (N, V), e.g. :func:`scale_size_weights`, weigh the views per box; ``None``
    weighs them equally.
    """
    average = HeatmapAverage()
    for view, view_heatmaps in enumerate(heatmaps):
        average.add(view_heatmaps, None if weights is None else weights[:, view])
    return average.result()
