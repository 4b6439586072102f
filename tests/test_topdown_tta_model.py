"""TopdownPoseTTAModel against mmpose's own top-down inference, on a random-init small model."""
import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmpose.registry import DATASETS, MODELS

from .conftest import REPO_ROOT, TOPDOWN_CONFIG
from .topdown_tta_utils import assert_base_views_are_mmpose_inference, image_sample, tta


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


def test_identity_view_is_mmpose_inference(pose):
    model, dataset = pose
    model.test_cfg['flip_test'] = False
    assert_base_views_are_mmpose_inference(model, dataset, flips=(False, ))


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
