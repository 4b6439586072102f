"""tools/distill.py runs every stage on tiny synthetic data and reuses finished stages."""
import json

import pytest

from .conftest import run_tool

TINY = ['--num-labeled', '8', '--num-unlabeled', '6', '--num-val', '4', '--cfg-options',
        'train_cfg.max_iters=3', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False', 'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False', 'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False']


@pytest.mark.slow
def test_pipeline_end_to_end_then_reuse(tmp_path):
    args = ['tools/distill.py', '--work-dir', str(tmp_path / 'work'), '--data-root',
            str(tmp_path / 'data'), *TINY]
    first = run_tool(args, timeout=900)
    stages = ['data', 'teacher', 'pseudo_label', 'student', 'control', 'oracle',
              'eval_teacher', 'eval_student', 'eval_control', 'eval_oracle']
    for stage in stages:
        assert f'seed 0: {stage} done' in first.output

    results = json.loads((tmp_path / 'work' / 'results.json').read_text())
    assert set(results['per_seed']['0']) == {'teacher', 'student', 'control', 'oracle'}
    for arm in results['per_seed']['0'].values():
        assert 0.0 <= arm['keypoints/AP'] <= 1.0
    quality = results['pseudo_labels']['per_seed']['0']  # scored against the hidden truth
    assert quality['persons']['truth'] > 0 and 0.0 <= quality['keypoint_ap']['AP'] <= 1.0
    assert 'pseudo-labels vs the hidden truth' in first.output
    for suffix in ('md', 'csv', 'png'):
        assert (tmp_path / 'work' / f'results.{suffix}').stat().st_size > 0
    student_cfg = (tmp_path / 'work' / 'seed0' / 'configs' / 'student.py').read_text()
    assert str(tmp_path / 'work' / 'seed0' / 'pseudo_labels.json') in student_cfg
    assert str(tmp_path / 'work' / 'seed0' / 'teacher' / 'iter_3.pth') in student_cfg

    again = run_tool(args, timeout=300)
    assert ' ... (log:' not in again.output  # every stage reused
    assert '| student |' in again.output
