"""Exact tests of the keypoint geometry behind Keypoint R-CNN (mmdistill.labeling.keypoints)."""
import cv2
import mmcv
import numpy as np
import pytest
import torch

from mmdistill.labeling import (coco_to_keypoints, flip_indices_from_names, flip_keypoints,
                                heatmap_probs, heatmaps_to_keypoints, keypoints_to_coco,
                                keypoints_to_heatmap_targets, project_keypoints,
                                warp_in_continuous_frame)

COCO_NAMES = [
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder',
    'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip',
    'left_knee', 'right_knee', 'left_ankle', 'right_ankle'
]
COCO_FLIP = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]


def test_coco_keypoints_convert_to_continuous_and_back():
    flat = [10, 20, 2, 0, 0, 0, 3.5, 4.25, 1]
    keypoints = coco_to_keypoints(flat, 3)
    np.testing.assert_array_equal(keypoints, [[10.5, 20.5, 2], [0.5, 0.5, 0], [4, 4.75, 1]])
    assert keypoints_to_coco(keypoints[:, :2], keypoints[:, 2]) == pytest.approx(
        [10, 20, 2, 0, 0, 0, 3.5, 4.25, 1])
    np.testing.assert_array_equal(coco_to_keypoints([], 2), np.zeros((2, 3)))
    np.testing.assert_array_equal(coco_to_keypoints(None, 2), np.zeros((2, 3)))
    with pytest.raises(ValueError, match='expected 6 keypoint values'):
        coco_to_keypoints([1, 2, 2], 2)


def test_flip_indices_from_coco_names():
    assert flip_indices_from_names(COCO_NAMES) == COCO_FLIP
    with pytest.raises(ValueError, match="no mirrored keypoint 'right_hand'"):
        flip_indices_from_names(['nose', 'left_hand'])


@pytest.mark.parametrize('backend', ['numpy', 'torch'])
def test_flip_keypoints_mirrors_swaps_and_is_an_involution(backend):
    rng = np.random.default_rng(0)
    keypoints = np.concatenate(
        [rng.uniform(0, 50, (3, 17, 2)), rng.integers(0, 3, (3, 17, 1))], axis=-1)
    if backend == 'torch':
        keypoints = torch.from_numpy(keypoints)
    flipped = flip_keypoints(keypoints, 50, COCO_FLIP)
    for k, src in enumerate(COCO_FLIP):
        assert np.allclose(flipped[:, k, 0], 50 - keypoints[:, src, 0])
        assert np.allclose(flipped[:, k, 1:], keypoints[:, src, 1:])
    twice = flip_keypoints(flipped, 50, COCO_FLIP)
    assert np.allclose(twice, keypoints)
    assert not np.allclose(flipped, keypoints)


def test_flip_keypoints_follows_the_flipped_image_pixels():
    """A keypoint on a pixel's centre lands on the centre of that pixel in the flipped image."""
    img = np.zeros((7, 10), np.uint8)
    pixels = [(1, 2), (4, 9), (6, 0)]  # (row, col), keypoints 0 (nose), 1 (left), 2 (right eye)
    for value, (row, col) in enumerate(pixels, start=1):
        img[row, col] = value
    keypoints = np.array([[[col + 0.5, row + 0.5] for row, col in pixels]])
    flipped_img = mmcv.imflip(img, 'horizontal')
    flipped = flip_keypoints(keypoints, img.shape[1], COCO_FLIP[:3])
    for k, value in enumerate([1, 3, 2]):  # left and right eye swap channels
        col, row = np.floor(flipped[0, k]).astype(int)
        assert flipped_img[row, col] == value


def test_warped_keypoints_follow_the_pixels_opencv_warps():
    """A quarter turn plus a shift maps pixel centres onto pixel centres in OpenCV's frame; a
    keypoint on a pixel's centre must land on the centre of the pixel that pixel moved to. The
    matrix used as is on continuous coordinates would be a whole pixel off."""
    img = np.zeros((9, 12), np.uint8)
    pixels = [(1, 2), (4, 7), (8, 0)]  # (row, col)
    for value, (row, col) in enumerate(pixels, start=1):
        img[row, col] = value
    warp = np.array([[0., -1., 10.], [1., 0., 1.], [0., 0., 1.]])  # x' = 10 - y, y' = x + 1
    warped_img = cv2.warpPerspective(img, warp, dsize=(12, 14), flags=cv2.INTER_NEAREST)
    keypoints = np.array([[col + 0.5, row + 0.5, 2] for row, col in pixels], np.float32)
    warped = project_keypoints(keypoints, warp_in_continuous_frame(warp), (14, 12))
    assert warped.dtype == np.float32
    for value, (x, y, v) in enumerate(warped, start=1):
        assert v == 2 and x % 1 == 0.5 and y % 1 == 0.5
        assert warped_img[int(y), int(x)] == value
    naive = project_keypoints(keypoints, warp, (14, 12))
    np.testing.assert_array_equal(naive[:, 0] - warped[:, 0], [-1, -1, -1])


def test_project_keypoints_unlabels_what_leaves_the_image():
    """Every keypoint moves; the ones outside [0, w) x [0, h) after the move become v = 0."""
    keypoints = np.array([[[2.5, 3.5, 2], [9.5, 1.5, 1], [0, 0, 0], [5, 5, 2]]], np.float32)
    shift = np.array([[1., 0., 4.], [0., 1., -2.], [0., 0., 1.]])  # x + 4, y - 2
    moved = project_keypoints(keypoints, shift, (6, 12))
    np.testing.assert_array_equal(moved, [[[6.5, 1.5, 2], [13.5, -0.5, 0], [4, -2, 0], [9, 3, 2]]])
    np.testing.assert_array_equal(project_keypoints(keypoints, np.eye(3), (6, 12)), keypoints)
    edge = project_keypoints(np.array([[12., 5., 2.], [11.99, 0., 2.]]), np.eye(3), (6, 12))
    np.testing.assert_array_equal(edge[:, 2], [0, 2])  # [0, w) x [0, h): w itself is outside


def test_heatmap_targets_match_detectron_rule():
    rois = torch.tensor([[10., 20., 50., 60.]])  # 40 x 40 box, 4 x 4 grid -> 10 px cells
    keypoints = torch.tensor([[
        [10., 20.],  # top-left corner: cell (0, 0)
        [49.9, 25.],  # x in the last column
        [50., 60.],  # bottom-right corner: clamped into the last cell (Detectron)
        [35., 45.],  # cell x=2, y=2
        [9.9, 30.],  # left of the box
        [30., 60.1],  # below the box
        [35., 45.],  # invisible
    ]])
    visible = torch.tensor([[2., 2., 2., 1., 2., 2., 0.]])
    targets, valid = keypoints_to_heatmap_targets(keypoints, visible, rois, 4)
    assert valid.tolist() == [[True, True, True, True, False, False, False]]
    assert targets.tolist() == [[0, 3, 15, 10, 0, 0, 0]]


def test_heatmap_round_trip_within_half_a_cell():
    """Encode random keypoints as one-hot heatmaps; decoding gives them back within half a cell."""
    torch.manual_seed(0)
    num_rois, size = 64, 56
    corner = torch.rand(num_rois, 2) * 100
    wh = torch.rand(num_rois, 2) * 300 + 5  # boxes smaller and larger than the grid
    rois = torch.cat([corner, corner + wh], dim=1)
    keypoints = corner[:, None] + torch.rand(num_rois, 17, 2) * wh[:, None]
    targets, valid = keypoints_to_heatmap_targets(keypoints, torch.ones(num_rois, 17), rois, size)
    assert valid.all()
    logits = torch.zeros(num_rois, 17, size * size).scatter_(2, targets[..., None], 8.0)
    probs = heatmap_probs(logits.view(num_rois, 17, size, size))
    assert torch.allclose(probs.sum((2, 3)), torch.ones(num_rois, 17))

    decoded, scores = heatmaps_to_keypoints(probs, rois)
    half_cell = wh[:, None] / size / 2
    assert ((decoded - keypoints).abs() <= half_cell + 1e-4).all()
    redecoded_targets, _ = keypoints_to_heatmap_targets(decoded, valid, rois, size)
    assert torch.equal(redecoded_targets, targets)
    assert torch.allclose(scores, probs.flatten(2).amax(2))


def test_heatmap_decoding_refines_within_the_best_cell():
    """A peak shared by two cells decodes to their common border; a Gaussian to its centre."""
    rois = torch.tensor([[0., 0., 8., 8.]])
    logits = torch.zeros(1, 2, 8, 8)
    logits[0, 0, 4, 2] = logits[0, 0, 4, 3] = 5.0  # two equal cells in row 4
    ys, xs = torch.meshgrid(torch.arange(8.), torch.arange(8.), indexing='ij')
    logits[0, 1] = -((xs - 4.2)**2 + (ys - 2.9)**2) / 2  # log of a Gaussian centred at (4.2, 2.9)
    keypoints, _ = heatmaps_to_keypoints(heatmap_probs(logits), rois)
    assert keypoints[0, 0].tolist() == pytest.approx([3.0, 4.5])
    assert keypoints[0, 1].tolist() == pytest.approx([4.7, 3.4], abs=1e-4)  # + 0.5: cell centres
