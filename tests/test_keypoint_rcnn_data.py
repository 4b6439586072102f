"""Keypoint R-CNN data path and metric: dataset, keypoint transforms, packing, COCO keypoint AP."""
import copy
import json
import os.path as osp
import random

import cv2
import numpy as np
import pytest
import torch
from mmdet.registry import DATASETS, METRICS, TRANSFORMS
from mmengine.registry import init_default_scope

from mmdistill.datasets import KeypointRandomAffine, KeypointRandomFlip

NAMES = [
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder',
    'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip',
    'left_knee', 'right_knee', 'left_ankle', 'right_ankle'
]
FLIP = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]
IMG_W, IMG_H = 48, 40

# image 1: a person (keypoints 15, 16 unlabeled), a crowd region and a degenerate box;
# image 2: no annotation; image 3: a person without labeled keypoints
PERSON_KEYPOINTS = np.array([[10 + k, 5 + (k * 7) % 30, 2] for k in range(17)], np.float64)
PERSON_KEYPOINTS[15:] = 0
ANNOTATIONS = [
    dict(id=1, image_id=1, category_id=1, bbox=[8, 4, 22, 32], area=600, iscrowd=0,
         keypoints=PERSON_KEYPOINTS.ravel().tolist(), num_keypoints=15),
    dict(id=2, image_id=1, category_id=1, bbox=[30, 2, 15, 30], area=300, iscrowd=1,
         keypoints=[0] * 51, num_keypoints=0),
    dict(id=3, image_id=1, category_id=1, bbox=[5, 5, 0, 10], area=0, iscrowd=0,
         keypoints=[0] * 51, num_keypoints=0),
    dict(id=4, image_id=3, category_id=1, bbox=[10, 10, 20, 20], area=300, iscrowd=0,
         keypoints=[0] * 51, num_keypoints=0),
]


def write_coco(root, annotations, name='ann.json') -> str:
    """Write three images and a COCO person-keypoint file under ``root``; return the file."""
    rng = np.random.default_rng(0)
    images = []
    for img_id in (1, 2, 3):
        cv2.imwrite(str(root / f'{img_id}.png'), rng.integers(0, 255, (IMG_H, IMG_W, 3), np.uint8))
        images.append(dict(id=img_id, file_name=f'{img_id}.png', width=IMG_W, height=IMG_H))
    categories = [dict(id=1, name='person', keypoints=NAMES, skeleton=[[16, 14], [14, 12]])]
    path = root / name
    path.write_text(json.dumps(dict(images=images, annotations=annotations,
                                    categories=categories)))
    return str(path)


def build_dataset(ann_file, pipeline=(), **kwargs):
    init_default_scope('mmdet')
    return DATASETS.build(
        dict(type='CocoKeypointDetDataset', ann_file=ann_file,
             data_prefix=dict(img=osp.dirname(ann_file)), pipeline=list(pipeline), **kwargs))


@pytest.fixture
def ann_file(tmp_path):
    return write_coco(tmp_path, ANNOTATIONS)


def test_dataset_reads_keypoints_and_metainfo(ann_file):
    dataset = build_dataset(ann_file, test_mode=True)
    assert [info['img_id'] for info in dataset] == [1, 2, 3]  # test mode keeps empty images
    assert dataset.metainfo['keypoint_names'] == NAMES
    assert dataset.metainfo['flip_indices'] == FLIP
    assert dataset.metainfo['skeleton'] == [[16, 14], [14, 12]]

    info = dataset.get_data_info(0)
    assert info['flip_indices'] == FLIP and info['num_keypoints'] == 17
    person, crowd = info['instances']  # the degenerate box is dropped, as mmdet does
    assert person['bbox'] == [8, 4, 30, 36] and person['ignore_flag'] == 0
    expected = PERSON_KEYPOINTS.astype(np.float32)
    expected[:, :2] += 0.5  # COCO pixel indices -> continuous coordinates
    np.testing.assert_array_equal(person['keypoints'], expected)
    assert crowd['ignore_flag'] == 1 and not crowd['keypoints'][:, 2].any()
    assert dataset.get_data_info(1)['instances'] == []


def test_dataset_training_filters(ann_file):
    dataset = build_dataset(ann_file, filter_cfg=dict(filter_empty_gt=True))
    assert [info['img_id'] for info in dataset] == [1, 3]
    dataset = build_dataset(ann_file, filter_cfg=dict(filter_empty_gt=True,
                                                      min_visible_keypoints=15))
    assert [info['img_id'] for info in dataset] == [1]


def test_dataset_reads_pseudo_label_files(tmp_path):
    """Pseudo-label files: extra score / keypoint_scores fields, v in {0, 2}, extra info."""
    pseudo = copy.deepcopy(ANNOTATIONS[:1])
    pseudo[0].update(score=0.93, keypoint_scores=[0.8] * 17)
    ann_file = write_coco(tmp_path, pseudo, name='pseudo.json')
    data = json.loads(open(ann_file).read())
    data['info'] = dict(teacher='teacher.pth', score_threshold=0.5)
    open(ann_file, 'w').write(json.dumps(data))

    dataset = build_dataset(ann_file, filter_cfg=dict(filter_empty_gt=True,
                                                      min_visible_keypoints=1))
    assert len(dataset) == 1
    (person, ) = dataset.get_data_info(0)['instances']
    np.testing.assert_array_equal(person['keypoints'][:, :2], PERSON_KEYPOINTS[:, :2] + 0.5)
    np.testing.assert_array_equal(person['keypoints'][:, 2], PERSON_KEYPOINTS[:, 2])


def test_dataset_names_the_annotation_with_a_wrong_keypoint_count(tmp_path):
    broken = copy.deepcopy(ANNOTATIONS[:1])
    broken[0]['keypoints'] = broken[0]['keypoints'][:-3]
    ann_file = write_coco(tmp_path, broken)
    with pytest.raises(ValueError, match=r'ann\.json: annotation 1: expected 51 keypoint values'):
        build_dataset(ann_file)


def test_dataset_takes_keypoint_names_from_metainfo_without_file_names(tmp_path):
    ann_file = write_coco(tmp_path, ANNOTATIONS)
    data = json.loads(open(ann_file).read())
    del data['categories'][0]['keypoints']
    open(ann_file, 'w').write(json.dumps(data))
    with pytest.raises(ValueError, match='lists keypoint names'):
        build_dataset(ann_file)
    dataset = build_dataset(ann_file, metainfo=dict(keypoint_names=NAMES[:15] + ['a', 'b']),
                            test_mode=True)
    assert dataset.metainfo['flip_indices'] == FLIP[:15] + [15, 16]
    assert dataset.get_data_info(0)['instances'][0]['keypoints'].shape == (17, 3)


LOAD = [dict(type='LoadImageFromFile'), dict(type='LoadKeypointAnnotations', with_bbox=True)]
PACK = dict(type='PackKeypointDetInputs', meta_keys=('img_id', 'scale_factor', 'flip'))


def pack(ann_file, *transforms):
    """The packed first sample (image 1) through LOAD + transforms + PACK."""
    packed = build_dataset(ann_file, [*LOAD, *transforms, PACK], test_mode=True)[0]
    return packed['inputs'], packed['data_samples']


def test_pack_puts_keypoints_into_instances(ann_file):
    _, sample = pack(ann_file)
    gt = sample.gt_instances
    assert gt.keypoints.shape == (1, 17, 2) and gt.keypoints_visible.shape == (1, 17)
    assert torch.equal(gt.keypoints[0], torch.from_numpy(PERSON_KEYPOINTS[:, :2] + 0.5).float())
    assert gt.keypoints_visible[0].tolist() == [1.0] * 15 + [0.0] * 2
    assert sample.ignored_instances.keypoints.shape == (1, 17, 2)  # the crowd region

    packed = build_dataset(ann_file, [*LOAD, PACK], test_mode=True)[1]  # image without people
    assert packed['data_samples'].gt_instances.keypoints.shape == (0, 17, 2)


def test_flip_moves_keypoints_with_the_pixels_and_swaps_left_right(tmp_path):
    """Paint each keypoint's pixel a unique colour; after the flip, channel k points at the
    pixel painted for its mirror keypoint FLIP[k]."""
    ann_file = write_coco(tmp_path, ANNOTATIONS)
    img = paint_keypoints(tmp_path)

    inputs, sample = pack(ann_file, dict(type='KeypointRandomFlip', prob=1.0))
    assert sample.flip
    flipped_img = inputs.permute(1, 2, 0).numpy()
    keypoints = sample.gt_instances.keypoints[0]
    visible = sample.gt_instances.keypoints_visible[0]
    for k in range(17):
        assert visible[k] == PERSON_KEYPOINTS[FLIP[k], 2] / 2
        if visible[k]:
            x, y = keypoints[k].floor().int().tolist()
            assert flipped_img[y, x, 0] == (FLIP[k] + 1) * 10
    assert sample.gt_instances.bboxes.tensor[0].tolist() == [IMG_W - 30, 4, IMG_W - 8, 36]

    inputs2, sample2 = pack(ann_file, dict(type='KeypointRandomFlip', prob=1.0),
                            dict(type='KeypointRandomFlip', prob=1.0))
    _, original = pack(ann_file)
    assert torch.equal(inputs2, torch.from_numpy(img).permute(2, 0, 1))
    assert torch.equal(sample2.gt_instances.keypoints, original.gt_instances.keypoints)
    assert torch.equal(sample2.gt_instances.keypoints_visible,
                       original.gt_instances.keypoints_visible)


def test_flip_rejects_non_horizontal_directions():
    with pytest.raises(ValueError, match='only horizontal'):
        KeypointRandomFlip(prob=0.5, direction='vertical')


def paint_keypoints(tmp_path) -> np.ndarray:
    """Image 1 black with keypoint k's pixel painted (k + 1) * 10; returns the image."""
    img = np.zeros((IMG_H, IMG_W, 3), np.uint8)
    for k, (x, y, v) in enumerate(PERSON_KEYPOINTS):
        if v:
            img[int(y), int(x)] = (k + 1) * 10
    cv2.imwrite(str(tmp_path / '1.png'), img)
    return img


@TRANSFORMS.register_module(force=True)
class FixedWarpAffine(KeypointRandomAffine):
    """KeypointRandomAffine whose random matrix is always ``warp`` (OpenCV's frame)."""

    def __init__(self, warp, **kwargs) -> None:
        super().__init__(border_val=(0, 0, 0), **kwargs)
        self.warp = np.asarray(warp, np.float32)

    def _get_random_homography_matrix(self, height, width):
        return self.warp


def affine_with(warp):
    return dict(type='FixedWarpAffine', warp=warp)


def test_affine_moves_keypoints_and_boxes_with_the_pixels(tmp_path):
    """A quarter turn plus a shift (pixel centres onto pixel centres): each keypoint lands on its
    painted pixel, the person's box on the box of the turned pixels, the crowd box follows."""
    ann_file = write_coco(tmp_path, ANNOTATIONS)
    paint_keypoints(tmp_path)
    inputs, sample = pack(ann_file, affine_with([[0, -1, 40], [1, 0, 5], [0, 0, 1]]))
    img = inputs.permute(1, 2, 0).numpy()
    assert img.shape[:2] == (IMG_H, IMG_W)
    keypoints = sample.gt_instances.keypoints[0]
    visible = sample.gt_instances.keypoints_visible[0]
    assert visible.tolist() == [1.0] * 15 + [0.0] * 2
    for k in range(15):
        x, y = keypoints[k].floor().int().tolist()
        assert img[y, x, 0] == (k + 1) * 10
    # pixel columns 8-29, rows 4-35 turn into columns 40 - row (5-36) and rows col + 5 (13-34)
    assert sample.gt_instances.bboxes.tensor[0].tolist() == [5, 13, 37, 35]
    # the crowd region (x 30-45, y 2-32) -> x 9-39, y 35-50 clipped to the image
    assert sample.ignored_instances.bboxes.tensor[0].tolist() == [9, 35, 39, IMG_H]


def test_affine_drops_what_leaves_the_image(tmp_path):
    ann_file = write_coco(tmp_path, ANNOTATIONS)
    _, shifted = pack(ann_file, affine_with([[1, 0, -15], [0, 1, 0], [0, 0, 1]]))
    visible = shifted.gt_instances.keypoints_visible[0]
    # keypoint k sits at x = 10 + k: the ones left of x = 15 leave the image, the box is clipped
    assert visible.tolist() == [0.0] * 5 + [1.0] * 10 + [0.0] * 2
    assert shifted.gt_instances.bboxes.tensor[0].tolist() == [0, 4, 15, 36]

    _, gone = pack(ann_file, affine_with([[1, 0, 100], [0, 1, 0], [0, 0, 1]]))
    assert len(gone.gt_instances) == 0 and gone.gt_instances.keypoints.shape == (0, 17, 2)
    assert len(gone.ignored_instances) == 0


def test_affine_turns_about_the_image_centre():
    """mmdet's matrix turns about the top-left corner; ours keeps the centre where it is."""
    turn = KeypointRandomAffine(max_rotate_degree=30, max_translate_ratio=0,
                                scaling_ratio_range=(0.8, 1.2), max_shear_degree=5)
    centre = np.array([(IMG_W - 1) / 2, (IMG_H - 1) / 2, 1])  # OpenCV's frame
    random.seed(0)  # mmdet draws the parameters from Python's random
    for _ in range(5):
        warp = turn._get_random_homography_matrix(IMG_H, IMG_W)
        assert not np.allclose(warp[:2, :2], np.eye(2), atol=1e-3)  # it did turn
        np.testing.assert_allclose(warp @ centre, centre, atol=1e-4)


def test_affine_without_change_keeps_everything(ann_file):
    still = dict(type='KeypointRandomAffine', max_rotate_degree=0, max_translate_ratio=0,
                 scaling_ratio_range=(1, 1), max_shear_degree=0)
    inputs, sample = pack(ann_file, still)
    original_inputs, original = pack(ann_file)
    assert torch.equal(inputs, original_inputs)
    assert torch.equal(sample.gt_instances.bboxes.tensor, original.gt_instances.bboxes.tensor)
    for field in ('keypoints', 'keypoints_visible'):
        assert torch.equal(sample.gt_instances[field], original.gt_instances[field])


@pytest.mark.parametrize('resize', [
    dict(type='KeypointResize', scale_factor=2.0),
    dict(type='RandomChoiceResize', scales=[(96, 60), (200, 100)], keep_ratio=True,
         resize_type='KeypointResize'),
])
def test_resize_scales_keypoints_with_the_image(ann_file, resize):
    _, original = pack(ann_file)
    inputs, sample = pack(ann_file, resize)
    w_scale, h_scale = sample.scale_factor
    assert inputs.shape[1:] == (round(IMG_H * h_scale), round(IMG_W * w_scale))
    assert w_scale > 1.2
    expected = original.gt_instances.keypoints * torch.tensor([w_scale, h_scale])
    assert torch.allclose(sample.gt_instances.keypoints, expected)
    assert torch.equal(sample.gt_instances.keypoints_visible,
                       original.gt_instances.keypoints_visible)


def gt_as_predictions(keypoint_shift: float = 0.0) -> list:
    """Predictions equal to the ground truth of the tiny file (continuous coordinates)."""
    xy = torch.from_numpy(PERSON_KEYPOINTS[:, :2] + 0.5 + keypoint_shift).float()
    return [
        dict(img_id=1, pred_instances=dict(
            bboxes=torch.tensor([[8., 4., 30., 36.]]), scores=torch.tensor([0.9]),
            labels=torch.tensor([0]), keypoints=xy[None], keypoint_scores=torch.ones(1, 17))),
        dict(img_id=2, pred_instances=dict(
            bboxes=torch.zeros(0, 4), scores=torch.zeros(0), labels=torch.zeros(0).long(),
            keypoints=torch.zeros(0, 17, 2), keypoint_scores=torch.zeros(0, 17))),
        dict(img_id=3, pred_instances=dict(  # a person without labeled keypoints: box only
            bboxes=torch.tensor([[10., 10., 30., 30.]]), scores=torch.tensor([0.8]),
            labels=torch.tensor([0]), keypoints=torch.full((1, 17, 2), 20.),
            keypoint_scores=torch.ones(1, 17))),
    ]


def evaluate(ann_file, predictions) -> dict:
    init_default_scope('mmdet')
    metric = METRICS.build(dict(type='CocoKeypointMetric', ann_file=ann_file))
    metric.dataset_meta = dict(classes=('person', ))
    metric.process({}, predictions)
    return metric.evaluate(len(predictions))


def test_metric_is_perfect_on_ground_truth(tmp_path):
    # a small person makes OKS sensitive to half a pixel: the COCO conversion must be exact
    annotations = copy.deepcopy([ann for ann in ANNOTATIONS if ann['area'] > 0])
    annotations[0]['area'] = 20
    ann_file = write_coco(tmp_path, annotations)
    metrics = evaluate(ann_file, gt_as_predictions())
    for name in ('keypoints/AP', 'keypoints/AP50', 'keypoints/AP75', 'keypoints/AR', 'bbox/mAP',
                 'bbox/mAP_50'):
        assert metrics[name] == pytest.approx(1.0), name
    shifted = evaluate(ann_file, gt_as_predictions(keypoint_shift=0.5))
    assert shifted['keypoints/AP'] < 0.5
    assert shifted['bbox/mAP'] == pytest.approx(1.0)


def test_metric_without_predictions_is_zero(ann_file):
    empty = [dict(p, pred_instances={k: v[:0] for k, v in p['pred_instances'].items()})
             for p in gt_as_predictions()]
    metrics = evaluate(ann_file, empty)
    assert metrics['keypoints/AP'] == 0 and metrics['bbox/mAP'] == 0


def test_affine_ablation_pipeline_keeps_instances_aligned(tiny_synthetic):
    """The affine ablation's training pipeline on synthetic images: every kept person keeps one
    box and its 17 keypoints, all labeled keypoints inside the warped image."""
    from mmengine.config import Config

    from .conftest import REPO_ROOT
    cfg = Config.fromfile(REPO_ROOT / 'configs/synthetic/ablations/student_affine-aug.py')
    init_default_scope('mmdet')
    dataset = DATASETS.build(dict(
        type='CocoKeypointDetDataset', data_root=str(tiny_synthetic),
        ann_file='annotations/labeled.json', data_prefix=dict(img='images/'),
        pipeline=cfg.affine_train_pipeline))
    for index in range(len(dataset)):
        packed = dataset[index]
        gt = packed['data_samples'].gt_instances
        height, width = packed['inputs'].shape[1:]
        assert gt.keypoints.shape == (len(gt.bboxes), 17, 2)
        inside = gt.keypoints[gt.keypoints_visible > 0]
        assert ((inside >= 0) & (inside < torch.tensor([width, height]))).all()
