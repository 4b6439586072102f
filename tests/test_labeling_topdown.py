"""Exact tests of the top-down view warp and average (mmdistill.labeling.topdown)."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmpose.models.utils.tta import flip_heatmaps
from mmpose.structures.bbox import get_warp_matrix

from mmdistill.labeling.topdown import CropFrame, average_warped, warp_heatmaps

FLIP_INDICES = [0, 2, 1, 4, 3]  # a nose and two left/right pairs


def frame(center, scale, size, flip=False) -> CropFrame:
    return CropFrame(torch.tensor([center], dtype=torch.float32),
                     torch.tensor([scale], dtype=torch.float32), size, flip)


def test_identity_view_reproduces_input():
    heatmaps = torch.rand(1, 5, 16, 12)
    base = frame((123.456, 78.9), (61.37, 81.83), (12, 16))
    warped, coverage = warp_heatmaps(heatmaps, base, base)
    assert torch.equal(coverage, torch.ones(1, 16, 12, dtype=torch.float64))
    assert torch.equal(average_warped([warped], [coverage]), heatmaps)


def test_flip_twice_is_identity():
    heatmaps = torch.rand(1, 5, 16, 12)
    plain = frame((123.456, 78.9), (61.37, 81.83), (12, 16))
    flipped = frame((123.456, 78.9), (61.37, 81.83), (12, 16), flip=True)
    once, coverage = warp_heatmaps(heatmaps, flipped, plain, FLIP_INDICES)
    twice, _ = warp_heatmaps(once.float(), plain, flipped, FLIP_INDICES)
    # the mirror about the box center maps cell j to 12 - j: cell 0 has no source
    assert torch.equal(coverage[..., 0], torch.zeros(1, 16, dtype=torch.float64))
    assert torch.equal(coverage[..., 1:], torch.ones(1, 16, 11, dtype=torch.float64))
    assert torch.equal(twice[..., 1:].float(), heatmaps[..., 1:])


def test_flip_is_mmpose_flip_test():
    """The flipped frame is mmpose's flip test with ``shift_heatmap=True`` (left/right swapped),
    on every column that has a source."""
    heatmaps = torch.rand(2, 5, 16, 12)
    centers, scales = torch.tensor([[50., 60.], [7., 9.]]), torch.tensor([[30., 40.], [3., 4.]])
    warped, _ = warp_heatmaps(heatmaps, CropFrame(centers, scales, (12, 16), True),
                              CropFrame(centers, scales, (12, 16)), FLIP_INDICES)
    expected = flip_heatmaps(heatmaps.clone(), FLIP_INDICES, 'heatmap', shift_heatmap=True)
    assert torch.equal(warped[..., 1:].float(), expected[..., 1:])


def test_flip_needs_flip_indices():
    plain = frame((0., 0.), (8., 8.), (4, 4))
    with pytest.raises(ValueError, match='flip_indices'):
        warp_heatmaps(torch.rand(1, 5, 4, 4), frame((0., 0.), (8., 8.), (4, 4), True), plain)


def test_warp_agrees_with_mmpose_get_warp_matrix():
    """Cells of the base frame sampled where mmpose's warp matrices put them in the view."""
    center, base_scale, view_scale = (103.3, 71.7), (60., 80.), (48., 64.)
    view_size, base_size = (12, 16), (15, 20)
    heatmaps = torch.rand(1, 5, 16, 12)
    warped, _ = warp_heatmaps(heatmaps, frame(center, view_scale, view_size),
                              frame(center, base_scale, base_size))
    to_image = get_warp_matrix(np.array(center), np.array(base_scale), 0., base_size, inv=True)
    to_view = get_warp_matrix(np.array(center), np.array(view_scale), 0., view_size)
    xs, ys = np.meshgrid(np.arange(base_size[0]), np.arange(base_size[1]))
    cells = np.stack([xs, ys, np.ones_like(xs)], -1).astype(np.float64)
    image = cells @ to_image.T
    view = np.concatenate([image, np.ones_like(image[..., :1])], -1) @ to_view.T
    grid = torch.from_numpy(view / (np.array(view_size) - 1) * 2 - 1)[None]
    expected = F.grid_sample(heatmaps.double(), grid, align_corners=True, padding_mode='zeros')
    torch.testing.assert_close(warped, expected, rtol=0, atol=1e-4)  # float32 inside mmpose


def gaussian(frame_: CropFrame, point, sigma: float) -> torch.Tensor:
    """A unit peak at the image ``point`` drawn on the frame's grid (1, 1, H, W)."""
    (cx, cy), (sx, sy) = frame_.center[0].tolist(), frame_.scale[0].tolist()
    w, h = frame_.size
    xs = cx - sx / 2 + torch.arange(w, dtype=torch.float64) * sx / w
    ys = cy - sy / 2 + torch.arange(h, dtype=torch.float64) * sy / h
    d2 = (xs[None] - point[0])**2 + (ys[:, None] - point[1])**2
    return torch.exp(-d2 / (2 * sigma**2))[None, None].float()


def test_average_of_two_crop_scales_keeps_the_peak():
    """A peak seen through a tight (padding 1.0) and a loose (1.5) crop of a 32 x 32 box comes
    back in the base crop (1.25) at the same cell with value 1.

    The point lies on a cell of every grid, so the peak is sampled, not interpolated; elsewhere
    linear interpolation of a Gaussian errs by at most (hx^2 + hy^2) / 8 * max|f''| =
    step^2 / (4 sigma^2) with the source step in image pixels (1 and 2 here).
    """
    center, point, sigma = (0., 0.), (4., -2.), 3.
    base = frame(center, (40., 40.), (40, 40))  # step 1 px
    tight = frame(center, (32., 32.), (32, 32))  # step 1 px, sees only the middle
    loose = frame(center, (48., 48.), (24, 24))  # step 2 px
    views = [warp_heatmaps(gaussian(view, point, sigma), view, base) for view in (tight, loose)]
    average = average_warped(*zip(*views))
    row, col = divmod(int(average.argmax()), 40)
    assert (col, row) == (4 + 20, -2 + 20)
    assert average[0, 0, row, col] == pytest.approx(1., abs=1e-6)
    bound = 2.**2 / (4 * sigma**2)
    assert (average - gaussian(base, point, sigma)).abs().max() <= bound
