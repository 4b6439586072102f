"""Merging a top-down pose model's heatmaps over test-time views of the same person box.

A view crops the box with its own padding (``scale``) and may mirror the crop. Its heatmaps
live on the grid of that crop, a :class:`CropFrame`. mmpose's convention (``TopdownAffine`` /
``get_warp_matrix`` with no rotation, and the inverse in
``TopdownPoseEstimator.add_pred_to_datasample``): grid cell ``j`` along x lies at the image
point ``center - scale / 2 + j * scale / width``, likewise along y. A mirrored crop (the crop
tensor flipped, as mmpose's ``flip_test``) is mirrored about the box center,
``center + scale / 2 - j * scale / width``: that is ``flip_heatmaps(shift_heatmap=True)``,
whose shift aligns exactly these two grids.

Without rotation and with mmpose's fixed aspect ratio the warp between two frames is a scale
and a shift per axis, so resampling is separable: two small linear-interpolation matrices,
computed in float64. mmpose's ``get_warp_matrix`` goes through float32 ``cv2``; this keeps an
identity warp bit-exact (tests check both agree).

Pure functions: torch in, torch out; no mm* imports.
"""
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

import torch
from torch import Tensor


@dataclass
class CropFrame:
    """The heatmap grid of one crop of N boxes.

    Args:
        center: (N, 2) box centers (x, y) in the image (mmpose's ``input_center``).
        scale: (N, 2) crop sizes (w, h) in the image (``input_scale``, aspect ratio fixed).
        size: Heatmap size (w, h).
        flip: Whether the crop was mirrored horizontally.
    """
    center: Tensor
    scale: Tensor
    size: Tuple[int, int]
    flip: bool = False


def _interpolation_matrix(positions: Tensor, num_src: int) -> Tensor:
    """(N, M) positions on a source axis -> (N, M, num_src) linear-interpolation weights;
    positions outside the source grid get weight 0 (zero padding)."""
    src = torch.arange(num_src, dtype=positions.dtype, device=positions.device)
    return (1 - (positions[..., None] - src).abs()).clamp_min(0)


def _source_positions(src: CropFrame, dst: CropFrame, axis: int) -> Tensor:
    """(N, M) positions on ``src``'s grid of the M cells of ``dst`` along ``axis`` (0: x)."""
    flip_src = -1. if src.flip and axis == 0 else 1.
    flip_dst = -1. if dst.flip and axis == 0 else 1.
    c_src, s_src = src.center[:, axis, None].double(), src.scale[:, axis, None].double()
    c_dst, s_dst = dst.center[:, axis, None].double(), dst.scale[:, axis, None].double()
    n_src, n_dst = src.size[axis], dst.size[axis]
    cells = torch.arange(n_dst, dtype=torch.float64, device=c_src.device)
    # x = c_dst + f_dst * (i * s_dst / n_dst - s_dst / 2);  p = (f_src * (x - c_src) + s_src / 2)
    # * n_src / s_src, written so that equal frames give p = i exactly
    slope = flip_src * flip_dst * (s_dst * n_src) / (n_dst * s_src)
    offset = (flip_src * (c_dst - c_src) * n_src - flip_src * flip_dst * s_dst * n_src / 2 +
              s_src * n_src / 2) / s_src
    return slope * cells + offset


def warp_heatmaps(heatmaps: Tensor, src: CropFrame, dst: CropFrame,
                  flip_indices: Optional[Sequence[int]] = None) -> Tuple[Tensor, Tensor]:
    """Resample heatmaps (N, K, H, W) of N boxes from ``src``'s grid onto ``dst``'s.

    If exactly one of the frames is flipped, keypoint channel ``k`` of the result is channel
    ``flip_indices[k]`` of the input (left <-> right), as mmpose's ``flip_heatmaps``.

    Returns:
        ``warped`` (N, K, H', W') in float64, zero where ``src`` saw nothing, and ``coverage``
        (N, H', W') in [0, 1]: the interpolation weight that fell inside ``src`` (1 inside,
        0 outside, fractional on a one-cell fringe). ``warped`` is already multiplied by it.
    """
    if src.flip != dst.flip:
        if flip_indices is None:
            raise ValueError('flip_indices are needed to warp between a flipped and an '
                             'unflipped frame')
        heatmaps = heatmaps[:, list(flip_indices)]
    rows = _interpolation_matrix(_source_positions(src, dst, 1), src.size[1])  # (N, H', H)
    cols = _interpolation_matrix(_source_positions(src, dst, 0), src.size[0])  # (N, W', W)
    warped = torch.einsum('nyh,nkhw,nxw->nkyx', rows, heatmaps.double(), cols)
    coverage = rows.sum(-1)[:, :, None] * cols.sum(-1)[:, None, :]
    return warped, coverage


def average_warped(warped: Sequence[Tensor], coverage: Sequence[Tensor],
                   dtype: torch.dtype = torch.float32) -> Tensor:
    """Average the views' heatmaps (each (N, K, H, W), from :func:`warp_heatmaps` into one
    frame) per cell over the views that saw it; a cell no view saw is 0.

    The heatmaps are averaged as the model outputs them (a probability-like confidence per
    cell, as mmpose's own flip test averages them), so the model's codec decodes the result.
    """
    total = torch.stack(list(warped)).sum(0)
    weight = torch.stack(list(coverage)).sum(0)[:, None]
    average = torch.where(weight > 0, total / weight.clamp_min(1e-12), total.new_zeros(()))
    return average.to(dtype)
