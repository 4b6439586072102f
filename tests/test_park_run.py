"""benchmarks/park_run.py: an unfinished training's newest checkpoint goes out of a work dir and
back into another one, where ``last_checkpoint`` names it; a finished arm leaves its model only,
and while the run is unfinished goes back where its training left it."""
import json

import pytest
import torch

from .conftest import load_tool


@pytest.fixture(scope='module')
def park_run():
    return load_tool('park_run', 'benchmarks')


def _checkpoint(path, value):
    torch.save(dict(state_dict={'w': torch.full((2,), value)}, meta=dict(iter=int(value)),
                    optimizer={'momentum': torch.ones(2)}), path)


@pytest.fixture
def work_dir(tmp_path):
    """seed0: a finished teacher and oracle, a student stopped at iteration 400 (older: 200)."""
    seed = tmp_path / 'run' / 'seed0'
    (seed / 'teacher').mkdir(parents=True)
    (seed / 'student').mkdir()
    (seed / 'oracle').mkdir()
    _checkpoint(seed / 'oracle' / 'iter_800.pth', 8.)
    (seed / 'oracle' / 'last_checkpoint').write_text(str(seed / 'oracle' / 'iter_800.pth'))
    _checkpoint(seed / 'teacher' / 'iter_800.pth', 800.)
    _checkpoint(seed / 'student' / 'iter_200.pth', 200.)
    _checkpoint(seed / 'student' / 'iter_400.pth', 400.)
    (seed / 'teacher' / 'last_checkpoint').write_text(str(seed / 'teacher' / 'iter_800.pth'))
    (seed / 'student' / 'last_checkpoint').write_text(str(seed / 'student' / 'iter_400.pth'))
    state = dict(data=dict(seconds=1., outputs=dict(labeled='x.json')),
                 teacher=dict(seconds=1., outputs=dict(
                     checkpoint=str(seed / 'teacher' / 'iter_800.pth'), config='t.py')),
                 oracle=dict(seconds=1., outputs=dict(
                     checkpoint=str(seed / 'oracle' / 'iter_800.pth'), config='o.py')))
    (seed / 'stages.json').write_text(json.dumps(state))
    return tmp_path / 'run'


def _parked(parked):
    return sorted(p.relative_to(parked).as_posix() for p in parked.rglob('*') if p.is_file())


def test_park_then_restore(park_run, work_dir, tmp_path):
    parked = tmp_path / 'parked'
    park_run.park(str(work_dir), str(parked))
    assert _parked(parked) == ['seed0/oracle/FINISHED', 'seed0/oracle/iter_800.pth',
                               'seed0/student/iter_400.pth', 'seed0/teacher.pth']
    for finished in ('teacher.pth', 'oracle/iter_800.pth'):
        assert set(torch.load(parked / 'seed0' / finished, weights_only=False)) == {
            'state_dict', 'meta'}
    teacher = torch.load(parked / 'seed0' / 'teacher.pth', weights_only=False)
    assert teacher['state_dict']['w'].tolist() == [800., 800.]

    new_work = tmp_path / 'elsewhere'
    park_run.restore(str(parked), str(new_work))
    target = new_work / 'seed0' / 'student' / 'iter_400.pth'
    assert (new_work / 'seed0' / 'student' / 'last_checkpoint').read_text() == str(target)
    resumed = torch.load(target, weights_only=False)
    assert resumed['optimizer']['momentum'].tolist() == [1., 1.]
    assert not (new_work / 'seed0' / 'teacher').exists()
    # the finished oracle is back where its training left it, with nothing to resume
    oracle = new_work / 'seed0' / 'oracle'
    assert sorted(p.name for p in oracle.iterdir()) == ['iter_800.pth']
    assert torch.load(oracle / 'iter_800.pth', weights_only=False)['state_dict'][
        'w'].tolist() == [8., 8.]


def test_a_finished_run_keeps_only_its_models(park_run, work_dir, tmp_path):
    parked = tmp_path / 'parked'
    park_run.park(str(work_dir), str(parked))  # unfinished: the oracle is kept
    (work_dir / 'results.json').write_text('{}')
    park_run.park(str(work_dir), str(parked))
    assert _parked(parked) == ['seed0/student/iter_400.pth', 'seed0/teacher.pth']


def test_park_drops_an_arm_finished_since(park_run, work_dir, tmp_path):
    parked = tmp_path / 'parked'
    park_run.park(str(work_dir), str(parked))  # the student is parked at iteration 400
    seed = work_dir / 'seed0'
    state = json.loads((seed / 'stages.json').read_text())
    state['student'] = dict(seconds=1., outputs=dict(
        checkpoint=str(seed / 'student' / 'iter_400.pth'), config='s.py'))
    (seed / 'stages.json').write_text(json.dumps(state))
    park_run.park(str(work_dir), str(parked))
    assert _parked(parked) == ['seed0/oracle/FINISHED', 'seed0/oracle/iter_800.pth',
                               'seed0/student/FINISHED', 'seed0/student/iter_400.pth',
                               'seed0/teacher.pth']
    student = torch.load(parked / 'seed0' / 'student' / 'iter_400.pth', weights_only=False)
    assert set(student) == {'state_dict', 'meta'}  # the finished model, not the resumable one


def test_a_restored_finished_round_is_kept_again(park_run, work_dir, tmp_path):
    """Round 1's student, put back and recorded by distill.py without seconds (it did not
    train it), is parked again while round 2 trains: two machines on, it still labels."""
    parked = tmp_path / 'parked'
    seed = work_dir / 'seed0'
    state = json.loads((seed / 'stages.json').read_text())
    state['student'] = dict(seconds=None, outputs=dict(
        checkpoint=str(seed / 'student' / 'iter_400.pth'), config='s.py'))
    (seed / 'stages.json').write_text(json.dumps(state))
    (seed / 'student_r2').mkdir()
    _checkpoint(seed / 'student_r2' / 'iter_200.pth', 2.)
    (seed / 'student_r2' / 'last_checkpoint').write_text(str(seed / 'student_r2' / 'iter_200.pth'))
    park_run.park(str(work_dir), str(parked))
    assert {'seed0/student/FINISHED', 'seed0/student/iter_400.pth',
            'seed0/student_r2/iter_200.pth'} <= set(_parked(parked))


def test_park_leaves_a_given_model_where_it_is(park_run, work_dir, tmp_path):
    seed = work_dir / 'seed0'
    state = json.loads((seed / 'stages.json').read_text())
    state['teacher']['seconds'] = None  # distill.py --teacher-checkpoint: not trained here
    (seed / 'stages.json').write_text(json.dumps(state))
    parked = tmp_path / 'parked'
    park_run.park(str(work_dir), str(parked))
    assert _parked(parked) == ['seed0/oracle/FINISHED', 'seed0/oracle/iter_800.pth',
                               'seed0/student/iter_400.pth']


def test_restore_keeps_a_newer_run(park_run, work_dir, tmp_path):
    parked = tmp_path / 'parked'
    park_run.park(str(work_dir), str(parked))  # parks iteration 400
    student = work_dir / 'seed0' / 'student'
    _checkpoint(student / 'iter_600.pth', 600.)  # the work dir trained on after parking
    (student / 'last_checkpoint').write_text(str(student / 'iter_600.pth'))
    park_run.restore(str(parked), str(work_dir))
    assert (student / 'last_checkpoint').read_text() == str(student / 'iter_600.pth')


def test_park_names_a_missing_checkpoint(park_run, work_dir, tmp_path):
    (work_dir / 'seed0' / 'student' / 'iter_400.pth').unlink()
    with pytest.raises(FileNotFoundError, match='last_checkpoint names .*iter_400.pth'):
        park_run.park(str(work_dir), str(tmp_path / 'parked'))
