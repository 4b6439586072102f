"""The top-down student, control and oracle configs: the teacher plus the method, arms that
differ only in their data, derived by mmdistill.utils.arms as for Keypoint R-CNN."""
import math
from types import SimpleNamespace

import pytest
from mmengine.config import Config
from mmengine.hub import get_config
from mmengine.logging import MMLogger
from mmengine.registry import DATA_SAMPLERS, DATASETS, HOOKS, init_default_scope
from mmpose.registry import MODELS

from mmdistill.models.tta import TopdownPoseTTAModel
from mmdistill.utils.arms import labeled_only_recipe, truth_recipe
from .conftest import REPO_ROOT

TOPDOWN = REPO_ROOT / 'configs' / 'topdown'
SYNTHETIC = 'td-hm_res18_synthetic-96x96'
COCO = 'td-hm_res50_8xb64-210e_coco-256x192'
RTMPOSE = 'rtmpose-m_8xb256-420e_coco-256x192'
TEACHERS = {SYNTHETIC: REPO_ROOT / 'configs' / 'synthetic' / f'{SYNTHETIC}_2x.py',
            COCO: TOPDOWN / f'{COCO}.py', RTMPOSE: TOPDOWN / f'{RTMPOSE}.py'}
COCO_PERSONS = 149813  # train2017 persons in mmpose's top-down CocoDataset
COCO_GPUS = 8


def _load(name: str) -> dict:
    return Config.fromfile(TOPDOWN / f'{name}.py').to_dict()


def _iterations_per_epoch(cfg: dict) -> int:
    """A fixed epoch length of the ratio sampler, or one pass over COCO train2017 on 8 GPUs
    (mmpose's zoo teachers: 293 iterations at 64 per GPU, 74 at 256)."""
    loader = cfg['train_dataloader']
    return loader['sampler'].get('epoch_length') or math.ceil(
        COCO_PERSONS / (COCO_GPUS * loader['batch_size']))


def _iterations(cfg: dict) -> int:
    train_cfg = cfg['train_cfg']
    if train_cfg.get('by_epoch'):
        return train_cfg['max_epochs'] * _iterations_per_epoch(cfg)
    return train_cfg['max_iters']


def _schedule_shape(cfg: dict) -> list:
    """The LR schedulers (mmpose:: marks aside), after the warm-up with their begin, end,
    milestones and T_max as fractions of the training, in epochs or iterations as each counts."""
    train_cfg = cfg['train_cfg']
    shape = [{k: v for k, v in cfg['param_scheduler'][0].items() if k != '_scope_'}]
    for scheduler in cfg['param_scheduler'][1:]:
        length = train_cfg['max_epochs'] if scheduler.get('by_epoch', True) else _iterations(cfg)
        shape.append({key: round(value / length, 3) if key in ('begin', 'end', 'T_max') else
                      [round(m / length, 3) for m in value] if key == 'milestones' else value
                      for key, value in scheduler.items()
                      if key not in ('by_epoch', 'convert_to_iter_based', '_scope_')})
    return shape


def _custom_hooks(cfg: dict) -> list:
    """The custom hooks with epochs as fractions of the training."""
    return [dict(hook, switch_epoch=hook['switch_epoch'] / cfg['train_cfg']['max_epochs'])
            if 'switch_epoch' in hook else hook for hook in cfg.get('custom_hooks', [])]


def _sources(cfg: dict) -> list:
    """The training sources with the pipeline each runs: mmpose's CombinedDataset runs its own
    on the samples of all its sources."""
    dataset = cfg['train_dataloader']['dataset']
    if dataset['type'] == 'CombinedDataset':
        assert all(source['pipeline'] == [] for source in dataset['datasets'])
        return [dict(source, pipeline=dataset['pipeline']) for source in dataset['datasets']]
    return dataset['datasets']


@pytest.mark.parametrize('family', [SYNTHETIC, COCO, RTMPOSE])
def test_student_is_the_teacher_plus_the_method(family):
    teacher = Config.fromfile(TEACHERS[family]).to_dict()
    student = _load(f'{family}_student')
    assert student['model'] == teacher['model']
    labeled, pseudo = _sources(student)
    assert labeled == teacher['train_dataloader']['dataset']
    assert pseudo['type'] == 'CocoDataset' and pseudo['pipeline'] == labeled['pipeline']
    assert pseudo['ann_file'] == student['pseudo_label_file']
    sampler = student['train_dataloader']['sampler']
    assert {k: sampler.pop(k) for k in ('infinite', 'epoch_length') if k in sampler} == (
        # epochs of the teacher's length, not passes over the mixed data: the control's match
        dict(infinite=False, epoch_length=_iterations_per_epoch(teacher))
        if student['train_cfg'].get('by_epoch') else {})
    assert sampler == dict(
        type='RatioMultiSourceSampler', batch_size=teacher['train_dataloader']['batch_size'],
        source_ratio=[6, 4])
    if not student['train_cfg'].get('by_epoch'):
        assert student['train_cfg']['type'] == 'StreamResumeIterBasedTrainLoop'
    # the paper's longer student on COCO; on CPU the teacher's length (its control = the teacher)
    assert _iterations(student) == (1 if family == SYNTHETIC else 2) * _iterations(teacher)
    # the teacher's warm-up iterations, then its LR steps / decay and RTMPose's stage-2 pipeline
    # at the teacher's fractions of the training
    assert _schedule_shape(student) == _schedule_shape(teacher)
    assert _custom_hooks(student) == _custom_hooks(teacher)
    # re-trained from the teacher's initial weights, evaluated as the teacher
    assert student['load_from'] is None and teacher.get('load_from') is None
    for key in ('val_dataloader', 'test_dataloader', 'val_evaluator', 'test_evaluator'):
        assert student[key] == teacher[key]


@pytest.mark.parametrize('family', [SYNTHETIC, COCO, RTMPOSE])
def test_derived_control_is_the_hand_written_one(family):
    student = _load(f'{family}_student')
    control = labeled_only_recipe(student)
    assert control == _load(f'{family}_control')
    assert control['train_dataloader']['dataset']['datasets'] == \
        student['train_dataloader']['dataset']['datasets'][:1]
    for key in ('load_from', 'train_cfg', 'param_scheduler', 'optim_wrapper', 'model',
                'custom_hooks'):
        assert control.get(key) == student.get(key)
    assert _iterations(control) == _iterations(student)


def test_rtmpose_teacher_is_the_zoo_config_and_builds_without_weights():
    """RTMPose-m through mmpose:: as the zoo has it; its views config builds a SimCC TTA model."""
    cfg = Config.fromfile(TEACHERS[RTMPOSE])
    model = cfg.model.to_dict()
    assert model.pop('_scope_') == 'mmpose'  # mmengine marks what came through mmpose::
    zoo = get_config(f'mmpose::body_2d_keypoint/rtmpose/coco/{RTMPOSE}.py')
    assert model == zoo.model.to_dict()
    assert cfg.model.backbone.init_cfg.type == 'Pretrained'  # kept for users
    cfg = Config.fromfile(TOPDOWN / f'{RTMPOSE}_tta.py')
    cfg.model.backbone.init_cfg = None
    init_default_scope('mmpose')
    tta = MODELS.build(dict(cfg.tta_model, module=cfg.model))
    assert isinstance(tta, TopdownPoseTTAModel) and tta.paddings[0] == 1.25
    assert tta.simcc and tta.grid_size == (384, 512)  # 192 x 256 input at split ratio 2
    assert sum(p.numel() for p in tta.module.parameters()) > 10e6  # CSPNeXt-m + RTMCCHead


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


def test_rtmpose_student_stage_two_reaches_both_sources(tiny_synthetic):
    """mmdet's PipelineSwitchHook replaces the training dataset's pipeline at its epoch; in the
    student's CombinedDataset that pipeline runs on the samples of both sources (an mmengine
    ConcatDataset would keep each source's own). The ratio sampler gives epochs of the teacher's
    74 iterations. The zoo pipelines need albumentations (absent here): the synthetic val
    pipeline stands in for stage 1, the same at 64 x 64 for stage 2."""
    cfg = Config.fromfile(TOPDOWN / f'{RTMPOSE}_student.py')
    init_default_scope('mmpose')
    stage1 = Config.fromfile(TEACHERS[SYNTHETIC]).val_pipeline
    stage2 = [dict(t, input_size=(64, 64)) if t['type'] == 'TopdownAffine' else t for t in stage1]
    dataset_cfg = cfg.train_dataloader.dataset
    dataset_cfg.pipeline = stage1
    for source, ann_file in zip(dataset_cfg.datasets, ('labeled.json', 'unlabeled_gt.json')):
        source.update(data_root=f'{tiny_synthetic}/', ann_file=f'annotations/{ann_file}',
                      data_prefix=dict(img='images/'))
    dataset = DATASETS.build(dataset_cfg)
    # 2 per batch: the tiny sources hold fewer persons than 256 would draw
    sampler = DATA_SAMPLERS.build(dict(cfg.train_dataloader.sampler, dataset=dataset, seed=0,
                                       batch_size=2))
    assert len(sampler) == 74 * 2
    one_of_each = (0, len(dataset) - 1)  # the first labeled, the last pseudo-labeled person
    assert [dataset[i]['inputs'].shape for i in one_of_each] == [(3, 96, 96)] * 2
    hook = HOOKS.build(dict(cfg.custom_hooks[1], switch_pipeline=stage2))
    runner = SimpleNamespace(train_dataloader=SimpleNamespace(dataset=dataset),
                             logger=MMLogger.get_current_instance())
    for epoch, size in ((779, 96), (780, 64)):
        runner.epoch = epoch
        hook.before_train_epoch(runner)
        assert [dataset[i]['inputs'].shape for i in one_of_each] == [(3, size, size)] * 2
