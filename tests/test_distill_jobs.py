"""tools/distill.py --jobs: seeds run side by side and the CPU threads are split between them."""
import contextlib
import io
import json
import os
import os.path as osp
import subprocess
import sys
import threading
import time

import pytest


class Overlap:
    """Counts the threads inside ``stay`` at once and the most seen."""

    def __init__(self):
        self.inside = self.most = 0
        self._lock = threading.Lock()

    def stay(self, seconds: float) -> None:
        with self._lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
        time.sleep(seconds)
        with self._lock:
            self.inside -= 1


def test_stage_env_splits_threads_between_jobs(distill, monkeypatch):
    monkeypatch.delenv('OMP_NUM_THREADS', raising=False)
    monkeypatch.setattr(os, 'cpu_count', lambda: 8)
    assert distill.stage_env(4)['OMP_NUM_THREADS'] == '2'
    assert distill.stage_env(16)['OMP_NUM_THREADS'] == '1'
    assert 'OMP_NUM_THREADS' not in distill.stage_env(1)
    monkeypatch.setenv('OMP_NUM_THREADS', '3')
    assert distill.stage_env(4)['OMP_NUM_THREADS'] == '3'  # the user's setting wins


def test_jobs_run_seeds_concurrently_and_keep_seed_order(distill, tmp_path, monkeypatch):
    overlap = Overlap()

    def fake_all_stages(run):
        overlap.stay(0.3)
        run.state = {'teacher': dict(seconds=10.0 * (run.seed + 1), outputs={})}
        ap = 0.1 * (run.seed + 1)
        return {arm: {'keypoints/AP': ap} for arm in ('teacher', 'student', 'control')}

    monkeypatch.setattr(distill.SeedRun, 'all_stages', fake_all_stages)
    distill.main(['--work-dir', str(tmp_path), '--data-root', str(tmp_path / 'data'),
                  '--seeds', '3', '--jobs', '2'])
    assert overlap.most == 2
    csv_rows = (tmp_path / 'results.csv').read_text().splitlines()[1:]
    assert [row.split(',')[0] for row in csv_rows] == ['0'] * 3 + ['1'] * 3 + ['2'] * 3
    results = json.loads((tmp_path / 'results.json').read_text())
    assert results['stage_seconds']['teacher'] == pytest.approx(20.0)  # mean over the seeds


def test_a_given_checkpoint_adds_no_training_time(distill, tmp_path, monkeypatch):
    def fake_all_stages(run):  # the teacher given (--teacher-checkpoint), the student trained
        run.state = {'teacher': dict(seconds=None, outputs={}),
                     'student': dict(seconds=30.0 * (run.seed + 1), outputs={})}
        return {arm: {'keypoints/AP': 0.5} for arm in ('teacher', 'student')}

    monkeypatch.setattr(distill.SeedRun, 'all_stages', fake_all_stages)
    distill.main(['--work-dir', str(tmp_path), '--data-root', str(tmp_path / 'data'),
                  '--seeds', '2'])
    results = json.loads((tmp_path / 'results.json').read_text())
    assert results['stage_seconds'] == {'student': pytest.approx(45.0)}
    assert '| teacher | 50.0 ± 0.0 | –' in (tmp_path / 'results.md').read_text()


def test_jobs_must_be_positive(distill):
    with pytest.raises(SystemExit):
        distill.parse_args(['--jobs', '0'])


def test_given_teacher_is_recorded_not_trained(distill, tmp_path):
    checkpoint = tmp_path / 'my_teacher.pth'
    checkpoint.write_bytes(b'weights')
    args = distill.parse_args(['--coco', '--work-dir', str(tmp_path / 'work'),
                               '--teacher-checkpoint', str(checkpoint)])
    run = distill.SeedRun(args, seed=0)
    assert run.teacher() == str(checkpoint)
    entry = run.state['teacher']
    assert entry['seconds'] is None and entry['outputs']['checkpoint'] == str(checkpoint)
    assert osp.isfile(entry['outputs']['config'])  # what evaluating the teacher needs
    assert distill.SeedRun(args, seed=0).teacher() == str(checkpoint)  # re-run: reused

    other = tmp_path / 'other.pth'
    other.write_bytes(b'other weights')
    args.teacher_checkpoint = str(other)
    with pytest.raises(SystemExit, match='was made with the teacher'):
        distill.SeedRun(args, seed=0).teacher()
    args.teacher_checkpoint = str(tmp_path / 'missing.pth')
    with pytest.raises(SystemExit, match='no such file'):
        distill.SeedRun(args, seed=0).teacher()


@pytest.mark.parametrize('student_config, expected_init', [
    ('configs/synthetic/student.py', None),
    ('configs/synthetic/ablations/student_finetune-from-teacher.py', 'TEACHER'),
])
def test_only_a_config_that_loads_a_checkpoint_starts_from_the_teacher(
        distill, tmp_path, monkeypatch, student_config, expected_init):
    teacher = str(tmp_path / 'teacher.pth')
    args = distill.parse_args(['--work-dir', str(tmp_path / 'work'), '--data-root',
                               str(tmp_path / 'data'), '--student-config', student_config])
    run = distill.SeedRun(args, seed=0)

    def fake_run(stage, cmd):  # "trains": writes the final checkpoint the stage looks for
        config = distill.Config.fromfile(cmd[cmd.index('tools/train.py') + 1])
        work_dir = cmd[cmd.index('--work-dir') + 1]
        os.makedirs(work_dir, exist_ok=True)
        open(osp.join(work_dir, f'iter_{config.train_cfg.max_iters}.pth'), 'w').close()
        return 1.0

    monkeypatch.setattr(run, 'run', fake_run)
    run.train('student', teacher=teacher)
    config = distill.Config.fromfile(run.state['student']['outputs']['config'])
    assert config.load_from == (teacher if expected_init else None)


def test_a_final_checkpoint_in_the_work_dir_is_not_trained_again(distill, tmp_path,
                                                                  monkeypatch):
    """benchmarks/park_run.py restore puts a finished training back (round 1's student)."""
    args = distill.parse_args(['--work-dir', str(tmp_path / 'work'), '--data-root',
                               str(tmp_path / 'data')])
    run = distill.SeedRun(args, seed=0)
    monkeypatch.setattr(run, 'run', lambda stage, cmd: pytest.fail(f'{stage} trained again'))
    max_iters = distill.Config.fromfile(
        osp.join(distill.REPO_ROOT, 'configs/synthetic/student.py')).train_cfg.max_iters
    final = tmp_path / 'work' / 'seed0' / 'student' / f'iter_{max_iters}.pth'
    final.parent.mkdir(parents=True)
    final.write_bytes(b'weights')
    assert run.train('student') == str(final)
    assert run.state['student']['seconds'] is None  # not trained by this run
    assert osp.isfile(run.state['student']['outputs']['config'])


def test_skipped_arms_are_not_trained(distill, tmp_path, monkeypatch):
    args = distill.parse_args(['--work-dir', str(tmp_path / 'work'), '--data-root',
                               str(tmp_path / 'data'), '--skip-arms', 'control', 'oracle'])
    run = distill.SeedRun(args, seed=0)
    trained = []
    monkeypatch.setattr(run, 'make_data', lambda: None)
    monkeypatch.setattr(run, 'teacher', lambda: 'teacher.pth')
    monkeypatch.setattr(run, 'pseudo_label', lambda labeler, round_: 'pseudo.json')
    monkeypatch.setattr(run, 'train', lambda arm, *a, **k: trained.append(arm) or f'{arm}.pth')
    monkeypatch.setattr(run, 'evaluate', lambda arm: {'keypoints/AP': 0.5})
    assert sorted(run.all_stages()) == ['student', 'teacher']
    assert trained == ['student']
    with pytest.raises(SystemExit):
        distill.parse_args(['--skip-arms', 'student'])


def test_only_arms_trains_and_evaluates_those_arms_alone(distill, tmp_path, monkeypatch):
    args = distill.parse_args(['--work-dir', str(tmp_path / 'work'), '--data-root',
                               str(tmp_path / 'data'), '--only-arms', 'oracle', 'control',
                               '--jobs', '2'])
    run = distill.SeedRun(args, seed=1)
    trained, evaluated = [], []
    monkeypatch.setattr(run, 'make_data', lambda: None)
    monkeypatch.setattr(run, 'teacher', lambda: pytest.fail('the arms need no teacher'))
    monkeypatch.setattr(run, 'pseudo_label', lambda *a: pytest.fail('no pseudo-labels'))
    monkeypatch.setattr(run, 'train', lambda arm, teacher=None: trained.append((arm, teacher)))
    monkeypatch.setattr(run, 'evaluate', lambda arm: evaluated.append(arm) or {'AP': 0.5})
    assert run.all_stages() == {'oracle': {'AP': 0.5}, 'control': {'AP': 0.5}}
    assert sorted(trained) == [('control', None), ('oracle', None)]
    assert evaluated == ['oracle', 'control']
    for clash in (['--skip-arms', 'control'], ['--rounds', '2']):
        with pytest.raises(SystemExit):
            distill.parse_args(['--only-arms', 'oracle', *clash])
    with pytest.raises(SystemExit):
        distill.parse_args(['--coco', '--only-arms', 'oracle'])


def test_only_arms_of_a_finetune_student_need_the_given_teacher(distill, tmp_path, monkeypatch):
    student = 'configs/synthetic/ablations/student_finetune-from-teacher.py'
    argv = ['--work-dir', str(tmp_path / 'work'), '--data-root', str(tmp_path / 'data'),
            '--only-arms', 'control', '--student-config', student]
    run = distill.SeedRun(distill.parse_args(argv), seed=0)
    monkeypatch.setattr(run, 'make_data', lambda: None)
    with pytest.raises(SystemExit, match='starts from the teacher .*--teacher-checkpoint'):
        run.all_stages()
    checkpoint = tmp_path / 'teacher.pth'
    checkpoint.write_bytes(b'weights')
    run = distill.SeedRun(distill.parse_args(argv + ['--teacher-checkpoint', str(checkpoint)]),
                          seed=0)
    trained = []
    monkeypatch.setattr(run, 'make_data', lambda: None)
    monkeypatch.setattr(run, 'train', lambda arm, teacher=None: trained.append((arm, teacher)))
    monkeypatch.setattr(run, 'evaluate', lambda arm: {'AP': 0.5})
    run.all_stages()
    assert trained == [('control', str(checkpoint))]


def test_seed_threads_write_their_configs_at_the_same_time(distill, tmp_path):
    """mmengine's config parsing is not thread-safe; three seeds resuming at once all
    failed but one before the lock."""
    args = distill.parse_args(['--work-dir', str(tmp_path / 'work'), '--data-root',
                               str(tmp_path / 'data'), '--seeds', '3', '--jobs', '3'])
    runs = [distill.SeedRun(args, seed) for seed in range(3)]
    barrier = threading.Barrier(len(runs))

    def write_config(run):
        barrier.wait()
        return run.config('oracle')

    with distill.ThreadPoolExecutor(max_workers=len(runs)) as pool:
        paths = list(pool.map(write_config, runs))
    for seed, path in enumerate(paths):
        assert distill.Config.fromfile(path).randomness.seed == seed


def test_a_failing_seed_is_reported_while_the_others_run(distill, tmp_path, monkeypatch):
    reported, seen_while_running = threading.Event(), []
    original_say = distill.say

    def say_and_signal(line, stream=None):
        original_say(line, stream)
        if 'seed 0 failed' in line:
            reported.set()

    def fake_all_stages(run):
        if run.seed == 0:
            sys.exit('[distill] seed 0: stage teacher failed')
        seen_while_running.append(reported.wait(timeout=5))  # seed 1 is still "training"
        return {'teacher': {'keypoints/AP': 0.5}}

    monkeypatch.setattr(distill.SeedRun, 'all_stages', fake_all_stages)
    monkeypatch.setattr(distill, 'say', say_and_signal)
    with pytest.raises(SystemExit, match='stage teacher failed'):
        distill.main(['--work-dir', str(tmp_path), '--data-root', str(tmp_path / 'data'),
                      '--seeds', '2', '--jobs', '2'])
    assert seen_while_running == [True]


def test_stage_progress_lines_are_written_whole(distill, tmp_path, monkeypatch):
    """Two seeds printing at once ran their lines together ('data done in 6 s[distill] seed 1:
    ...') when a line took two writes; archive_run.py and readers need whole lines."""
    writes = []

    class WriteRecorder(io.StringIO):
        def write(self, text):
            writes.append(text)
            return len(text)

    monkeypatch.setattr(sys, 'stdout', WriteRecorder())
    args = distill.parse_args(['--work-dir', str(tmp_path / 'work'), '--data-root',
                               str(tmp_path / 'data'), '--jobs', '2'])
    distill.SeedRun(args, seed=0).run('data', [sys.executable, '-c', 'pass'])
    assert len(writes) == 2  # 'data ... (log: ...)' and 'data done in N s', one write each
    assert all(text.startswith('[distill] seed 0: data ') and text.endswith('\n')
               and text.count('\n') == 1 for text in writes)


def test_threads_saying_at_once_never_write_at_the_same_time(distill):
    """A text stream is not thread-safe: a run with --jobs 2 lost seed 1's 'student ...' line."""
    overlap = Overlap()

    class SlowStream(io.StringIO):
        def write(self, text):
            overlap.stay(0.01)
            return super().write(text)

    stream = SlowStream()
    with distill.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda i: distill.say(f'line {i}', stream), range(8)))
    assert overlap.most == 1
    assert sorted(stream.getvalue().splitlines()) == [f'line {i}' for i in range(8)]


def test_seeds_scoring_pseudo_labels_at_once_leave_stdout_alone(distill, monkeypatch):
    """Scoring silences COCOeval by swapping sys.stdout; overlapping swaps in two seed threads
    left the run's stdout swapped for good before the lock."""
    def fake_score(pseudo_file, truth_file, hold=dict(a=0.05, b=0.3)):
        with contextlib.redirect_stdout(io.StringIO()):
            time.sleep(hold[pseudo_file])
        return {}

    monkeypatch.setattr(distill, 'score_pseudo_label_file', fake_score)
    stdout = sys.stdout
    with distill.ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(distill.score_pseudo_labels, ['a', 'b'], ['truth', 'truth']))
    assert sys.stdout is stdout


def test_given_checkpoints_may_name_each_seeds_own(distill, tmp_path):
    for seed in (0, 1):
        (tmp_path / f'teacher_seed{seed}.pth').write_bytes(b'weights')
    args = distill.parse_args(['--coco', '--work-dir', str(tmp_path / 'work'),
                               '--teacher-checkpoint', str(tmp_path / 'teacher_seed{seed}.pth')])
    for seed in (0, 1):
        assert distill.SeedRun(args, seed).teacher() == str(tmp_path / f'teacher_seed{seed}.pth')
    with pytest.raises(SystemExit, match='no such file'):
        distill.SeedRun(args, seed=2).teacher()


@pytest.mark.parametrize('given_teacher', [False, True])
def test_a_teacher_trained_with_the_controls_recipe_is_the_control(distill, tmp_path,
                                                                   monkeypatch, given_teacher):
    checkpoint = tmp_path / 'teacher.pth'
    checkpoint.write_bytes(b'weights')
    argv = ['--work-dir', str(tmp_path / 'work'), '--data-root', str(tmp_path / 'data')]
    args = distill.parse_args(argv + (['--teacher-checkpoint', str(checkpoint)]
                                      if given_teacher else []))
    run = distill.SeedRun(args, seed=0)
    trained = []

    def fake_train(arm, *args, **kwargs):
        trained.append(arm)
        if arm == 'teacher':
            run.record('teacher', 1.0, checkpoint=str(checkpoint), config=run.config('teacher'))
        return f'{arm}.pth'

    monkeypatch.setattr(run, 'make_data', lambda: None)
    monkeypatch.setattr(run, 'train', fake_train)
    monkeypatch.setattr(run, 'pseudo_label', lambda labeler, round_: 'pseudo.json')
    monkeypatch.setattr(run, 'evaluate', lambda arm: {'keypoints/AP': len(arm) / 100})
    results = run.all_stages()
    if given_teacher:  # trained elsewhere: its recipe is unknown, the control is trained
        assert trained == ['student', 'control', 'oracle']
        assert results['control'] == {'keypoints/AP': 0.07}
    else:
        assert trained == ['teacher', 'student', 'oracle']
        assert results['control'] is results['teacher']


def test_finished_stages_are_read_where_they_were_recorded(distill, tmp_path, monkeypatch):
    """A stages.json seeded with another run's stages reuses that run's files (a screen of a
    student ablation on the very pseudo-labels of the default run)."""
    other = tmp_path / 'default_run' / 'seed0'
    other.mkdir(parents=True)
    (other / 'pseudo_labels.json').write_text('{}')
    (other / 'metrics.json').write_text(json.dumps({'keypoints/AP': 0.485}))
    args = distill.parse_args(['--work-dir', str(tmp_path / 'screen'), '--data-root',
                               str(tmp_path / 'data')])
    run = distill.SeedRun(args, seed=0)
    run.state = {
        'pseudo_label': dict(seconds=1.0, outputs=dict(
            pseudo_labels=str(other / 'pseudo_labels.json'))),
        'teacher': dict(seconds=0.0, outputs=dict(checkpoint='t.pth', config='t.py')),
        'eval_teacher': dict(seconds=1.0, outputs=dict(metrics=str(other / 'metrics.json')))}
    monkeypatch.setattr(run, 'run', lambda stage, cmd: pytest.fail(f'{stage} ran again'))
    scored = []
    monkeypatch.setattr(distill, 'score_pseudo_labels',
                        lambda pseudo, truth: scored.append(pseudo) or {})
    assert run.pseudo_label('t.pth') == str(other / 'pseudo_labels.json')
    assert scored == [str(other / 'pseudo_labels.json')]
    assert run.evaluate('teacher') == {'keypoints/AP': 0.485}


def _fake_stages(distill, run, monkeypatch, fail_stage=None):
    """Make ``run``'s stages fake commands through ``run.run`` (so through its job slots);
    return the log of (stage, stages running when it started) and the peak of stages at once."""
    running, started, peak, lock = set(), [], [0], threading.Lock()

    def fake_subprocess_run(cmd, **kwargs):
        with lock:
            running.add(cmd[0])
            started.append((cmd[0], frozenset(running)))
            peak[0] = max(peak[0], len(running))
        time.sleep(0.2)
        with lock:
            running.discard(cmd[0])
        return subprocess.CompletedProcess(cmd, 1 if cmd[0] == fail_stage else 0)

    def fake_stage(stage, result):
        run.run(stage, [stage])
        return result

    monkeypatch.setattr(distill.subprocess, 'run', fake_subprocess_run)
    monkeypatch.setattr(run, 'make_data', lambda: None)
    monkeypatch.setattr(run, 'teacher', lambda: 'teacher.pth')
    monkeypatch.setattr(run, 'teacher_is_control', lambda: False)
    monkeypatch.setattr(run, 'pseudo_label',
                        lambda labeler, round_: fake_stage('pseudo_label', 'pseudo.json'))
    monkeypatch.setattr(run, 'train', lambda arm, *a, **k: fake_stage(arm, f'{arm}.pth'))
    monkeypatch.setattr(run, 'evaluate', lambda arm: {'keypoints/AP': 0.5})
    return started, peak


@pytest.mark.parametrize('jobs', [1, 2])
def test_jobs_train_the_labeled_only_arms_beside_the_student(distill, tmp_path, monkeypatch,
                                                             jobs):
    args = distill.parse_args(['--work-dir', str(tmp_path / 'work'), '--data-root',
                               str(tmp_path / 'data'), '--jobs', str(jobs)])
    run = distill.SeedRun(args, seed=0)
    started, peak = _fake_stages(distill, run, monkeypatch)
    assert list(run.all_stages()) == ['teacher', 'student', 'control', 'oracle']
    stages = [stage for stage, _ in started]
    assert peak[0] == jobs
    if jobs == 1:  # one after another, in the pipeline's order
        assert stages == ['pseudo_label', 'student', 'control', 'oracle']
    else:  # control and oracle need only the teacher: they do not wait for the student
        assert stages.index('student') > stages.index('pseudo_label')
        assert min(stages.index('control'), stages.index('oracle')) < stages.index('student')


def test_a_failing_student_lets_the_labeled_only_arms_finish(distill, tmp_path, monkeypatch,
                                                             capsys):
    args = distill.parse_args(['--work-dir', str(tmp_path / 'work'), '--data-root',
                               str(tmp_path / 'data'), '--jobs', '3'])
    run = distill.SeedRun(args, seed=0)
    (tmp_path / 'work' / 'seed0' / 'logs' / 'pseudo_label.log').write_text('out of memory')
    started, _ = _fake_stages(distill, run, monkeypatch, fail_stage='pseudo_label')
    with pytest.raises(SystemExit, match='stage pseudo_label failed'):
        run.all_stages()
    assert sorted(stage for stage, _ in started) == ['control', 'oracle', 'pseudo_label']
    assert 'waiting for its control and oracle training' in capsys.readouterr().err
