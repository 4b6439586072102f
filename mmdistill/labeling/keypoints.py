"""Keypoint geometry shared by the Keypoint R-CNN model, its data pipeline and pseudo-labeling.

Pure functions: numpy or torch in, the same out; no mm* imports.

**Coordinate convention.** Inside mmdistill, keypoints live in the same continuous image frame as
boxes: pixel ``i`` covers ``[i, i + 1)``. COCO files store keypoints as pixel indices (pixel
``i``'s centre is ``i``), so files are converted when read (:func:`coco_to_keypoints`, +0.5) and
written (:func:`keypoints_to_coco`, -0.5), as Detectron2 does. In this frame resizing is an exact
multiplication and a horizontal flip is exactly ``x -> width - x`` (Detectron's ``width - x - 1``
in pixel indices).

**Heatmaps** follow Detectron's Keypoint R-CNN: a keypoint's training target is the one cell of
the RoI's ``S x S`` grid that contains it (:func:`keypoints_to_heatmap_targets`), trained with a
softmax over the grid (:func:`heatmap_probs`). Decoding (:func:`heatmaps_to_keypoints`) takes the
best cell with a sub-cell refinement (see there for how it differs from Detectron's).
"""
from typing import List, Optional, Sequence, Tuple, TypeVar

import numpy as np
import torch
from torch import Tensor

ArrayT = TypeVar('ArrayT', np.ndarray, Tensor)

COCO_PIXEL_OFFSET = 0.5  # COCO pixel index + offset = continuous coordinate


def coco_to_keypoints(flat: Optional[Sequence[float]], num_keypoints: int) -> np.ndarray:
    """COCO ``[x1, y1, v1, ..., xK, yK, vK]`` -> float32 array (K, 3) of continuous x, y and v.

    A missing or empty list (e.g. a crowd region) gives K unlabeled keypoints (all zeros).
    """
    keypoints = np.zeros((num_keypoints, 3), np.float32)
    if not flat:
        return keypoints
    if len(flat) != 3 * num_keypoints:
        raise ValueError(f'expected {3 * num_keypoints} keypoint values ({num_keypoints} '
                         f'keypoints), got {len(flat)}')
    keypoints[:] = np.asarray(flat, np.float32).reshape(num_keypoints, 3)
    keypoints[:, :2] += COCO_PIXEL_OFFSET
    return keypoints


def keypoints_to_coco(xy: np.ndarray, third: np.ndarray) -> List[float]:
    """Continuous keypoints (K, 2) and a third value per keypoint (K,) -> COCO flat list.

    The third value is the visibility flag in annotation files and a score in result files.
    """
    xy = np.asarray(xy, np.float64) - COCO_PIXEL_OFFSET
    third = np.asarray(third, np.float64).reshape(-1, 1)
    return np.concatenate([xy, third], axis=1).ravel().tolist()


def flip_indices_from_names(names: Sequence[str]) -> List[int]:
    """For each keypoint the index of its mirror image: ``left_*`` <-> ``right_*``, else itself."""
    index = {name: i for i, name in enumerate(names)}
    flip_indices = []
    for name in names:
        side, sep, rest = name.partition('_')
        if sep and side in ('left', 'right'):
            mirrored = ('right' if side == 'left' else 'left') + '_' + rest
            if mirrored not in index:
                raise ValueError(f'keypoint {name!r} has no mirrored keypoint {mirrored!r}')
            flip_indices.append(index[mirrored])
        else:
            flip_indices.append(index[name])
    return flip_indices


def flip_keypoints(keypoints: ArrayT, width: float, flip_indices: Sequence[int]) -> ArrayT:
    """Mirror keypoints (..., K, D >= 2) horizontally in an image ``width`` wide.

    ``x -> width - x`` and the channels are permuted by ``flip_indices`` (left <-> right); the
    other columns (y, visibility, ...) travel with their keypoint. Returns a new array/tensor.
    """
    flipped = keypoints[..., list(flip_indices), :]
    flipped[..., 0] = width - flipped[..., 0]
    return flipped


def warp_in_continuous_frame(matrix: np.ndarray) -> np.ndarray:
    """A 3 x 3 image warp as OpenCV applies it (``cv2.warpPerspective``: pixel ``i``'s centre at
    ``i``) -> the same warp of points in the continuous frame (pixel ``i``'s centre at
    ``i + 0.5``): shift by -0.5, warp, shift back."""
    to_opencv = np.array([[1., 0., -COCO_PIXEL_OFFSET], [0., 1., -COCO_PIXEL_OFFSET],
                          [0., 0., 1.]])
    return np.linalg.inv(to_opencv) @ np.asarray(matrix, np.float64) @ to_opencv


def project_keypoints(keypoints: np.ndarray, matrix: np.ndarray,
                      img_shape: Tuple[int, int]) -> np.ndarray:
    """Keypoints (..., K, 3) x, y, v under a 3 x 3 projective ``matrix`` of the continuous frame
    (:func:`warp_in_continuous_frame`), in an output image of ``img_shape`` (h, w).

    Every keypoint moves; one that lands outside ``[0, w) x [0, h)`` becomes unlabeled
    (v = 0). Returns a new array of the input's dtype.
    """
    xy = np.asarray(keypoints[..., :2], np.float64)
    homogeneous = np.concatenate([xy, np.ones_like(xy[..., :1])], axis=-1)
    warped = homogeneous @ np.asarray(matrix, np.float64).T
    xy = warped[..., :2] / warped[..., 2:]
    height, width = img_shape
    inside = (xy[..., 0] >= 0) & (xy[..., 0] < width) & (xy[..., 1] >= 0) & (xy[..., 1] < height)
    visibility = np.where(inside, keypoints[..., 2], 0)
    return np.concatenate([xy, visibility[..., None]], axis=-1).astype(keypoints.dtype)


def keypoints_to_heatmap_targets(keypoints: Tensor, visible: Tensor, rois: Tensor,
                                 heatmap_size: int) -> Tuple[Tensor, Tensor]:
    """Detectron's ``keypoints_to_heatmap_labels``: the grid cell of each keypoint in its RoI.

    Args:
        keypoints: (N, K, 2) continuous image coordinates.
        visible: (N, K), > 0 where the keypoint is labeled.
        rois: (N, 4) boxes x1, y1, x2, y2 in the same frame.
        heatmap_size: S, the side of the RoI's square heatmap grid.

    Returns:
        ``targets`` (N, K) int64, the cell ``y * S + x`` (0 where invalid), and ``valid`` (N, K)
        bool: labeled and inside the RoI. A keypoint exactly on the right/bottom edge belongs to
        the last cell.
    """
    x1, y1, x2, y2 = (rois[:, i, None] for i in range(4))
    x, y = keypoints[..., 0], keypoints[..., 1]
    cell_x = ((x - x1) * heatmap_size / (x2 - x1).clamp(min=1e-6)).floor()
    cell_y = ((y - y1) * heatmap_size / (y2 - y1).clamp(min=1e-6)).floor()
    cell_x = torch.where(x == x2, cell_x.new_tensor(heatmap_size - 1), cell_x)
    cell_y = torch.where(y == y2, cell_y.new_tensor(heatmap_size - 1), cell_y)
    valid = ((visible > 0) & (cell_x >= 0) & (cell_x < heatmap_size) & (cell_y >= 0)
             & (cell_y < heatmap_size))
    targets = torch.where(valid, cell_y * heatmap_size + cell_x, cell_x.new_zeros(()))
    return targets.long(), valid


def heatmap_probs(logits: Tensor) -> Tensor:
    """Softmax over each heatmap's grid (..., H, W): the distribution the loss trains."""
    return logits.flatten(-2).softmax(-1).view_as(logits)


def _parabola_peak(left: Tensor, centre: Tensor, right: Tensor) -> Tensor:
    """Offset in [-0.5, 0.5] of the vertex of the parabola through three equally spaced values."""
    curvature = left - 2 * centre + right
    offset = 0.5 * (left - right) / curvature.clamp(max=-1e-12)
    return torch.where(curvature < 0, offset, torch.zeros_like(offset)).clamp(-0.5, 0.5)


def heatmaps_to_keypoints(heatmaps: Tensor, rois: Tensor) -> Tuple[Tensor, Tensor]:
    """Decode RoI heatmaps of probabilities into image keypoints and scores.

    The best cell of each heatmap is refined to sub-cell precision by a parabola through the
    log-probabilities of the cell and its two neighbours along each axis (exact for a Gaussian
    peak; a cell on the grid border keeps its centre along that axis), then mapped into the
    image. Detectron instead resizes every RoI's heatmaps (bicubic) to the box size in pixels
    and takes the argmax; that resize replicates the border cells, so a keypoint in a border cell
    is pulled onto the box edge. Here the decoded point always lies in the best cell, within half
    a cell of where a one-cell target puts it.

    Args:
        heatmaps: (N, K, H, W) probabilities over each grid (:func:`heatmap_probs`, or their
            average over test-time views).
        rois: (N, 4) boxes x1, y1, x2, y2 in the frame the keypoints are wanted in.

    Returns:
        ``keypoints`` (N, K, 2) and ``scores`` (N, K), the probability of the best cell.
    """
    height, width = heatmaps.shape[-2:]
    flat = heatmaps.flatten(2)
    log_probs = flat.clamp(min=1e-30).log()
    scores, index = flat.max(dim=2)
    cell_x, cell_y = index % width, index // width

    def log_prob_at(dx: int, dy: int) -> Tensor:
        x = (cell_x + dx).clamp(0, width - 1)
        y = (cell_y + dy).clamp(0, height - 1)
        return log_probs.gather(2, (y * width + x)[..., None])[..., 0]

    centre = log_prob_at(0, 0)
    dx = _parabola_peak(log_prob_at(-1, 0), centre, log_prob_at(1, 0))
    dy = _parabola_peak(log_prob_at(0, -1), centre, log_prob_at(0, 1))
    dx = torch.where((cell_x > 0) & (cell_x < width - 1), dx, torch.zeros_like(dx))
    dy = torch.where((cell_y > 0) & (cell_y < height - 1), dy, torch.zeros_like(dy))

    x1, y1, x2, y2 = (rois[:, i, None] for i in range(4))
    keypoints = torch.stack([
        x1 + (cell_x + 0.5 + dx) * (x2 - x1) / width,
        y1 + (cell_y + 0.5 + dy) * (y2 - y1) / height,
    ], dim=-1)
    return keypoints, scores
