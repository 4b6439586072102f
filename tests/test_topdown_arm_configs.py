"""The top-down student, control and oracle configs: the teacher plus the method, arms that
differ only in their data, derived by mmdistill.utils.arms as for Keypoint R-CNN."""
import pytest
from mmengine.config import Config
from mmengine.registry import DATASETS, init_default_scope

from mmdistill.utils.arms import labeled_only_recipe, truth_recipe
from .conftest import REPO_ROOT

TOPDOWN = REPO_ROOT / 'configs' / 'topdown'
SYNTHETIC = 'td-hm_res18_synthetic-96x96'
COCO = 'td-hm_res50_8xb64-210e_coco-256x192'
TEACHERS = {SYNTHETIC: REPO_ROOT / 'configs' / 'synthetic' / f'{SYNTHETIC}.py',
            COCO: TOPDOWN / f'{COCO}.py'}


def _load(name: str) -> dict:
    return Config.fromfile(TOPDOWN / f'{name}.py').to_dict()


def _iterations(cfg: dict) -> int:
    train_cfg = cfg['train_cfg']
    if train_cfg.get('by_epoch'):  # mmpose's COCO teacher: 210 epochs of 293 iterations
        return train_cfg['max_epochs'] * 293
    return train_cfg['max_iters']


@pytest.mark.parametrize('family', [SYNTHETIC, COCO])
def test_student_is_the_teacher_plus_the_method(family):
    teacher = Config.fromfile(TEACHERS[family]).to_dict()
    student = _load(f'{family}_student')
    assert student['model'] == teacher['model']
    labeled, pseudo = student['train_dataloader']['dataset']['datasets']
    assert labeled == teacher['train_dataloader']['dataset']
    assert pseudo['type'] == 'CocoDataset' and pseudo['pipeline'] == labeled['pipeline']
    assert pseudo['ann_file'] == student['pseudo_label_file']
    assert student['train_dataloader']['sampler'] == dict(
        type='RatioMultiSourceSampler', batch_size=teacher['train_dataloader']['batch_size'],
        source_ratio=[6, 4])
    assert student['train_cfg']['type'] == 'StreamResumeIterBasedTrainLoop'
    assert _iterations(student) == 2 * _iterations(teacher)
    # the LR steps at the teacher's fractions of the schedule
    steps = [s for s in student['param_scheduler'] if s['type'] == 'MultiStepLR'][0]
    assert not steps['by_epoch'] and steps['end'] == _iterations(student)
    teacher_steps = [s for s in teacher['param_scheduler'] if s['type'] == 'MultiStepLR'][0]
    teacher_end = teacher_steps['end'] if teacher_steps['by_epoch'] else _iterations(teacher)
    assert [m / steps['end'] for m in steps['milestones']] == pytest.approx(
        [m / teacher_end for m in teacher_steps['milestones']], abs=1e-3)
    # re-trained from the teacher's initial weights, evaluated as the teacher
    assert student['load_from'] is None and teacher.get('load_from') is None
    for key in ('val_dataloader', 'test_dataloader', 'val_evaluator', 'test_evaluator'):
        assert student[key] == teacher[key]


@pytest.mark.parametrize('family', [SYNTHETIC, COCO])
def test_derived_control_is_the_hand_written_one(family):
    student = _load(f'{family}_student')
    control = labeled_only_recipe(student)
    assert control == _load(f'{family}_control')
    assert control['train_dataloader']['dataset']['datasets'] == \
        student['train_dataloader']['dataset']['datasets'][:1]
    for key in ('load_from', 'train_cfg', 'param_scheduler', 'optim_wrapper', 'model'):
        assert control[key] == student[key]


def test_derived_oracle_is_the_hand_written_one():
    student = _load(f'{SYNTHETIC}_student')
    oracle = truth_recipe(student)
    assert oracle == _load(f'{SYNTHETIC}_oracle')
    assert oracle['train_dataloader']['dataset']['datasets'][1]['ann_file'] == \
        'annotations/unlabeled_gt.json'


def test_detector_box_evaluation_differs_only_in_the_val_boxes():
    student = _load(f'{SYNTHETIC}_student')
    det_boxes = _load(f'{SYNTHETIC}_student_det-boxes')
    for key in ('val_dataloader', 'test_dataloader'):
        assert student[key]['dataset'].pop('bbox_file') is None
        assert det_boxes[key]['dataset'].pop('bbox_file').endswith('val_person_boxes.json')
    assert det_boxes == student
    # the COCO teacher evaluates on mmpose's detector boxes, as the zoo does
    assert _load(f'{COCO}_student')['test_dataloader']['dataset']['bbox_file']


def test_synthetic_student_data_builds_with_both_sources(tiny_synthetic):
    """The union of mmpose CocoDatasets (the oracle's truth file stands in for pseudo-labels)
    behind the ratio sampler."""
    cfg = Config.fromfile(TOPDOWN / f'{SYNTHETIC}_oracle.py')
    init_default_scope('mmpose')
    datasets = cfg.train_dataloader.dataset.datasets
    for dataset in datasets:
        dataset.data_root = f'{tiny_synthetic}/'
    union = DATASETS.build(cfg.train_dataloader.dataset)
    assert [len(d) for d in union.datasets] == [len(DATASETS.build(d)) for d in datasets]
    assert union[len(union) - 1]['inputs'].shape == (3, 96, 96)  # a pseudo-source person
