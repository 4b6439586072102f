"""Exact tests of the view-merging math (mmdistill.labeling.ensemble)."""
import torch

from mmdistill.labeling import heatmaps_to_keypoints
from mmdistill.labeling.ensemble import (average_heatmaps, boxes_to_original, boxes_to_view,
                                         flip_boxes, merge_boxes, scale_size_weights,
                                         unflip_heatmaps)

FLIP = [0, 2, 1, 4, 3]  # nose, left/right eye, left/right ear


def _boxes(n: int = 6, width: float = 200.) -> torch.Tensor:
    xy = torch.rand(n, 2) * width / 2
    wh = torch.rand(n, 2) * width / 2 + 1
    return torch.cat([xy, xy + wh], dim=1)


def _fake_heatmaps(boxes: torch.Tensor, points: torch.Tensor, size: int) -> torch.Tensor:
    """A flip-equivariant fake keypoint head: a peaked distribution around each point."""
    x1, y1, x2, y2 = (boxes[:, i, None, None, None] for i in range(4))
    centres = (torch.arange(size) + 0.5) / size
    gx = x1 + centres[None, None, None, :] * (x2 - x1)
    gy = y1 + centres[None, None, :, None] * (y2 - y1)
    px, py = points[..., 0, None, None], points[..., 1, None, None]
    logits = -((gx - px) ** 2 + (gy - py) ** 2) / 50.
    return logits.flatten(-2).softmax(-1).view(logits.shape)


def test_flip_boxes_is_an_involution():
    boxes = _boxes()
    torch.testing.assert_close(flip_boxes(flip_boxes(boxes, 200.), 200.), boxes)
    assert (flip_boxes(boxes, 200.)[:, 2] >= flip_boxes(boxes, 200.)[:, 0]).all()


def test_view_round_trip_is_bit_exact():
    boxes = _boxes(50)
    for scale_factor, flip in [((1.7, 1.7), True), ((0.333, 0.334), False), ((1., 1.), True)]:
        original = boxes_to_original(boxes, scale_factor, flip, 123.)
        assert torch.equal(boxes_to_view(original, scale_factor, flip, 123.), boxes)


def test_flip_predict_unflip_equals_predict():
    torch.manual_seed(0)
    width, size = 160., 16
    boxes = _boxes(4, width)
    points = boxes[:, None, :2] + torch.rand(4, 5, 2) * (boxes[:, None, 2:] - boxes[:, None, :2])
    plain = _fake_heatmaps(boxes, points, size)
    flipped_points = points[:, FLIP].clone()
    flipped_points[..., 0] = width - flipped_points[..., 0]
    in_view = _fake_heatmaps(flip_boxes(boxes, width), flipped_points, size)
    torch.testing.assert_close(unflip_heatmaps(in_view, FLIP), plain)
    kpts, scores = heatmaps_to_keypoints(unflip_heatmaps(in_view, FLIP), boxes)
    kpts_plain, scores_plain = heatmaps_to_keypoints(plain, boxes)
    torch.testing.assert_close(kpts, kpts_plain, rtol=1e-5, atol=1e-4)  # float32 grid rounding
    torch.testing.assert_close(scores, scores_plain)


def test_unflip_twice_is_identity():
    heatmaps = torch.rand(3, 5, 8, 8)
    assert torch.equal(unflip_heatmaps(unflip_heatmaps(heatmaps, FLIP), FLIP), heatmaps)


def test_averaging_identical_heatmaps_changes_nothing():
    heatmaps = torch.rand(4, 5, 8, 8).softmax(-1)
    stacked = heatmaps[None].expand(7, -1, -1, -1, -1)
    torch.testing.assert_close(average_heatmaps(stacked), heatmaps, rtol=0, atol=1e-7)
    weights = torch.tensor([[1., 0, 1, 1, 0, 0, 1]]).expand(4, -1)
    torch.testing.assert_close(average_heatmaps(stacked, weights), heatmaps, rtol=0, atol=1e-7)


def test_weighted_average_uses_only_weighted_views():
    views = torch.stack([torch.zeros(2, 1, 2, 2), torch.ones(2, 1, 2, 2)])
    weights = torch.tensor([[1., 0.], [1., 1.]])
    averaged = average_heatmaps(views, weights)
    assert torch.equal(averaged[0], torch.zeros(1, 2, 2))
    assert torch.equal(averaged[1], torch.full((1, 2, 2), 0.5))


def test_merge_single_view_is_identity():
    boxes = torch.tensor([[0., 0, 10, 10], [20, 20, 40, 50], [5, 0, 15, 10]])
    scores = torch.tensor([0.9, 0.8, 0.3])
    merged, merged_scores = merge_boxes(boxes, scores)  # IoU(0, 2) = 1/3 < 0.5
    assert torch.equal(merged.float(), boxes)
    assert torch.equal(merged_scores, scores)


def test_merge_votes_boxes_of_several_views():
    boxes = torch.tensor([[0., 0, 10, 10], [1, 0, 11, 10], [50, 50, 60, 60]])
    scores = torch.tensor([0.6, 0.2, 0.5])
    merged, merged_scores = merge_boxes(boxes, scores, nms_iou_thr=0.5, vote_iou_thr=0.8)
    torch.testing.assert_close(merged[0].float(), torch.tensor([0.25, 0, 10.25, 10]))
    assert torch.equal(merged_scores, torch.tensor([0.6, 0.5]))
    nms_only, _ = merge_boxes(boxes, scores, vote_iou_thr=None)
    assert torch.equal(nms_only.float(), boxes[[0, 2]])
    assert len(merge_boxes(boxes, scores, max_num=1)[0]) == 1
    empty, empty_scores = merge_boxes(torch.zeros(0, 4), torch.zeros(0))
    assert empty.shape == (0, 4) and empty_scores.shape == (0, )


def test_scale_size_weights_follow_detectron():
    areas = torch.tensor([100. ** 2, 300. ** 2])
    weights = scale_size_weights(areas, [400, 800, 1200], base_scale=800)
    assert weights.tolist() == [[0, 1, 1], [1, 1, 0]]
    # a box whose only views are excluded falls back to all views
    assert scale_size_weights(areas, [400], base_scale=800).tolist() == [[1], [1]]
