"""KeypointRCNNTTAModel on a randomly initialised synthetic Keypoint R-CNN (CPU, tiny images)."""
import copy
from pathlib import Path

import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from mmdet.registry import MODELS
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

import mmdistill  # noqa: F401
from mmdistill.labeling.ensemble import flip_boxes
from mmdistill.models.tta import KeypointRCNNTTAModel

ROOT = Path(__file__).resolve().parents[1]
FLIP = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]
META_KEYS = ('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
             'flip_direction', 'flip_indices', 'scale')


def tta_pipeline(scales, flips=(False, )):
    return [
        dict(type='LoadImageFromFile'),
        dict(type='TestTimeAug', transforms=[
            [dict(type='KeypointResize', scale=(2 * s, s), keep_ratio=True) for s in scales],
            [dict(type='KeypointRandomFlip', prob=float(flip)) for flip in flips],
            [dict(type='PackKeypointDetInputs', meta_keys=META_KEYS)]])
    ]


@pytest.fixture(scope='module')
def detector():
    init_default_scope('mmdet')
    cfg = Config.fromfile(ROOT / 'configs/synthetic/teacher.py')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model.eval()


@pytest.fixture(scope='module')
def image(tmp_path_factory):
    import cv2
    path = tmp_path_factory.mktemp('img') / 'a.png'
    rng = np.random.default_rng(0)
    img = rng.integers(0, 60, (90, 120, 3), np.uint8)
    cv2.rectangle(img, (20, 10), (60, 80), (200, 180, 160), -1)
    cv2.imwrite(str(path), img)
    return dict(img_path=str(path), img_id=1, flip_indices=FLIP)


def run_tta(detector, image, scales, flips, **kwargs):
    tta = KeypointRCNNTTAModel(module=detector, **kwargs)
    data = pseudo_collate([Compose(tta_pipeline(scales, flips))(copy.deepcopy(image))])
    with torch.no_grad():
        return tta.test_step(data)[0].pred_instances


def test_one_identity_view_equals_the_plain_model(detector, image):
    test_pipeline = Compose([
        dict(type='LoadImageFromFile'),
        dict(type='KeypointResize', scale=(256, 128), keep_ratio=True),
        dict(type='PackKeypointDetInputs', meta_keys=META_KEYS[:5])])
    with torch.no_grad():
        plain = detector.test_step(pseudo_collate([test_pipeline(copy.deepcopy(image))]))
    plain = plain[0].pred_instances
    merged = run_tta(detector, image, [128], [False])
    assert len(plain) > 0 and len(merged) == len(plain)
    torch.testing.assert_close(merged.bboxes, plain.bboxes)
    torch.testing.assert_close(merged.scores, plain.scores, rtol=0, atol=0)
    torch.testing.assert_close(merged.keypoints, plain.keypoints)
    torch.testing.assert_close(merged.keypoint_scores, plain.keypoint_scores)


@pytest.mark.parametrize('scale_size_dep', [False, True])
def test_several_views_give_one_prediction_in_the_original_image(detector, image,
                                                                 scale_size_dep):
    merged = run_tta(detector, image, [96, 128, 160], [True, False], max_per_img=7,
                     scale_size_dep=scale_size_dep, base_scale=128, area_thr=40 ** 2)
    assert 0 < len(merged) <= 7
    assert merged.keypoints.shape == (len(merged), 17, 2)
    assert merged.bboxes.dtype == torch.float32
    assert (merged.scores[:-1] >= merged.scores[1:]).all()
    boxes = merged.bboxes
    assert (boxes[:, 0] >= -1).all() and (boxes[:, 2] <= 121).all() and (boxes[:, 3] <= 91).all()
    assert ((merged.keypoint_scores > 0) & (merged.keypoint_scores <= 1)).all()
    cached = run_tta(detector, image, [96, 128, 160], [True, False], max_per_img=7,
                     scale_size_dep=scale_size_dep, base_scale=128, area_thr=40 ** 2,
                     cache_features=True)
    for key in ('bboxes', 'scores', 'keypoints', 'keypoint_scores'):
        assert torch.equal(cached.get(key), merged.get(key))
    # each view keeps its own geometry and weight: their order does not matter
    reordered = run_tta(detector, image, [160, 96, 128], [False, True], max_per_img=7,
                        scale_size_dep=scale_size_dep, base_scale=128, area_thr=40 ** 2)
    for key in ('bboxes', 'scores', 'keypoints', 'keypoint_scores'):
        torch.testing.assert_close(reordered.get(key), merged.get(key), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize('flips', [(True, ), (True, False)])
def test_an_image_and_its_mirror_give_mirrored_predictions(detector, image, tmp_path, flips):
    """The flipped view of an image is its mirror's plain view (scale 90: the image's own
    size, no resize), so undoing the flip must give the mirror's prediction mirrored, with
    left and right keypoints swapped."""
    import cv2
    width = 120
    mirror = dict(image, img_path=str(tmp_path / 'mirror.png'), img_id=2)
    cv2.imwrite(mirror['img_path'], cv2.imread(image['img_path'])[:, ::-1])
    pred = run_tta(detector, image, [90], flips)
    expected = run_tta(detector, mirror, [90], [not flip for flip in flips])
    assert len(pred) > 0 and len(pred) == len(expected)
    torch.testing.assert_close(pred.scores, expected.scores, rtol=0, atol=0)
    torch.testing.assert_close(pred.bboxes, flip_boxes(expected.bboxes, width),
                               rtol=0, atol=1e-4)
    mirrored_keypoints = expected.keypoints[:, FLIP].clone()
    mirrored_keypoints[..., 0] = width - mirrored_keypoints[..., 0]
    torch.testing.assert_close(pred.keypoints, mirrored_keypoints, rtol=0, atol=1e-4)
    torch.testing.assert_close(pred.keypoint_scores, expected.keypoint_scores[:, FLIP])


def test_no_detection_gives_empty_keypoints(detector, image):
    detector = copy.deepcopy(detector)
    detector.roi_head.test_cfg.score_thr = 1.1
    merged = run_tta(detector, image, [96, 128], [True, False])
    assert len(merged) == 0 and merged.keypoints.shape == (0, 17, 2)
    assert merged.keypoint_scores.shape == (0, 17)


def test_a_batch_of_images_equals_one_image_at_a_time(detector, image, tmp_path):
    import cv2
    other = dict(image, img_path=str(tmp_path / 'b.png'), img_id=2)
    # same size: a batch pads images to a common size, which changes a smaller one's features
    cv2.imwrite(other['img_path'], np.full((90, 120, 3), 90, np.uint8))
    pipeline = Compose(tta_pipeline([96, 128], [True, False]))
    tta = KeypointRCNNTTAModel(module=detector)
    # One thread and no oneDNN: multi-threaded reductions, and oneDNN's choice of convolution
    # kernel by batch size (it differs between machines), add rounding that differs between a
    # batch and a single image; on this untrained detector near-tied scores and heatmap peaks
    # then reorder NMS and top-k or move an argmax (25 px on one CPU with oneDNN).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with torch.no_grad(), torch.backends.mkldnn.flags(enabled=False):
        try:
            batch = tta.test_step(
                pseudo_collate([pipeline(copy.deepcopy(i)) for i in (image, other)]))
            alones = [tta.test_step(pseudo_collate([pipeline(copy.deepcopy(single))]))[0]
                      for single in (image, other)]
        finally:
            torch.set_num_threads(threads)
        for merged, single, alone in zip(batch, (image, other), alones):
            assert merged.img_id == single['img_id']
            # per-image convolutions without oneDNN: exactly equal
            for key in ('bboxes', 'scores', 'keypoints'):
                torch.testing.assert_close(merged.pred_instances.get(key),
                                           alone.pred_instances.get(key), rtol=0, atol=0)
