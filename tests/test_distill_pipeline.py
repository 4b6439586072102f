"""tools/distill.py runs every stage (two rounds) on tiny synthetic data and reuses them; with
``--jobs 2`` the oracle trains beside the pseudo-labels and the students."""
import json

import pytest
from mmengine.config import Config

from .conftest import TINY_DISTILL_ARGS, run_tool

@pytest.mark.slow
def test_pipeline_end_to_end_then_reuse(tmp_path):
    args = ['tools/distill.py', '--work-dir', str(tmp_path / 'work'), '--data-root',
            str(tmp_path / 'data'), '--rounds', '2', '--jobs', '2', *TINY_DISTILL_ARGS]
    first = run_tool(args, timeout=900)
    stages = ['data', 'teacher', 'pseudo_label', 'student', 'pseudo_label_r2', 'student_r2',
              'oracle', 'eval_teacher', 'eval_student', 'eval_student_r2', 'eval_oracle']
    for stage in stages:
        assert f'seed 0: {stage} done' in first.output
    # the student trains the teacher's schedule: the teacher is the same-recipe control
    assert 'seed 0: control = the teacher' in first.output
    assert 'seed 0: control done' not in first.output

    results = json.loads((tmp_path / 'work' / 'results.json').read_text())
    assert set(results['per_seed']['0']) == {'teacher', 'student', 'student_r2', 'control',
                                             'oracle'}
    for arm in results['per_seed']['0'].values():
        assert 0.0 <= arm['keypoints/AP'] <= 1.0
    assert results['per_seed']['0']['control'] == results['per_seed']['0']['teacher']
    quality = results['pseudo_labels']['per_seed']['0']  # scored against the hidden truth
    assert quality['persons']['truth'] > 0 and 0.0 <= quality['keypoint_ap']['AP'] <= 1.0
    assert 'pseudo-labels vs the hidden truth' in first.output
    for suffix in ('md', 'csv', 'png'):
        assert (tmp_path / 'work' / f'results.{suffix}').stat().st_size > 0
    seed_dir = tmp_path / 'work' / 'seed0'
    student_cfg = Config.fromfile(seed_dir / 'configs' / 'student.py')
    assert student_cfg.train_dataloader.dataset.datasets[1].ann_file == \
        str(seed_dir / 'pseudo_labels.json')
    assert student_cfg.load_from is None  # re-trained, not fine-tuned from the teacher
    round2_cfg = Config.fromfile(seed_dir / 'configs' / 'student_r2.py')
    assert round2_cfg.train_dataloader.dataset.datasets[1].ann_file == \
        str(seed_dir / 'pseudo_labels_r2.json')
    # round 2's labels come from the round-1 student
    labels_r2 = json.loads((seed_dir / 'pseudo_labels_r2.json').read_text())
    assert labels_r2['info']['teacher_checkpoint'] == str(seed_dir / 'student' / 'iter_3.pth')
    assert 'student - control' in first.output and 'student - teacher' in first.output

    again = run_tool(args, timeout=300)
    assert ' ... (log:' not in again.output  # every stage reused
    assert '| student |' in again.output
