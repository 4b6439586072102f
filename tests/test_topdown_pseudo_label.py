"""The top-down family's pseudo-labeling: person boxes (mmpose's ``bbox_file``) from an mmdet
detector, unlabeled images carrying them, and tools/pseudo_label.py with ``--detector`` /
``--bbox-file`` writing the same COCO file as the Keypoint R-CNN family."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DATASETS, init_default_scope

from mmdistill.evaluation import PersonBoxFileMetric
from mmdistill.labeling.annotation_file import AnnotationFileError
from mmdistill.labeling.person_boxes import (load_person_boxes, person_detections,
                                             write_detections_atomic)
from mmdistill.labeling.pseudo_label_file import validate_pseudo_labels
from mmdistill.utils.person_detection import without_annotation_loading
from .conftest import REPO_ROOT, free_port, run_tool, tiny_topdown_options

POSE_CONFIG = 'configs/topdown/td-hm_res18_synthetic-96x96_pseudo-label.py'
DETECTOR_CONFIG = 'configs/synthetic/teacher.py'
COCO_DETECTOR_CONFIG = 'configs/topdown/faster-rcnn_r50_fpn_1x_coco_person-boxes.py'


def _write(path: Path, data) -> Path:
    path.write_text(json.dumps(data))
    return path


# ---------------------------------------------------------------- person box files

def test_person_box_file_round_trip_and_filters(tmp_path):
    boxes = [[10., 20., 40., 80.], [0., 0., 5., 5.]]
    path = tmp_path / 'boxes.json'
    detections = person_detections(7, boxes, [0.9, 0.2])
    assert detections[0] == dict(image_id=7, bbox=[10., 20., 30., 60.], score=0.9,
                                 category_id=1)
    write_detections_atomic(str(path), detections + [
        dict(image_id=8, bbox=[1, 2, 3, 4], score=0.99, category_id=2),  # not a person
        dict(image_id=8, bbox=[1, 2, 0, 4], score=0.99, category_id=1),  # no width
        dict(image_id=8, bbox=[1, 2, 3, 4], score=0.5, category_id=1)])
    assert load_person_boxes(str(path), {7, 8, 9}) == {
        7: (boxes, [0.9, 0.2]), 8: ([[1, 2, 4, 6]], [0.5])}
    # mmpose's bbox_score_thr: scores below are dropped, equal ones kept
    assert load_person_boxes(str(path), {7, 8, 9}, score_thr=0.5) == {
        7: ([boxes[0]], [0.9]), 8: ([[1, 2, 4, 6]], [0.5])}


@pytest.mark.parametrize('content, message', [
    (dict(images=[]), r'expected a list of detections .* got a JSON dict'),
    ([dict(image_id=1, bbox=[0, 0, 1, 1], score=1.)], r'\[0\]: missing field\(s\) category_id'),
    ([dict(image_id=1, bbox=[0, 0, 1], score=1., category_id=1)], r'\[0\]\.bbox must be'),
    ([dict(image_id=1, bbox=[0, 0, 1, 1], score='high', category_id=1)], r'\[0\]\.score'),
    ([dict(image_id=5, bbox=[0, 0, 1, 1], score=1., category_id=1)],
     r'\[0\]\.image_id 5 is not one of the unlabeled images'),
])
def test_broken_person_box_file_names_file_and_entry(tmp_path, content, message):
    path = _write(tmp_path / 'boxes.json', content)
    with pytest.raises(AnnotationFileError, match=f'^{path}: ' + message):
        load_person_boxes(str(path), {1}, images_name='the unlabeled images')


def test_unlabeled_images_carry_their_boxes_into_the_pose_pipeline(tiny_synthetic, tmp_path):
    info = tiny_synthetic / 'annotations' / 'unlabeled_images.json'
    ids = sorted(image['id'] for image in json.loads(info.read_text())['images'])
    boxes = _write(tmp_path / 'boxes.json', person_detections(
        ids[1], [[10., 20., 50., 90.], [5., 5., 30., 40.]], [0.8, 0.1]))
    init_default_scope('mmpose')
    dataset = DATASETS.build(dict(
        type='UnlabeledImageDataset', ann_file=str(info), bbox_file=str(boxes), bbox_thr=0.3,
        data_prefix=dict(img=f'{tiny_synthetic}/images/'),
        pipeline=Config.fromfile(REPO_ROOT / POSE_CONFIG).tta_pipeline))
    samples = [dataset[i]['data_samples'] for i in range(len(dataset))]
    assert [s.img_id for s in samples] == ids  # every image, also those without boxes
    assert [len(s.gt_instances.bboxes) for s in samples] == [0, 1] + [0] * (len(ids) - 2)
    assert np.array_equal(samples[1].gt_instances.bboxes, [[10., 20., 50., 90.]])
    assert np.array_equal(samples[1].gt_instances.bbox_scores, np.float32([0.8]))


def test_detector_test_pipelines_lose_their_annotation_loading():
    """mmdet's test and TTA pipelines load ground-truth boxes the unlabeled images lack."""
    tta = [dict(type='LoadImageFromFile'),
           dict(type='TestTimeAug', transforms=[
               [dict(type='Resize', scale=(1333, 800))],
               [dict(type='LoadAnnotations', with_bbox=True)],
               [dict(type='PackDetInputs')]])]
    assert without_annotation_loading(tta) == [
        dict(type='LoadImageFromFile'),
        dict(type='TestTimeAug', transforms=[[dict(type='Resize', scale=(1333, 800))],
                                             [dict(type='PackDetInputs')]])]
    zoo = Config.fromfile(REPO_ROOT / COCO_DETECTOR_CONFIG)
    kept = without_annotation_loading(zoo.test_dataloader.dataset.pipeline)
    assert [t['type'] for t in kept] == ['LoadImageFromFile', 'Resize', 'PackDetInputs']


def test_person_box_metric_writes_person_boxes_by_image_id(tmp_path):
    out = tmp_path / 'boxes.json'
    metric = PersonBoxFileMetric(str(out), person_label=0)

    def sample(img_id, labels, readable=True):
        n = len(labels)
        return dict(img_id=img_id, readable=readable, pred_instances=dict(
            bboxes=torch.arange(4 * n, dtype=torch.float32).reshape(n, 4) + img_id,
            scores=torch.linspace(0.9, 0.5, n), labels=torch.tensor(labels)))

    metric.process({}, [sample(5, [0, 2, 0]), sample(2, [1])])
    metric.process({}, [sample(3, [0], readable=False), sample(1, [0])])
    metrics = metric.compute_metrics(metric.results)
    detections = json.loads(out.read_text())
    assert [(d['image_id'], d['score']) for d in detections] == [
        (1, pytest.approx(0.9)), (5, pytest.approx(0.9)), (5, pytest.approx(0.5))]
    assert detections[0]['bbox'] == [1., 2., 2., 2.] and detections[0]['category_id'] == 1
    assert metrics == dict(boxes_per_image=3 / 4)


# ---------------------------------------------------------------- the tool

def _fails_with(args, tmp_path) -> str:
    proc = subprocess.run([sys.executable, 'tools/pseudo_label.py'] + args, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert proc.returncode != 0 and 'Traceback' not in proc.stderr
    return proc.stderr.strip().splitlines()[-1]


def test_tool_asks_a_topdown_model_for_boxes_and_only_it(tiny_synthetic, tmp_path):
    files = ['--unlabeled', str(tiny_synthetic / 'annotations' / 'unlabeled_images.json'),
             '--labeled', str(tiny_synthetic / 'annotations' / 'labeled.json')]
    checkpoint = _write(tmp_path / 'any.pth', {})
    out = ['--out', str(tmp_path / 'pseudo.json')]
    assert _fails_with([POSE_CONFIG, str(checkpoint)] + out + files, tmp_path) == (
        f'error: {POSE_CONFIG}: a top-down model labels person boxes: give --detector '
        'DET_CONFIG DET_CHECKPOINT or --bbox-file')
    assert _fails_with([DETECTOR_CONFIG, str(checkpoint), '--bbox-file', 'b.json'] + out + files,
                       tmp_path) == (f'error: {DETECTOR_CONFIG}: --detector / --bbox-file are '
                                     'for top-down models (tta_model TopdownPoseTTAModel)')


@pytest.fixture(scope='module')
def pose_checkpoint(tmp_path_factory) -> Path:
    """A randomly initialised synthetic top-down checkpoint (seeded)."""
    from mmpose.registry import MODELS
    init_default_scope('mmpose')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(REPO_ROOT / POSE_CONFIG).model)
    model.init_weights()
    path = tmp_path_factory.mktemp('topdown') / 'pose.pth'
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), path)
    return path


def _inputs(tiny_synthetic) -> list:
    return ['--unlabeled', str(tiny_synthetic / 'annotations' / 'unlabeled_images.json'),
            '--labeled', str(tiny_synthetic / 'annotations' / 'labeled.json'),
            '--cfg-options', f'pseudo_label.img_prefix={tiny_synthetic}/images/']


@pytest.mark.slow
def test_tool_with_a_bbox_file_writes_a_file_mmpose_trains_on(pose_checkpoint, tiny_synthetic,
                                                              tmp_path):
    truth = json.loads((tiny_synthetic / 'annotations' / 'unlabeled_gt.json').read_text())
    first = min(image['id'] for image in truth['images'])
    detections = [dict(image_id=ann['image_id'], bbox=ann['bbox'], score=0.9, category_id=1)
                  for ann in truth['annotations'] if ann['image_id'] != first]
    boxes = _write(tmp_path / 'boxes.json', detections + [
        dict(d, score=0.1) for d in detections[:2]])  # below --bbox-thr
    out = tmp_path / 'pseudo.json'
    output = run_tool(['tools/pseudo_label.py', POSE_CONFIG, str(pose_checkpoint), '--out',
                       str(out), '--bbox-file', str(boxes), '--bbox-thr', '0.5',
                       '--score-thr', '0', '--kpt-thr', '0'] + _inputs(tiny_synthetic)).output
    assert f'{len(detections)} person boxes scoring >= 0.5' in output
    data = json.loads(out.read_text())
    validate_pseudo_labels(data, str(out))
    assert sorted(image['id'] for image in data['images']) == sorted(
        image['id'] for image in truth['images'])  # also the image without boxes
    assert len(data['annotations']) == len(detections)
    assert first not in {ann['image_id'] for ann in data['annotations']}
    assert data['info']['bbox_file'] == str(boxes) and data['info']['bbox_thr'] == 0.5
    # the file trains as-is: mmpose's CocoDataset through the synthetic training pipeline
    cfg = Config.fromfile(REPO_ROOT / 'configs/synthetic/td-hm_res18_synthetic-96x96.py')
    init_default_scope('mmpose')
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, data_root='',
                                  ann_file=str(out),
                                  data_prefix=dict(img=f'{tiny_synthetic}/images/')))
    assert len(dataset) == len(detections)
    sample = dataset[0]
    assert sample['inputs'].shape == (3, 96, 96)
    assert sample['data_samples'].gt_fields.heatmaps.shape == (17, 24, 24)


@pytest.fixture(scope='module')
def detector_run(pose_checkpoint, random_keypoint_rcnn, tiny_synthetic, tmp_path_factory):
    """tools/pseudo_label.py --detector, one process; ``--bbox-thr`` keeps about a tenth of
    the random detector's boxes (all score about 0.5) to keep the run short."""
    out = tmp_path_factory.mktemp('topdown_single') / 'pseudo.json'
    args = [POSE_CONFIG, str(pose_checkpoint), '--detector', DETECTOR_CONFIG,
            str(random_keypoint_rcnn), '--bbox-thr', '0.5'] + _inputs(tiny_synthetic)
    output = run_tool(['tools/pseudo_label.py', '--out', str(out)] + args).output
    return out, args, output


def _content(path: Path) -> dict:
    data = json.loads(path.read_text())
    for key in ('date_created', 'world_size'):
        data['info'].pop(key)
    return data


@pytest.mark.slow
def test_tool_with_a_detector_labels_its_boxes(detector_run, random_keypoint_rcnn):
    out, _, output = detector_run
    data = json.loads(out.read_text())
    validate_pseudo_labels(data, str(out))
    boxes = json.loads((out.parent / 'pseudo.json.shards' / 'person_boxes.json').read_text())
    assert boxes and {d['category_id'] for d in boxes} == {1}
    kept = [d for d in boxes if d['score'] >= 0.5]
    assert f'{len(kept)} person boxes scoring >= 0.5' in output
    # every kept person is one of the detector's boxes, with its box score in the person score
    for ann in data['annotations']:  # (the file rounds to 0.01 px)
        [box_score] = [d['score'] for d in kept if d['image_id'] == ann['image_id']
                       and np.allclose(d['bbox'], ann['bbox'], rtol=0, atol=0.01)]
        assert ann['score'] <= box_score
    info = data['info']
    assert info['detector_config'] == str(REPO_ROOT / DETECTOR_CONFIG)
    assert info['detector_checkpoint_sha256'] == __import__('hashlib').sha256(
        random_keypoint_rcnn.read_bytes()).hexdigest()
    assert info['tta_model']['type'] == 'TopdownPoseTTAModel'
    detector = Config.fromfile(REPO_ROOT / DETECTOR_CONFIG)  # the boxes' views are recorded
    assert info['detector_tta_model'] == json.loads(json.dumps(detector.tta_model.to_dict()))
    assert info['detector_tta_pipeline'] == json.loads(json.dumps(
        [t.to_dict() for t in detector.tta_pipeline]))


@pytest.mark.slow
def test_tool_with_a_detector_two_processes_give_the_same_file(detector_run, tmp_path):
    reference, args, _ = detector_run
    out = tmp_path / 'pseudo.json'
    run_tool(['tools/dist_pseudo_label.sh', args[0], args[1], '2', '--out', str(out)] + args[2:],
             env=dict(PORT=str(free_port())))
    shards = tmp_path / 'pseudo.json.shards'
    assert len(list(shards.glob('*.jsonl'))) == 2
    assert (shards / 'person_boxes.json').read_text() == (
        reference.parent / 'pseudo.json.shards' / 'person_boxes.json').read_text()
    assert _content(out) == _content(reference)


@pytest.mark.slow
def test_detector_boxes_for_evaluation_the_mmpose_way(pose_checkpoint, random_keypoint_rcnn,
                                                      tiny_synthetic, tmp_path):
    """tools/detect_persons.py on the val images, then the student evaluated on those boxes."""
    val = tiny_synthetic / 'annotations' / 'val.json'
    boxes = tmp_path / 'val_person_boxes.json'
    run_tool(['tools/detect_persons.py', DETECTOR_CONFIG, str(random_keypoint_rcnn), '--images',
              str(val), '--img-prefix', f'{tiny_synthetic}/images/', '--out', str(boxes)])
    detections = json.loads(boxes.read_text())
    assert detections and {d['image_id'] for d in detections} <= {
        image['id'] for image in json.loads(val.read_text())['images']}
    metrics = tmp_path / 'metrics.json'
    run_tool([
        'tools/test.py', 'configs/topdown/td-hm_res18_synthetic-96x96_student_det-boxes.py',
        str(pose_checkpoint), '--out', str(metrics), '--work-dir', str(tmp_path / 'test'),
        '--cfg-options', f'test_dataloader.dataset.bbox_file={boxes}'] +
        tiny_topdown_options(tiny_synthetic))
    assert 'coco/AP' in json.loads(metrics.read_text())
