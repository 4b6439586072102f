"""Keypoint R-CNN model: keypoint loss, configs, training step, prediction, heatmaps for TTA."""
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
import torch.nn.functional as F
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData

from mmdistill.labeling import heatmaps_to_keypoints

ROOT = Path(__file__).resolve().parents[1]
COCO_CONFIG = ROOT / 'configs/keypoint_rcnn/keypoint-rcnn_r50_fpn_1x_coco.py'
SYNTHETIC_CONFIG = ROOT / 'configs/synthetic/teacher.py'


def build_head(**kwargs):
    init_default_scope('mmdet')
    cfg = dict(type='KeypointRCNNHead', num_keypoints=4, in_channels=8, num_convs=1,
               conv_out_channels=8, heatmap_size=8)
    return MODELS.build({**cfg, **kwargs})


def keypoint_loss(head, keypoints, visible, boxes):
    """Loss of one image whose positive RoIs are ``boxes`` matched to GT 0, 1, ..."""
    res = SimpleNamespace(pos_priors=boxes, pos_assigned_gt_inds=torch.arange(len(boxes)))
    gt = InstanceData(keypoints=keypoints, keypoints_visible=visible)
    rois, targets, valid = head.get_targets([res], [gt])
    torch.manual_seed(0)
    logits = torch.randn(len(rois[0]), 4, 8, 8, requires_grad=True)
    return head.loss(logits, targets, valid)['loss_keypoint'], logits, rois, targets, valid


def test_keypoint_loss_counts_only_labeled_keypoints_inside_the_roi():
    head = build_head(loss_weight=2.0)
    boxes = torch.tensor([[0., 0., 16., 16.], [20., 20., 40., 40.]])
    keypoints = torch.tensor([[[2., 2.], [15., 9.], [8., 8.], [30., 3.]],
                              [[25., 25.], [30., 30.], [35., 35.], [22., 22.]]])
    visible = torch.tensor([[2., 1., 0., 2.], [0., 0., 0., 0.]])
    loss, logits, rois, targets, valid = keypoint_loss(head, keypoints, visible, boxes)

    assert torch.equal(rois[0], boxes[:1])  # the RoI without labeled keypoints is dropped
    assert valid.tolist() == [[True, True, False, False]]
    assert targets[0, :2].tolist() == [1 * 8 + 1, 4 * 8 + 7]
    log_probs = F.log_softmax(logits.detach().flatten(2), dim=2)
    expected = -(log_probs[0, 0, 9] + log_probs[0, 1, 39]) / 2  # mean over the 2 valid ones
    assert loss.item() == pytest.approx(2.0 * expected.item(), rel=1e-6)

    loss.backward()
    assert logits.grad[0, :2].abs().sum() > 0
    assert logits.grad[0, 2:].abs().sum() == 0  # invisible / outside: zero weight

    moved = keypoints.clone()
    moved[0, 2] = torch.tensor([3., 13.])  # still invisible
    moved[0, 3] = torch.tensor([-5., 40.])  # still outside
    assert keypoint_loss(head, moved, visible, boxes)[0].item() == loss.item()
    moved[0, 0] = torch.tensor([12., 12.])  # a counted keypoint moves: the loss changes
    assert keypoint_loss(head, moved, visible, boxes)[0].item() != loss.item()


def test_keypoint_loss_without_labeled_keypoints_is_zero():
    head = build_head()
    boxes = torch.tensor([[0., 0., 16., 16.]])
    res = SimpleNamespace(pos_priors=boxes, pos_assigned_gt_inds=torch.tensor([0]))
    gt = InstanceData(keypoints=torch.rand(1, 4, 2) * 16, keypoints_visible=torch.zeros(1, 4))
    rois, targets, valid = head.get_targets([res], [gt])
    assert rois[0].shape == (0, 4) and targets.shape == (0, 4)
    logits = head(torch.zeros(0, 8, 4, 4))
    assert logits.shape == (0, 4, 8, 8)
    loss = head.loss(logits, targets, valid)['loss_keypoint']
    assert loss.item() == 0 and not torch.isnan(loss)
    loss.backward()
    grads = [p.grad for p in head.parameters()]
    assert all(g is not None and g.abs().sum() == 0 for g in grads)


def build_model(config: Path, **cfg_options):
    cfg = Config.fromfile(str(config))
    cfg.merge_from_dict({'model.backbone.init_cfg': None, **cfg_options})
    init_default_scope(cfg.default_scope)
    return MODELS.build(cfg.model)


def person_sample(height: int, width: int, scale: float = 1.0) -> DetDataSample:
    """One person with 17 labeled keypoints in an image (height, width) resized by ``scale``."""
    sample = DetDataSample(metainfo=dict(
        img_shape=(height, width), ori_shape=(round(height / scale), round(width / scale)),
        scale_factor=(scale, scale), pad_shape=(height, width),
        batch_input_shape=(height, width)))
    generator = torch.Generator().manual_seed(0)
    box = torch.tensor([0.2 * width, 0.1 * height, 0.7 * width, 0.9 * height])
    keypoints = box[:2] + torch.rand(1, 17, 2, generator=generator) * (box[2:] - box[:2])
    sample.gt_instances = InstanceData(
        bboxes=box[None], labels=torch.tensor([0]), keypoints=keypoints,
        keypoints_visible=torch.ones(1, 17))
    sample.ignored_instances = InstanceData(bboxes=torch.zeros(0, 4))
    return sample


def test_coco_config_builds_and_trains_one_step():
    model = build_model(COCO_CONFIG)
    assert type(model).__name__ == 'FasterRCNN'
    assert type(model.roi_head).__name__ == 'KeypointRoIHead'
    assert sum(p.numel() for p in model.parameters()) == 59_186_278
    head = model.roi_head.keypoint_head
    assert len(head.convs) == 8 and head.heatmap_size == 56
    assert model.roi_head.keypoint_roi_extractor.roi_layers[0].output_size == (14, 14)

    model.train()
    torch.manual_seed(0)
    losses = model(torch.randn(1, 3, 128, 160), [person_sample(128, 160)], mode='loss')
    loss, _ = model.parse_losses(losses)
    assert torch.isfinite(losses['loss_keypoint']) and losses['loss_keypoint'] > 0
    loss.backward()
    assert head.deconv.weight.grad.abs().sum() > 0
    assert model.backbone.layer4[0].conv1.weight.grad.abs().sum() > 0


@pytest.fixture(scope='module')
def small_model():
    torch.manual_seed(0)
    model = build_model(SYNTHETIC_CONFIG, **{'model.test_cfg.rcnn.score_thr': 0.0})
    return model.eval()


def test_synthetic_config_is_cpu_sized(small_model):
    head = small_model.roi_head.keypoint_head
    assert head.heatmap_size == 28 and len(head.convs) == 4
    assert sum(p.numel() for p in small_model.parameters()) < 5_000_000


def test_predict_returns_keypoints_in_the_original_image(small_model):
    torch.manual_seed(0)
    inputs = torch.randn(1, 3, 128, 160)
    with torch.no_grad():
        feats = small_model.extract_feat(inputs)
        samples = [person_sample(128, 160, scale=2.0)]
        rpn = small_model.rpn_head.predict(feats, samples, rescale=False)
        scaled = small_model.roi_head.predict(feats, [r.clone() for r in rpn], samples,
                                              rescale=True)[0]
        unscaled = small_model.roi_head.predict(feats, rpn, samples, rescale=False)[0]

    assert len(unscaled) > 0
    assert unscaled.keypoints.shape == (len(unscaled), 17, 2)
    assert unscaled.keypoint_scores.shape == (len(unscaled), 17)
    assert ((unscaled.keypoint_scores > 0) & (unscaled.keypoint_scores <= 1)).all()
    assert torch.allclose(scaled.bboxes, unscaled.bboxes / 2)
    # decoded keypoints lie inside their box, in the frame of the box
    for results in (scaled, unscaled):
        lo, hi = results.bboxes[:, None, :2], results.bboxes[:, None, 2:]
        assert ((results.keypoints >= lo - 1e-4) & (results.keypoints <= hi + 1e-4)).all()
    assert torch.allclose(scaled.keypoints, unscaled.keypoints / 2, atol=1e-4)


def test_keypoint_branch_alone_reproduces_the_predictions(small_model):
    """Heatmaps of the final boxes, decoded, give what predict gives (identity ensemble)."""
    torch.manual_seed(1)
    inputs = torch.randn(2, 3, 96, 128)
    samples = [person_sample(96, 128), person_sample(96, 128)]
    with torch.no_grad():
        feats = small_model.extract_feat(inputs)
        rpn = small_model.rpn_head.predict(feats, samples, rescale=False)
        results = small_model.roi_head.predict(feats, rpn, samples, rescale=False)
        heatmaps = small_model.roi_head.predict_keypoint_heatmaps(
            feats, [r.bboxes for r in results])
    for img_results, img_heatmaps in zip(results, heatmaps):
        assert img_heatmaps.shape == (len(img_results), 17, 28, 28)
        assert torch.allclose(img_heatmaps.sum((2, 3)), torch.ones(len(img_results), 17))
        keypoints, scores = heatmaps_to_keypoints(img_heatmaps, img_results.bboxes)
        assert torch.equal(keypoints, img_results.keypoints)
        assert torch.equal(scores, img_results.keypoint_scores)


def test_tensor_mode_includes_keypoint_logits(small_model):
    with torch.no_grad():
        (roi_outs, ) = small_model(torch.randn(1, 3, 64, 64), [person_sample(64, 64)],
                                   mode='tensor')
    cls_score, _, keypoint_logits = roi_outs
    assert keypoint_logits.shape == (min(len(cls_score), 100), 17, 28, 28)


def test_mask_branch_is_rejected():
    init_default_scope('mmdet')
    cfg = Config.fromfile(str(SYNTHETIC_CONFIG)).model.roi_head
    cfg.mask_head = dict(type='FCNMaskHead')
    with pytest.raises(ValueError, match='mask branch'):
        MODELS.build(cfg)


@pytest.mark.slow
def test_train_and_evaluate_with_tools_train(tmp_path):
    """tools/train.py trains the synthetic teacher a few iterations and reports keypoint AP."""
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    data = tmp_path / 'data'
    subprocess.run([sys.executable, str(ROOT / 'tools/make_synthetic.py'), '--out', str(data),
                    '--num-labeled', '4', '--num-unlabeled', '0', '--num-val', '2'],
                   check=True, env=env, capture_output=True)
    root = f'{data}/'
    subprocess.run([
        sys.executable, str(ROOT / 'tools/train.py'), str(SYNTHETIC_CONFIG), '--work-dir',
        str(tmp_path / 'work'), '--cfg-options', 'train_cfg.max_iters=4',
        'train_cfg.val_interval=4', 'train_dataloader.batch_size=2',
        'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False',
        f'train_dataloader.dataset.data_root={root}', f'val_dataloader.dataset.data_root={root}',
        f'val_evaluator.ann_file={root}annotations/val.json'
    ], check=True, env=env, capture_output=True, cwd=tmp_path)
    (scalars, ) = (tmp_path / 'work').glob('*/vis_data/scalars.json')
    records = [json.loads(line) for line in scalars.read_text().splitlines()]
    assert any('loss_keypoint' in r for r in records)
    (final, ) = [r for r in records if 'keypoints/AP' in r]
    assert 0 <= final['keypoints/AP'] <= 1 and 0 <= final['bbox/mAP'] <= 1
    assert (tmp_path / 'work' / 'iter_4.pth').exists()
