"""Pure helpers of the pipeline driver: data-root retargeting and the results summary."""
import pytest

from mmdistill.utils.config_paths import retarget_data_root
from mmdistill.utils.results_table import (gap_recovered, markdown_table, mean_std,
                                           pseudo_label_line, summarize,
                                           summarize_pseudo_labels)


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
    per_seed = {0: arms(0.3, 0.4, 0.5, 0.8), 1: arms(0.3, 0.4, 0.58, 0.8)}
    summary = summarize(per_seed)
    assert summary['arms']['student']['keypoints/AP']['mean'] == pytest.approx(0.54)
    assert summary['gap_recovered']['values'] == pytest.approx([0.25, 0.45])
    table = markdown_table(summary, {'student': 12.0})
    assert '| student | 54.0 ± 5.7 |' in table and '| 12 |' in table
    assert 'recovers 35 ± 14 %' in table


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
