"""The top-down configs inherit mmpose's zoo and build their (TTA) models without weights."""
import numpy as np
import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.hub import get_config
from mmengine.registry import init_default_scope
from mmpose.registry import MODELS

from mmdistill.models.tta import TopdownPoseTTAModel

from .conftest import REPO_ROOT

COCO = REPO_ROOT / 'configs/topdown/td-hm_res50_8xb64-210e_coco-256x192.py'
SYNTHETIC = REPO_ROOT / 'configs/topdown/td-hm_res18_synthetic-96x96_tta.py'
ZOO = 'mmpose::body_2d_keypoint/topdown_heatmap/coco/td-hm_res50_8xb64-210e_coco-256x192.py'


def build_tta(cfg: Config) -> TopdownPoseTTAModel:
    init_default_scope('mmpose')
    return MODELS.build(dict(cfg.tta_model, module=cfg.model)).eval()


def test_coco_teacher_is_the_zoo_config_and_builds_without_weights():
    cfg = Config.fromfile(COCO)
    model = cfg.model.to_dict()
    assert model.pop('_scope_') == 'mmpose'  # mmengine marks what came through mmpose::
    assert model == get_config(ZOO).model.to_dict()
    assert cfg.model.backbone.init_cfg.checkpoint == 'torchvision://resnet50'  # kept for users
    cfg = Config.fromfile(COCO.with_name(COCO.stem + '_tta.py'))
    cfg.model.backbone.init_cfg = None
    tta = build_tta(cfg)
    assert isinstance(tta, TopdownPoseTTAModel) and tta.paddings[0] == 1.25
    assert sum(p.numel() for p in tta.module.parameters()) > 30e6  # ResNet-50 + deconv head


def test_synthetic_tta_config_labels_an_image(tiny_synthetic):
    cfg = Config.fromfile(SYNTHETIC)
    tta = build_tta(cfg)
    bboxes = np.array([[10, 20, 90, 160], [100, 40, 150, 120]], dtype=np.float32)
    image = next((tiny_synthetic / 'images').rglob('*.png'))
    sample = Compose(cfg.tta_pipeline)(dict(
        img_path=str(image), bbox=bboxes, bbox_score=np.array([0.9, 0.5], dtype=np.float32),
        flip_indices=list(range(17))))
    with torch.no_grad():
        [result] = tta.test_step(pseudo_collate([sample]))
    pred = result.pred_instances
    assert pred.keypoints.shape == (2, 17, 2) and pred.keypoint_scores.shape == (2, 17)
    assert torch.equal(pred.scores, torch.tensor([0.9, 0.5]) * pred.keypoint_scores.mean(1))


def test_image_without_boxes_gets_empty_predictions(tiny_synthetic):
    tta = build_tta(Config.fromfile(SYNTHETIC))
    image = next((tiny_synthetic / 'images').rglob('*.png'))
    sample = Compose([dict(type='LoadImage'), dict(type='PackPoseInputs')])(
        dict(img_path=str(image), bbox=np.zeros((0, 4), np.float32)))
    [result] = tta.test_step(pseudo_collate([sample]))
    assert result.pred_instances.keypoints.shape == (0, 17, 2)
    assert len(result.pred_instances.scores) == 0
