"""The synthetic control and oracle arms differ from the student only in their training data."""
import pytest
from mmengine.config import Config

from mmdistill.utils.arms import labeled_only_recipe, trains_like, truth_recipe
from .conftest import REPO_ROOT, lr_steps

DATA_KEYS = ('pseudo_label_file', 'source_ratio')


def _load(name: str) -> dict:
    return Config.fromfile(REPO_ROOT / 'configs' / 'synthetic' / f'{name}.py').to_dict()


def _without_data(cfg: dict) -> dict:
    """The config with the training sources and their ratio taken out."""
    cfg = {key: value for key, value in cfg.items() if key not in DATA_KEYS}
    loader = dict(cfg['train_dataloader'])
    loader['dataset'] = dict(loader['dataset'], datasets=None)
    loader['sampler'] = dict(loader['sampler'], source_ratio=None)
    cfg['train_dataloader'] = loader
    return cfg


def test_control_differs_from_the_student_only_in_its_data():
    student, control = _load('student'), _load('control')
    assert _without_data(control) == _without_data(student)
    student_sources = student['train_dataloader']['dataset']['datasets']
    assert control['train_dataloader']['dataset']['datasets'] == student_sources[:1]
    assert control['train_dataloader']['sampler']['source_ratio'] == [1]
    # the same init, schedule and batch: what makes the comparison fair
    for key in ('load_from', 'train_cfg', 'param_scheduler', 'optim_wrapper'):
        assert control[key] == student[key]
    assert control['train_dataloader']['batch_size'] == student['train_dataloader']['batch_size']


def test_oracle_differs_from_the_student_only_in_the_second_source_labels():
    student, oracle = _load('student'), _load('oracle')
    assert _without_data(oracle) == _without_data(student)
    student_sources = student['train_dataloader']['dataset']['datasets']
    oracle_sources = oracle['train_dataloader']['dataset']['datasets']
    assert oracle_sources[0] == student_sources[0]
    assert oracle_sources[1] == dict(student_sources[1], ann_file='annotations/unlabeled_gt.json')
    assert oracle['train_dataloader']['sampler'] == student['train_dataloader']['sampler']


def test_student_is_the_teacher_plus_the_method():
    teacher, student = _load('teacher'), _load('student')
    assert student['model'] == teacher['model']
    labeled, pseudo = student['train_dataloader']['dataset']['datasets']
    assert labeled == teacher['train_dataloader']['dataset']
    # the teacher's noise on the pseudo-labeled images too (Noisy-Student style)
    assert pseudo['pipeline'] == teacher['train_dataloader']['dataset']['pipeline']
    assert any(t['type'] == 'PhotoMetricDistortion' for t in pseudo['pipeline'])
    assert student['train_dataloader']['sampler']['source_ratio'] == [6, 4]
    # the teacher's schedule (its best labeled-only length); the paper's longer student is an
    # ablation with its own, equally long control
    assert student['train_cfg']['max_iters'] == teacher['train_cfg']['max_iters']
    longer = Config.fromfile(REPO_ROOT / 'configs' / 'synthetic' / 'ablations' /
                             'student_2x-schedule.py').to_dict()
    assert longer['train_cfg']['max_iters'] == 2 * teacher['train_cfg']['max_iters']
    assert lr_steps(longer) == [int(0.8 * longer['train_cfg']['max_iters'])]
    # re-trained from the teacher's initial weights (scratch here), as in the paper
    assert student['load_from'] is None and teacher.get('load_from') is None
    assert student['model']['backbone']['init_cfg'] is None


def test_finetune_ablation_differs_from_the_student_only_in_its_init():
    student = _load('student')
    finetune = Config.fromfile(REPO_ROOT / 'configs' / 'synthetic' / 'ablations' /
                               'student_finetune-from-teacher.py').to_dict()
    assert finetune.pop('load_from')
    student.pop('load_from')
    assert finetune == student


def test_coco_student_is_retrained_and_the_finetune_ablation_loads_the_teacher():
    configs = REPO_ROOT / 'configs'
    student = Config.fromfile(configs / 'student.py')
    finetune = Config.fromfile(configs / 'ablations' / 'student_finetune-from-teacher.py')
    assert student.load_from is None
    assert student.model.backbone.init_cfg.type == 'Pretrained'  # the teacher's ImageNet init
    assert finetune.load_from and finetune.model == student.model


def test_pipeline_derives_the_arm_configs_of_the_repository():
    student = _load('student')
    assert labeled_only_recipe(student) == _load('control')
    assert truth_recipe(student) == _load('oracle')
    assert student == _load('student')  # derived copies, the student is untouched


LOAD_RESIZE_FLIP = ['LoadImageFromFile', 'LoadKeypointAnnotations', 'RandomChoiceResize',
                    'KeypointRandomFlip']


@pytest.mark.parametrize('name, pipeline, steps', [
    ('student_weak-aug', 'weak_train_pipeline', [*LOAD_RESIZE_FLIP, 'PackKeypointDetInputs']),
    ('student_affine-aug', 'affine_train_pipeline',
     [*LOAD_RESIZE_FLIP, 'KeypointRandomAffine', 'PhotoMetricDistortion',
      'PackKeypointDetInputs']),
])
def test_derived_control_keeps_an_ablations_recipe(name, pipeline, steps):
    ablation = Config.fromfile(REPO_ROOT / 'configs' / 'synthetic' / 'ablations' /
                               f'{name}.py').to_dict()
    assert all(source['pipeline'] == ablation[pipeline]
               for source in ablation['train_dataloader']['dataset']['datasets'])
    control = labeled_only_recipe(ablation)
    labeled = control['train_dataloader']['dataset']['datasets']
    assert len(labeled) == 1 and labeled[0]['pipeline'] == ablation[pipeline]
    assert [t['type'] for t in labeled[0]['pipeline']] == steps
    assert control['train_dataloader']['sampler']['source_ratio'] == [1]


def test_every_synthetic_ablation_config_is_one_change_to_its_base():
    ablations = sorted((REPO_ROOT / 'configs' / 'synthetic' / 'ablations').glob('*.py'))
    assert len(ablations) >= 8
    for path in ablations:
        cfg = Config.fromfile(path).to_dict()
        base = _load(next(name for name in ('pseudo_label', 'teacher', 'student')
                          if path.stem.startswith(name)))
        changed = {key for key in set(cfg) | set(base) if cfg.get(key) != base.get(key)}
        assert changed and len(changed) <= 4, (path.name, changed)
        if path.stem.startswith('student'):
            assert labeled_only_recipe(cfg)['train_dataloader']['sampler']['source_ratio'] == [1]


def test_the_default_teacher_is_the_students_labeled_only_control():
    """The student trains the teacher's schedule, so its same-recipe control is the teacher
    (tools/distill.py then reuses it); the 2x-schedule ablation needs its own control."""
    teacher = _load('teacher')
    assert trains_like(teacher, labeled_only_recipe(_load('student')))
    longer = Config.fromfile(REPO_ROOT / 'configs' / 'synthetic' / 'ablations' /
                             'student_2x-schedule.py').to_dict()
    assert not trains_like(teacher, labeled_only_recipe(longer))
    weak = Config.fromfile(REPO_ROOT / 'configs' / 'synthetic' / 'ablations' /
                           'student_weak-aug.py').to_dict()
    assert not trains_like(teacher, labeled_only_recipe(weak))  # another pipeline
    # the schedule ablations pair up: the half / 2x teacher is the half / 2x student's control
    for length, iters in (('half', 6400), ('2x', 25600)):
        pair = [Config.fromfile(REPO_ROOT / 'configs' / 'synthetic' / 'ablations' /
                                f'{role}_{length}-schedule.py').to_dict()
                for role in ('teacher', 'student')]
        assert pair[0]['train_cfg']['max_iters'] == pair[1]['train_cfg']['max_iters'] == iters
        assert trains_like(pair[0], labeled_only_recipe(pair[1]))
    topdown_student = labeled_only_recipe(Config.fromfile(
        REPO_ROOT / 'configs' / 'topdown' / 'td-hm_res18_synthetic-96x96_student.py').to_dict())
    for length, teaches_like_control in (('', False), ('_2x', True)):  # 1,000 / 2,000 iterations
        topdown_teacher = Config.fromfile(
            REPO_ROOT / 'configs' / 'synthetic' / f'td-hm_res18_synthetic-96x96{length}.py')
        assert trains_like(topdown_teacher.to_dict(), topdown_student) is teaches_like_control


def test_view_ablations_label_with_their_views_only():
    """1 view / flip / the default 3 scales x flip / 5 scales x flip: the views-to-student
    ablation."""
    expected = {'ablations/pseudo_label_1-view': ([160], [0.]),
                'ablations/pseudo_label_flip': ([160], [1., 0.]),
                'pseudo_label': ([128, 160, 192], [1., 0.]),
                'ablations/pseudo_label_5-scales': ([80, 120, 160, 200, 240], [1., 0.])}
    default_pack = _load('pseudo_label')['tta_pipeline'][1]['transforms'][2]
    for name, (short_sides, flip_probs) in expected.items():
        scales, flips, pack = _load(name)['tta_pipeline'][1]['transforms']
        assert [t['scale'][1] for t in scales] == short_sides, name
        assert [t['prob'] for t in flips] == flip_probs, name
        assert pack == default_pack, name
