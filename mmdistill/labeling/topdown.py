"""Merging a top-down pose model's outputs over test-time views of the same person box.

A view crops the box with its own padding (``scale``) and may mirror the crop. Its outputs live
on a grid over that crop, a :class:`CropFrame`: heatmaps (mmpose's heatmap heads) or the 1-D x and
y distributions of SimCC (``RTMCCHead``, codec ``SimCCLabel``: ``simcc_split_ratio`` bins per
input pixel). mmpose's convention (``TopdownAffine`` / ``get_warp_matrix`` with no rotation, and
the inverse in ``TopdownPoseEstimator.add_pred_to_datasample``): grid cell ``j`` along x lies at
the image point ``center - scale / 2 + j * scale / width``, likewise along y. A mirrored crop (the
crop tensor flipped, as mmpose's ``flip_test``) puts cell ``j`` at
``center + scale / 2 - (j + flip_offset) * scale / width``, the mirror that mmpose's own flip test
undoes: ``flip_offset=0`` for heatmaps (``flip_heatmaps(shift_heatmap=True)``, a mirror about the
box center), 1 for SimCC (``flip_vectors`` reverses the x vector without a shift, a mirror about
half a bin left of the center).

Without rotation and with mmpose's fixed aspect ratio the warp between two frames is a scale
and a shift per axis, so resampling is separable: one small linear-interpolation matrix per
axis, computed in float64. mmpose's ``get_warp_matrix`` goes through float32 ``cv2``; this keeps
an identity warp bit-exact (tests check both agree).

Pure functions: torch in, torch out; no mm* imports.
"""
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

import torch
from torch import Tensor


@dataclass
class CropFrame:
    """The output grid of one crop of N boxes.

    Args:
        center: (N, 2) box centers (x, y) in the image (mmpose's ``input_center``).
        scale: (N, 2) crop sizes (w, h) in the image (``input_scale``, aspect ratio fixed).
        size: Grid size (w, h): the heatmap size, or SimCC's x and y vector lengths.
        flip: Whether the crop was mirrored horizontally.
        flip_offset: Cells by which a mirrored grid is shifted (see the module docstring):
            0 for heatmaps, 1 for SimCC vectors.
    """
    center: Tensor
    scale: Tensor
    size: Tuple[int, int]
    flip: bool = False
    flip_offset: int = 0


def _interpolation_matrix(positions: Tensor, num_src: int) -> Tensor:
    """(N, M) positions on a source axis -> (N, M, num_src) linear-interpolation weights;
    positions outside the source grid get weight 0 (zero padding)."""
    src = torch.arange(num_src, dtype=positions.dtype, device=positions.device)
    return (1 - (positions[..., None] - src).abs()).clamp_min(0)


def _source_positions(src: CropFrame, dst: CropFrame, axis: int) -> Tensor:
    """(N, M) positions on ``src``'s grid of the M cells of ``dst`` along ``axis`` (0: x)."""
    flip_src = -1. if src.flip and axis == 0 else 1.
    flip_dst = -1. if dst.flip and axis == 0 else 1.
    offset_src = src.flip_offset if flip_src < 0 else 0
    offset_dst = dst.flip_offset if flip_dst < 0 else 0
    c_src, s_src = src.center[:, axis, None].double(), src.scale[:, axis, None].double()
    c_dst, s_dst = dst.center[:, axis, None].double(), dst.scale[:, axis, None].double()
    n_src, n_dst = src.size[axis], dst.size[axis]
    cells = torch.arange(n_dst, dtype=torch.float64, device=c_src.device) + offset_dst
    # x = c_dst + f_dst * ((i + o_dst) * s_dst / n_dst - s_dst / 2);
    # p = (f_src * (x - c_src) + s_src / 2) * n_src / s_src - o_src,
    # written so that equal frames give p = i exactly
    slope = flip_src * flip_dst * (s_dst * n_src) / (n_dst * s_src)
    offset = (flip_src * (c_dst - c_src) * n_src - flip_src * flip_dst * s_dst * n_src / 2 +
              s_src * n_src / 2) / s_src
    return slope * cells + offset - offset_src


def _resampling(src: CropFrame, dst: CropFrame, axis: int) -> Tensor:
    """(N, M, S): the weights of ``src``'s S cells in each of ``dst``'s M cells along ``axis``."""
    return _interpolation_matrix(_source_positions(src, dst, axis), src.size[axis])


def _swap_sides(values: Tensor, src: CropFrame, dst: CropFrame,
                flip_indices: Optional[Sequence[int]]) -> Tensor:
    """Keypoint channels (dim 1) left <-> right if exactly one of the frames is mirrored."""
    if src.flip == dst.flip:
        return values
    if flip_indices is None:
        raise ValueError('flip_indices are needed to warp between a flipped and an '
                         'unflipped frame')
    return values[:, list(flip_indices)]


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
    heatmaps = _swap_sides(heatmaps, src, dst, flip_indices)
    rows = _resampling(src, dst, 1)  # (N, H', H)
    cols = _resampling(src, dst, 0)  # (N, W', W)
    warped = torch.einsum('nyh,nkhw,nxw->nkyx', rows, heatmaps.double(), cols)
    coverage = rows.sum(-1)[:, :, None] * cols.sum(-1)[:, None, :]
    return warped, coverage


def warp_vectors(vectors: Tensor, src: CropFrame, dst: CropFrame, axis: int,
                 flip_indices: Optional[Sequence[int]] = None) -> Tuple[Tensor, Tensor]:
    """Resample 1-D distributions (N, K, L) along image ``axis`` (0: SimCC's x vectors, 1: its
    y vectors) of N boxes from ``src``'s grid onto ``dst``'s: :func:`warp_heatmaps` on one axis,
    with the same channel swap (mmpose's ``flip_vectors``).

    Returns:
        ``warped`` (N, K, L') in float64 and ``coverage`` (N, L'), as :func:`warp_heatmaps`.
    """
    vectors = _swap_sides(vectors, src, dst, flip_indices)
    weights = _resampling(src, dst, axis)  # (N, L', L)
    return torch.einsum('nkl,nml->nkm', vectors.double(), weights), weights.sum(-1)


def average_warped(warped: Sequence[Tensor], coverage: Sequence[Tensor],
                   dtype: torch.dtype = torch.float32) -> Tensor:
    """Average the views' outputs warped into one frame (each (N, K, H, W) heatmaps with
    coverage (N, H, W), or (N, K, L) vectors with coverage (N, L)) per cell over the views that
    saw it; a cell no view saw is 0.

    The outputs are averaged as the model outputs them, as mmpose's own flip test averages
    them (heatmaps: a probability-like confidence per cell; SimCC: the logits that
    ``SimCCLabel`` decodes, so their average is the log of the views' geometric mean
    distribution, up to a constant), and the model's codec decodes the result.
    """
    total = torch.stack(list(warped)).sum(0)
    weight = torch.stack(list(coverage)).sum(0)[:, None]
    average = torch.where(weight > 0, total / weight.clamp_min(1e-12), total.new_zeros(()))
    return average.to(dtype)
