"""TopdownPoseTTAModel against mmpose's own top-down inference, on a random-init small model."""
from collections import defaultdict

import cv2
import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmpose.registry import DATASETS, MODELS

from mmdistill.models.tta import TopdownPoseTTAModel

from .conftest import REPO_ROOT, TOPDOWN_CONFIG

IMAGE_PIPELINE = [dict(type='LoadImage'),
                  dict(type='PackPoseInputs', meta_keys=('img_id', 'img_path', 'flip_indices'))]


@pytest.fixture(scope='module')
def pose(tiny_synthetic):
    """The synthetic top-down model (random init) and its val dataset (one box per sample)."""
    init_default_scope('mmpose')
    cfg = Config.fromfile(REPO_ROOT / TOPDOWN_CONFIG)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).eval()
    dataset_cfg = cfg.val_dataloader.dataset
    dataset_cfg.data_root = f'{tiny_synthetic}/'
    dataset = DATASETS.build(dataset_cfg)
    model.dataset_meta = dataset.metainfo
    return model, dataset


def tta(model, **kwargs) -> TopdownPoseTTAModel:
    return TopdownPoseTTAModel(module=model, **kwargs).eval()


def image_sample(dataset, img_path, bboxes, img=None) -> dict:
    """One image with all its boxes, as the ``tta_pipeline`` packs it."""
    results = dict(img_path=img_path, bbox=np.asarray(bboxes, dtype=np.float32),
                   bbox_score=np.ones(len(bboxes), dtype=np.float32),
                   flip_indices=dataset.metainfo['flip_indices'])
    if img is None:
        return Compose(IMAGE_PIPELINE)(results)
    return Compose(IMAGE_PIPELINE[1:])(dict(results, img=img))


def test_identity_view_is_mmpose_inference(pose):
    model, dataset = pose
    model.test_cfg['flip_test'] = False
    by_image = defaultdict(list)
    for index in range(len(dataset)):
        by_image[dataset.get_data_info(index)['img_path']].append(index)
    assert max(len(v) for v in by_image.values()) > 1  # images with several persons
    for img_path, indices in by_image.items():
        with torch.no_grad():
            plain = model.test_step(pseudo_collate([dataset[i] for i in indices]))
        bboxes = np.concatenate([dataset.get_data_info(i)['bbox'] for i in indices])
        [merged] = tta(model, paddings=(1.25, ), flips=(False, )).test_step(
            pseudo_collate([image_sample(dataset, img_path, bboxes)]))
        pred = merged.pred_instances
        expected = np.concatenate([p.pred_instances.keypoints for p in plain])
        expected_scores = np.concatenate([p.pred_instances.keypoint_scores for p in plain])
        assert np.array_equal(pred.keypoints.numpy(), expected)
        assert np.array_equal(pred.keypoint_scores.numpy(), expected_scores)
        assert torch.equal(pred.scores, pred.keypoint_scores.mean(1))
        assert np.array_equal(pred.bboxes.numpy(), bboxes)


def test_flipped_view_of_mirrored_image_is_mirrored(pose):
    """The flipped crop of a mirrored image is the plain crop of the image (96 px boxes at
    padding 1: crops copy pixels), so the two predictions must be mirror images with left and
    right swapped: x' = width - x (mmpose's continuous convention), exactly where DARK's 5-cell
    blur does not reach the heatmap border."""
    model, dataset = pose
    info = dataset.get_data_info(0)
    img = cv2.imread(info['img_path'])
    width = img.shape[1]
    bboxes = np.array([[40, 30, 136, 126], [70, 60, 166, 156]], dtype=np.float32)
    mirrored = np.stack([width - bboxes[:, 2], bboxes[:, 1], width - bboxes[:, 0],
                         bboxes[:, 3]], 1)
    [plain] = tta(model, paddings=(1., ), flips=(False, )).test_step(
        pseudo_collate([image_sample(dataset, info['img_path'], bboxes, img)]))
    [flipped] = tta(model, paddings=(1., ), flips=(True, )).test_step(
        pseudo_collate([image_sample(dataset, info['img_path'], mirrored, img[:, ::-1].copy())]))
    flip_indices = dataset.metainfo['flip_indices']
    expected = plain.pred_instances.keypoints[:, flip_indices]
    expected[..., 0] = width - expected[..., 0]
    got = flipped.pred_instances.keypoints
    column = (expected[..., 0] - torch.from_numpy(mirrored[:, None, 0])) / (96 / 24)  # cells
    interior = (column >= 3) & (column <= 20)
    assert interior.sum() >= 10
    torch.testing.assert_close(got[interior], expected[interior], rtol=0, atol=1e-3)
    torch.testing.assert_close(flipped.pred_instances.keypoint_scores[interior],
                               plain.pred_instances.keypoint_scores[:, flip_indices][interior])
