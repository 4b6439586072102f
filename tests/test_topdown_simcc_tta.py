"""SimCC (RTMPose's RTMCCHead) in the top-down views: the 1-D warp of mmdistill.labeling.topdown
exactly, and TopdownPoseTTAModel against mmpose's own inference on a tiny random-init RTMPose."""

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmpose.codecs import SimCCLabel
from mmpose.models.utils.tta import flip_vectors
from mmpose.registry import DATASETS, MODELS

from mmdistill.labeling import CropFrame, average_warped, warp_vectors

from .conftest import REPO_ROOT, TOPDOWN_CONFIG
from .topdown_tta_utils import assert_base_views_are_mmpose_inference, image_sample, tta

FLIP_INDICES = [0, 2, 1, 4, 3]  # a nose and two left/right pairs
SPLIT = 2.  # simcc_split_ratio: bins per input pixel
# RTMPose-m's codec and head (mmpose's rtmpose-m_8xb256-420e_coco-256x192.py) shrunk to a 96 x 96
# input: a small CSPNeXt, a narrow GAU
CODEC = dict(type='SimCCLabel', input_size=(96, 96), sigma=(2.1, 2.1), simcc_split_ratio=SPLIT,
             normalize=False, use_dark=False)
TINY_RTMPOSE = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(type='PoseDataPreprocessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], bgr_to_rgb=True),
    backbone=dict(_scope_='mmdet', type='CSPNeXt', arch='P5', expand_ratio=0.5,
                  deepen_factor=0.167, widen_factor=0.125, out_indices=(4, ),
                  channel_attention=True, norm_cfg=dict(type='BN'), act_cfg=dict(type='SiLU'),
                  init_cfg=None),
    head=dict(type='RTMCCHead', in_channels=128, out_channels=17, input_size=CODEC['input_size'],
              in_featuremap_size=(3, 3), simcc_split_ratio=SPLIT, final_layer_kernel_size=3,
              gau_cfg=dict(hidden_dims=32, s=16, expansion_factor=2, dropout_rate=0.,
                           drop_path=0., act_fn='SiLU', use_rel_bias=False, pos_enc=False),
              loss=dict(type='KLDiscretLoss', use_target_weight=True, beta=10.,
                        label_softmax=True),
              decoder=CODEC),
    test_cfg=dict(flip_test=False))


def frame(center, scale, size, flip=False) -> CropFrame:
    return CropFrame(torch.tensor([center], dtype=torch.float64),
                     torch.tensor([scale], dtype=torch.float64), size, flip, flip_offset=1)


# ---------------------------------------------------------------- the 1-D warp, exactly

def test_identity_view_reproduces_vectors():
    base = frame((123.456, 78.9), (61.37, 81.83), (122, 164))
    for axis, length in enumerate(base.size):
        vectors = torch.randn(1, 5, length)
        warped, coverage = warp_vectors(vectors, base, base, axis)
        assert torch.equal(coverage, torch.ones(1, length, dtype=torch.float64))
        assert torch.equal(average_warped([warped], [coverage]), vectors)


def test_flip_is_mmpose_flip_vectors():
    """A mirrored SimCC frame is undone as RTMCCHead's flip test does (``flip_vectors``: x bins
    reversed without a shift, left/right swapped; y only swapped), with every bin covered."""
    centers = torch.tensor([[50., 60.], [7., 9.]])
    scales = torch.tensor([[30., 40.], [3., 4.]])
    size = (24, 32)
    plain = CropFrame(centers, scales, size, flip_offset=1)
    flipped = CropFrame(centers, scales, size, True, flip_offset=1)
    simcc_x, simcc_y = torch.randn(2, 5, 24), torch.randn(2, 5, 32)
    expected_x, expected_y = flip_vectors(simcc_x, simcc_y, FLIP_INDICES)
    for axis, vectors, expected in ((0, simcc_x, expected_x), (1, simcc_y, expected_y)):
        warped, coverage = warp_vectors(vectors, flipped, plain, axis, FLIP_INDICES)
        assert torch.equal(coverage, torch.ones_like(coverage))
        assert torch.equal(warped.float(), expected)
    with pytest.raises(ValueError, match='flip_indices'):
        warp_vectors(simcc_x, flipped, plain, 0)


def gaussian_1d(frame_: CropFrame, axis: int, point: float, sigma: float) -> torch.Tensor:
    """A unit peak at the image coordinate ``point`` on the frame's ``axis`` grid (1, 1, L)."""
    center, scale = frame_.center[0, axis].item(), frame_.scale[0, axis].item()
    length = frame_.size[axis]
    cells = torch.arange(length, dtype=torch.float64)
    if frame_.flip and axis == 0:
        coords = center + scale / 2 - (cells + frame_.flip_offset) * scale / length
    else:
        coords = center - scale / 2 + cells * scale / length
    return torch.exp(-(coords - point)**2 / (2 * sigma**2))[None, None].float()


def test_average_of_two_crop_scales_keeps_the_peak():
    """A keypoint seen through a tight (padding 1.0) and a loose (1.5, also mirrored) crop of a
    32 x 32 box comes back in the base crop (1.25) at its bin with value 1, and mmpose's
    ``SimCCLabel`` decodes it to the image point.

    The point lies on a bin of every grid, so the peak is sampled, not interpolated; elsewhere
    linear interpolation of a Gaussian errs by at most step^2 / 8 * max|f''| = step^2 /
    (8 sigma^2), with the source step in image pixels (0.5 and 1 here).
    """
    center, point, sigma = (0., 0.), (4., -2.), 3.
    base = frame(center, (40., 40.), (80, 80))  # input 40 x 40 at split ratio 2: step 0.5 px
    views = [frame(center, (32., 32.), (64, 64)),  # step 0.5 px, sees only the middle
             frame(center, (48., 48.), (48, 48)),  # step 1 px
             frame(center, (48., 48.), (48, 48), flip=True)]
    average = [
        average_warped(*zip(*[
            warp_vectors(gaussian_1d(view, axis, point[axis], sigma), view, base, axis, [0])
            for view in views
        ])) for axis in (0, 1)
    ]
    for axis, vectors in enumerate(average):
        peak = int(vectors.argmax())
        assert peak == (point[axis] + 20) * SPLIT
        assert vectors[0, 0, peak] == pytest.approx(1., abs=1e-6)
        bound = 1.**2 / (8 * sigma**2)
        assert (vectors - gaussian_1d(base, axis, point[axis], sigma)).abs().max() <= bound
    codec = SimCCLabel(input_size=(40, 40), simcc_split_ratio=SPLIT, sigma=sigma,
                       normalize=False)
    keypoints, scores = codec.decode(*[v.numpy() for v in average])
    # input to image as TopdownPoseEstimator.add_pred_to_datasample: 40 px input = scale 40
    image = keypoints[0, 0] / 40 * 40 + np.array(center) - 40 / 2
    assert image.tolist() == list(point)
    assert scores[0, 0] == pytest.approx(1., abs=1e-6)


# ---------------------------------------------------------------- the TTA model vs mmpose

@pytest.fixture(scope='module')
def rtmpose(tiny_synthetic):
    """A tiny RTMPose (random init, seeded) and the synthetic val dataset at its input size."""
    init_default_scope('mmpose')
    torch.manual_seed(0)
    model = MODELS.build(TINY_RTMPOSE).eval()
    cfg = Config.fromfile(REPO_ROOT / TOPDOWN_CONFIG)
    dataset_cfg = cfg.val_dataloader.dataset
    dataset_cfg.data_root = f'{tiny_synthetic}/'
    assert dataset_cfg.pipeline[-2] == dict(type='TopdownAffine', input_size=(96, 96))
    dataset = DATASETS.build(dataset_cfg)
    model.dataset_meta = dataset.metainfo
    return model, dataset


@pytest.mark.parametrize('flip_test', [False, True])
def test_base_views_are_mmpose_inference(rtmpose, flip_test):
    """The base crop alone is mmpose's plain ``predict``; the base crop and its mirror are
    mmpose's flip test (``RTMCCHead.predict`` averages the flipped-back vectors). Exactly."""
    model, dataset = rtmpose
    model.test_cfg['flip_test'] = flip_test
    assert_base_views_are_mmpose_inference(
        model, dataset, flips=(False, True) if flip_test else (False, ))


def test_flipped_view_of_mirrored_image_is_mirrored(rtmpose):
    """The flipped crop of a mirrored image is the plain crop of the image (96 px boxes at
    padding 1: crops copy pixels), so the two predictions must be mirror images with left and
    right swapped. mmpose's SimCC flip test reverses the x bins without a shift, so the mirror
    is x' = width - x - 1 / simcc_split_ratio (the heatmap flip test's is width - x); keypoints
    whose score is not positive are placed at bin -1 by mmpose's decoder in either frame."""
    model, dataset = rtmpose
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
    expected[..., 0] = width - expected[..., 0] - 1 / SPLIT
    scores = plain.pred_instances.keypoint_scores[:, flip_indices]
    assert torch.equal(flipped.pred_instances.keypoint_scores, scores)
    found = scores > 0
    assert found.sum() >= 17
    torch.testing.assert_close(flipped.pred_instances.keypoints[found], expected[found], rtol=0,
                               atol=1e-4)


def test_all_views_label_an_image(rtmpose):
    """Three crop paddings x flip on two boxes: keypoints near the boxes, person score = box
    score x mean keypoint score."""
    model, dataset = rtmpose
    info = dataset.get_data_info(0)
    bboxes = np.array([[10, 20, 90, 160], [100, 40, 150, 120]], dtype=np.float32)
    [result] = tta(model, paddings=(1.25, 1.0, 1.5), flips=(False, True)).test_step(
        pseudo_collate([image_sample(dataset, info['img_path'], bboxes, bbox_scores=[0.9, 0.5])]))
    pred = result.pred_instances
    assert pred.keypoints.shape == (2, 17, 2) and pred.keypoint_scores.shape == (2, 17)
    assert torch.equal(pred.scores, torch.tensor([0.9, 0.5]) * pred.keypoint_scores.mean(1))
    # inside the base crop (box padded by 1.25 to the 1 : 1 input), one bin of slack
    centers = torch.from_numpy((bboxes[:, :2] + bboxes[:, 2:]) / 2)[:, None]
    half = 1.25 * torch.from_numpy(np.maximum(bboxes[:, 2] - bboxes[:, 0],
                                              bboxes[:, 3] - bboxes[:, 1]))[:, None, None] / 2
    found = pred.keypoint_scores > 0
    assert found.sum() >= 17
    assert ((pred.keypoints - centers).abs() <= half * (1 + 1 / 96))[found].all()
