"""Pure helpers of the pipeline driver: data-root retargeting and the results summary."""
import pytest
from mmengine.config import Config

from mmdistill.utils.config_paths import retarget_data_root
from mmdistill.utils.results_table import (ablation_rows, arm_order, gap_recovered,
                                           markdown_table, mean_std, paired_differences,
                                           pseudo_label_line, summarize, summarize_pseudo_labels)
from mmdistill.utils.schedules import iter_schedule

from .conftest import REPO_ROOT, lr_steps


def test_retarget_moves_every_path_under_the_old_root():
    cfg = dict(data_root='data/synthetic/',
               train=dict(datasets=[dict(data_root='data/synthetic', ann_file='a.json')]),
               evaluator=dict(ann_file='data/synthetic/annotations/val.json'),
               pseudo=dict(unlabeled='data/synthetic/annotations/u.json'),
               other='data/synthetic_other/x', scales=(1, 2), work_dir='work_dirs/x')
    out = retarget_data_root(cfg, 'data/synthetic/', '/tmp/seed3')
    assert out['data_root'] == '/tmp/seed3/'
    assert out['train']['datasets'][0] == dict(data_root='/tmp/seed3/', ann_file='a.json')
    assert out['evaluator']['ann_file'] == '/tmp/seed3/annotations/val.json'
    assert out['pseudo']['unlabeled'] == '/tmp/seed3/annotations/u.json'
    assert out['other'] == 'data/synthetic_other/x'  # a sibling folder is not under the root
    assert out['scales'] == (1, 2) and out['work_dir'] == 'work_dirs/x'
    assert cfg['data_root'] == 'data/synthetic/'  # the input is not modified


def test_mean_std_and_gap():
    assert mean_std([1.0]) == (1.0, 0.0)
    mean, std = mean_std([1.0, 2.0, 3.0])
    assert mean == 2.0 and std == pytest.approx(1.0)
    assert gap_recovered(student=0.5, control=0.4, oracle=0.8) == pytest.approx(0.25)
    assert gap_recovered(student=0.5, control=0.4, oracle=0.4) is None


def test_summary_over_seeds():
    def arms(teacher, control, student, oracle):
        return {name: {'keypoints/AP': ap} for name, ap in
                dict(teacher=teacher, control=control, student=student, oracle=oracle).items()}
    per_seed = {0: arms(0.3, 0.4, 0.5, 0.8), 1: arms(0.3, 0.4, 0.58, 0.8),
                3: {'student': {'keypoints/AP': 0.56}}}  # seed 3: no control or oracle
    summary = summarize(per_seed)
    assert summary['arms']['student']['keypoints/AP']['mean'] == pytest.approx(0.5467, abs=1e-4)
    assert summary['gap_recovered']['values'] == pytest.approx([0.25, 0.45])
    assert summary['gap_recovered']['seeds'] == [0, 1]
    table = markdown_table(summary, {'student': 12.0})
    assert '| student | 54.7 ± 4.2 |' in table and '| 12 |' in table
    assert 'recovers 35 ± 14 % of the control → oracle keypoint-AP gap (seeds: [0, 1])' in table


def test_pseudo_label_summary_over_seeds():
    def quality(ap, kpt_precision):
        return dict(keypoint_ap=dict(AP=ap), persons=dict(precision=0.9, recall=None),
                    keypoints=dict(precision=kpt_precision, recall=0.7))
    summary = summarize_pseudo_labels({0: quality(0.4, 0.8), 1: quality(0.5, 0.9)})
    assert summary['keypoint_ap/AP']['mean'] == pytest.approx(0.45)
    assert summary['keypoints/precision']['values'] == [0.8, 0.9]
    assert 'persons/recall' not in summary  # no seed has it
    line = pseudo_label_line(summary)
    assert 'keypoint AP 45.0 ± 7.1' in line and 'recall –;' in line


def test_arms_are_ordered_with_later_rounds_after_the_student():
    assert arm_order(['oracle', 'student_r10', 'student', 'teacher', 'student_r2', 'control']) == \
        ['teacher', 'control', 'student', 'student_r2', 'student_r10', 'oracle']


def test_student_differences_are_paired_per_seed():
    per_seed = {0: {'teacher': {'keypoints/AP': 0.5}, 'control': {'keypoints/AP': 0.6},
                    'student': {'keypoints/AP': 0.65}},
                1: {'teacher': {'keypoints/AP': 0.4}, 'control': {'keypoints/AP': 0.5},
                    'student': {'keypoints/AP': 0.53}},
                2: {'teacher': {'keypoints/AP': 0.4}}}  # no student: not paired
    assert paired_differences(per_seed, 'student', 'control') == pytest.approx([0.05, 0.03])
    summary = summarize(per_seed)
    assert summary['differences']['student - teacher']['mean'] == pytest.approx(0.14)
    table = markdown_table(summary, {})
    assert '- student - control: +4.0 ± 1.4 keypoint AP (per seed +5.0, +3.0)' in table


def test_best_labeled_only_is_the_better_of_teacher_and_control_per_seed():
    per_seed = {0: {'teacher': {'keypoints/AP': 0.62}, 'control': {'keypoints/AP': 0.6},
                    'student': {'keypoints/AP': 0.65}},
                1: {'teacher': {'keypoints/AP': 0.4}, 'control': {'keypoints/AP': 0.5},
                    'student': {'keypoints/AP': 0.49}},
                2: {'teacher': {'keypoints/AP': 0.4}, 'student': {'keypoints/AP': 0.5}}}
    assert paired_differences(per_seed, 'student', ('teacher', 'control')) == pytest.approx(
        [0.03, -0.01])
    best = summarize(per_seed)['differences']['student - best labeled-only']
    assert best['values'] == pytest.approx([0.03, -0.01])


def test_iter_schedule_moves_the_lr_steps_with_the_length():
    options = iter_schedule(3200, steps=(0.75, 0.9))
    assert options['train_cfg.max_iters'] == 3200 == options['train_cfg.val_interval']
    assert not any(key.startswith('default_hooks') for key in options)  # checkpoints to resume
    cfg = Config.fromfile(REPO_ROOT / 'configs' / 'synthetic' / 'teacher.py')
    cfg.merge_from_dict(options)
    assert lr_steps(cfg.to_dict()) == [2400, 2880]
    with pytest.raises(ValueError, match='warmup'):
        iter_schedule(100)


def test_ablation_rows_use_the_default_control_when_a_run_has_none():
    reference = {'per_seed': {'0': {'student': {'keypoints/AP': 0.5},
                                    'control': {'keypoints/AP': 0.45}}},
                 'pseudo_labels': {'summary': {'keypoint_ap/AP': {'mean': 0.4}}}}
    screen = {'per_seed': {'0': {'student': {'keypoints/AP': 0.52}},
                           '1': {'student': {'keypoints/AP': 0.6}}}}  # seed 1: no control
    own = {'per_seed': {'0': {'student': {'keypoints/AP': 0.55},
                              'control': {'keypoints/AP': 0.5}}}}
    rows = ablation_rows(reference, {'thr': screen, 'aug': own})
    assert [r['name'] for r in rows] == ['default', 'thr', 'aug']
    assert [r['seeds'] for r in rows] == [1, 1, 1]
    assert [r['difference'] for r in rows] == pytest.approx([0.05, 0.07, 0.05])
    assert rows[1]['control'] == pytest.approx(0.45) and rows[2]['control'] == pytest.approx(0.5)
    assert rows[0]['pseudo_label_ap'] == pytest.approx(0.4) and rows[1]['pseudo_label_ap'] is None
