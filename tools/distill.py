"""The whole Data Distillation pipeline in one command, stage by stage, resumable.

    python tools/distill.py                      # synthetic data on CPU, 1 seed
    python tools/distill.py --seeds 3 --jobs 3   # the README's headline table, seeds side by side
    python tools/distill.py --rounds 2           # iterated: the student labels the pool again
    python tools/distill.py --coco --gpus 8      # COCO configs on a GPU machine (no oracle)
    python tools/distill.py --student-config configs/synthetic/ablations/student_ratio-8-2.py
    python tools/distill.py --coco --gpus 8 --teacher-checkpoint teacher.pth  # your own teacher
    python tools/distill.py --family topdown     # person detector + SimpleBaseline, synthetic
    python tools/distill.py --only-arms oracle --first-seed 1   # one arm alone, merged later
    python tools/distill.py --coco --gpus 8 --family topdown --detector-checkpoint faster_rcnn.pth
    python tools/distill.py --teacher-checkpoint RUN/seed0/teacher/iter_12800.pth \
        --pseudo-label-config configs/synthetic/ablations/pseudo_label_kpt-thr-0.2.py \
        --skip-arms control oracle --work-dir work_dirs/screen/kpt-thr-0.2  # an ablation screen

Per seed: make data (synthetic only) -> train the teacher (the best labeled-only model) ->
pseudo-label the unlabeled images -> train the student (labeled + pseudo at 6 : 4, re-trained
from the teacher's initial weights as in the paper) -> train the control (the student's recipe on
the labeled images only) -> train the oracle (the student's recipe with the hidden ground truth;
synthetic only) -> evaluate every arm without TTA. Control and oracle are derived from the
student config (``mmdistill.utils.arms``), so an ablation of the student brings its own
same-recipe control; a control that would train exactly as the teacher did is the teacher
(``arms.trains_like``: the synthetic defaults). An arm whose config initialises from a
checkpoint (``load_from``, e.g. the fine-tune ablation) is pointed at the model that made its
labels (the teacher; in later rounds the previous student). With ``--rounds R`` the student of
round r labels the pool for round r + 1 (arms ``student_r2`` ...).

``--family topdown`` runs the same protocol with an mmpose top-down teacher: make data -> train
the person detector (synthetic: the Keypoint R-CNN teacher's model for a quarter of its length,
its box branch the detector) -> train the pose teacher -> pseudo-label the detector's boxes on
the unlabeled images (later rounds reuse the round-1 boxes,
``pseudo_labels.json.shards/person_boxes.json``) -> student, control, oracle as above. Every
arm is evaluated on ground-truth boxes and, with the detector's boxes on the val images
(``val_person_boxes.json``), on detected boxes (mmpose's protocol).

Each stage records its outputs and time in ``WORK_DIR/seed<S>/stages.json``; a re-run reuses
finished stages (the outputs recorded there: a stages.json seeded with another run's teacher and
pseudo-label stages screens a student ablation on that run's very labels) and resumes interrupted
trainings. ``--jobs J`` runs J stages at the same time: seeds side by side, and within a seed
the arms that need only the teacher (control, oracle) beside the pseudo-labels and the student; on
CPU each job's processes get ``cpu_count // J`` threads. The per-arm configs that ran are written
to ``WORK_DIR/seed<S>/configs/``; results go to ``WORK_DIR/results.{md,json,csv,png}``.
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Optional, TextIO

from mmengine.config import Config

from mmdistill.utils.arms import labeled_only_recipe, trains_like, truth_recipe
from mmdistill.utils.config_paths import retarget_data_root
from mmdistill.evaluation.pseudo_label_quality import score_pseudo_label_file
from mmdistill.utils.results_files import write_results
from mmdistill.utils.results_table import table_metrics

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
# the default config of every stage, per family; the top-down family adds the person detector
SYNTHETIC = dict(
    keypoint_rcnn=dict(teacher='configs/synthetic/teacher.py',
                       pseudo_label='configs/synthetic/pseudo_label.py',
                       student='configs/synthetic/student.py'),
    topdown=dict(detector='configs/topdown/keypoint-rcnn_synthetic_person-boxes.py',
                 teacher='configs/synthetic/td-hm_res18_synthetic-96x96_2x.py',
                 pseudo_label='configs/topdown/td-hm_res18_synthetic-96x96_pseudo-label.py',
                 student='configs/topdown/td-hm_res18_synthetic-96x96_student.py'))
COCO = dict(
    keypoint_rcnn=dict(teacher='configs/teacher.py', pseudo_label='configs/pseudo_label.py',
                       student='configs/student.py'),
    topdown=dict(
        detector='configs/topdown/faster-rcnn_r50_fpn_1x_coco_person-boxes.py',
        teacher='configs/topdown/td-hm_res50_8xb64-210e_coco-256x192.py',
        pseudo_label='configs/topdown/td-hm_res50_8xb64-210e_coco-256x192_pseudo-label.py',
        student='configs/topdown/td-hm_res50_8xb64-210e_coco-256x192_student.py'))
CONFIG_STAGES = ('detector', 'teacher', 'pseudo_label', 'student')
# arms derived from the student config: only their training data differ from it
DERIVED = dict(control=labeled_only_recipe, oracle=truth_recipe)
# in-process work of the seed threads that touches process-wide state
_PROCESS_LOCK = threading.Lock()


def load_config(path: str) -> Config:
    """``Config.fromfile`` for the seed threads: mmengine's parsing of ``mmdet::``/``mmpose::``
    scopes is not thread-safe (two seeds parsing at once fail with a pkg_resources TypeError)."""
    with _PROCESS_LOCK:
        return Config.fromfile(path)


def score_pseudo_labels(pseudo_file: str, truth_file: str) -> dict:
    """``score_pseudo_label_file`` for the seed threads: it silences COCOeval by swapping the
    process's ``sys.stdout``, and two seeds doing that at once left it swapped for good (every
    later progress line of the run was lost)."""
    with _PROCESS_LOCK:
        return score_pseudo_label_file(pseudo_file, truth_file)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Run teacher -> pseudo-labels -> student')
    parser.add_argument('--work-dir', default=None,
                        help='default: work_dirs/distill_{synthetic,coco}[_topdown]')
    parser.add_argument('--data-root', default='data/synthetic',
                        help='synthetic: data is generated under DATA_ROOT/seed<S>')
    parser.add_argument('--seeds', type=int, default=1, help='number of seeds')
    parser.add_argument('--first-seed', type=int, default=0,
                        help='seeds are FIRST_SEED, FIRST_SEED + 1, ... (e.g. 3 for a '
                        'confirmation on seeds that chose nothing)')
    parser.add_argument('--rounds', type=int, default=1,
                        help='distillation rounds: the student of round r labels the unlabeled '
                        'images for round r + 1')
    parser.add_argument('--jobs', type=int, default=1,
                        help='stages run at the same time (default 1): seeds side by side, and '
                        'a seed\'s control and oracle beside its pseudo-labels and student')
    parser.add_argument('--coco', action='store_true', help='run the COCO configs (GPU)')
    parser.add_argument('--family', choices=list(SYNTHETIC), default='keypoint_rcnn',
                        help='the teacher: Keypoint R-CNN (default) or a person detector + an '
                        'mmpose top-down pose model')
    parser.add_argument('--gpus', type=int, default=1, help='processes per training stage')
    parser.add_argument('--num-labeled', type=int, help='synthetic: labeled images')
    parser.add_argument('--num-unlabeled', type=int, help='synthetic: unlabeled images')
    parser.add_argument('--num-val', type=int, help='synthetic: validation images')
    for arm in CONFIG_STAGES:
        parser.add_argument(f'--{arm.replace("_", "-")}-config', dest=f'{arm}_config',
                            help=f'config of the {arm} stage')
    parser.add_argument('--skip-arms', nargs='+', default=[], choices=list(DERIVED),
                        help='labeled-only / ground-truth arms not to train, e.g. for an '
                        'ablation screen compared with the control of a default run')
    parser.add_argument('--only-arms', nargs='+', default=[], choices=list(DERIVED),
                        help='train and evaluate only these labeled-only / ground-truth arms '
                        '(no teacher, pseudo-labels or student): e.g. the oracle of seeds '
                        'whose other arms ran elsewhere, for tools/analysis_tools/'
                        'merge_results.py; a student config that starts from the teacher '
                        '(load_from) needs --teacher-checkpoint')
    parser.add_argument('--teacher-checkpoint',
                        help='a trained teacher (of --teacher-config) to use instead of training '
                        'one; every seed shares it, unless the path has {seed} (e.g. '
                        'RUN/seed{seed}/control/iter_12800.pth: each seed its own)')
    parser.add_argument('--detector-checkpoint',
                        help='--family topdown: a trained person detector (of '
                        '--detector-config) to use instead of training one; {seed} as for '
                        '--teacher-checkpoint')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='key=value overrides applied to every training config '
                        '(e.g. train_cfg.max_iters=20 for a smoke run)')
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error(f'--seeds must be >= 1, got {args.seeds}')
    if args.jobs < 1:
        parser.error(f'--jobs must be >= 1, got {args.jobs}')
    if args.rounds < 1:
        parser.error(f'--rounds must be >= 1, got {args.rounds}')
    if args.only_arms and (args.skip_arms or args.rounds > 1):
        parser.error('--only-arms trains no student: it goes with neither --skip-arms nor '
                     '--rounds')
    if args.only_arms and args.coco and 'oracle' in args.only_arms:
        parser.error('--only-arms oracle: COCO has no hidden truth (synthetic data only)')
    defaults = (COCO if args.coco else SYNTHETIC)[args.family]
    if args.family != 'topdown' and (args.detector_config or args.detector_checkpoint):
        parser.error('--detector-config / --detector-checkpoint need --family topdown')
    args.configs = {arm: getattr(args, f'{arm}_config') or defaults[arm] for arm in defaults}
    if args.work_dir is None:
        args.work_dir = 'work_dirs/distill_' + ('coco' if args.coco else 'synthetic') + (
            '_topdown' if args.family == 'topdown' else '')
    return args


def final_checkpoint(cfg: Config, work_dir: str) -> str:
    """The checkpoint a finished training of ``cfg`` leaves in ``work_dir``: ``iter_N.pth``, or
    ``epoch_N.pth`` for epoch-based loops (mmpose's and mmdet's zoo configs)."""
    if 'max_epochs' in cfg.train_cfg:
        return osp.join(work_dir, f'epoch_{cfg.train_cfg.max_epochs}.pth')
    return osp.join(work_dir, f'iter_{cfg.train_cfg.max_iters}.pth')


class SeedRun:
    """The stages of one seed, with their state file."""

    def __init__(self, args: argparse.Namespace, seed: int,
                 slots: Optional[threading.Semaphore] = None) -> None:
        self.args = args
        self.seed = seed
        # one slot per running stage, shared by every seed of the run (``--jobs``)
        self.slots = slots or threading.BoundedSemaphore(args.jobs)
        self._state_lock = threading.Lock()  # the arms of a seed record their stages at once
        self.dir = osp.abspath(osp.join(args.work_dir, f'seed{seed}'))
        self.data_root = None if args.coco else osp.abspath(
            osp.join(args.data_root, f'seed{seed}'))
        os.makedirs(osp.join(self.dir, 'logs'), exist_ok=True)
        self.topdown = args.family == 'topdown'
        self.state_file = osp.join(self.dir, 'stages.json')
        self.state = {}
        self.pseudo_label_quality = None  # scored against the hidden truth (synthetic only)
        if osp.exists(self.state_file):
            with open(self.state_file) as f:
                self.state = json.load(f)

    # -- bookkeeping -------------------------------------------------------------------------
    def done(self, stage: str) -> bool:
        entry = self.state.get(stage)
        return bool(entry) and all(osp.exists(p) for p in entry['outputs'].values())

    def record(self, stage: str, seconds: Optional[float], **outputs: str) -> None:
        """Write the stage's outputs and wall seconds (None: a given checkpoint, not run here)."""
        with self._state_lock:
            self.state[stage] = dict(seconds=seconds, outputs=outputs)
            tmp = self.state_file + '.tmp'
            with open(tmp, 'w') as f:
                json.dump(self.state, f, indent=2)
            os.replace(tmp, self.state_file)

    def run(self, stage: str, cmd: List[str]) -> float:
        """Run one command in a free job slot, its output in logs/<stage>.log; return its wall
        time."""
        log = osp.join(self.dir, 'logs', f'{stage}.log')
        with self.slots:
            say(f'[distill] seed {self.seed}: {stage} ... (log: {log})')
            start = time.time()
            with open(log, 'a') as f:
                proc = subprocess.run(cmd, cwd=REPO_ROOT, stdout=f, stderr=subprocess.STDOUT,
                                      env=stage_env(self.args.jobs))
            seconds = time.time() - start
        if proc.returncode != 0:
            with open(log) as f:
                tail = f.read()[-3000:]
            sys.exit(f'{tail}\n[distill] seed {self.seed}: stage {stage} failed '
                     f'(exit {proc.returncode}); full log: {log}')
        say(f'[distill] seed {self.seed}: {stage} done in {seconds:.0f} s')
        return seconds

    def config(self, arm: str, config_key: Optional[str] = None, **overrides) -> str:
        """Write the arm's config for this seed (data root, seed, overrides) and return its path.

        ``config_key`` names the config in ``args.configs`` when it differs from ``arm``; the
        control and the oracle are derived from the student's.
        """
        key = config_key or ('student' if arm in DERIVED else arm)
        cfg = load_config(osp.join(REPO_ROOT, self.args.configs[key]))
        if arm in DERIVED:
            cfg = Config(DERIVED[arm](cfg.to_dict()))
        if self.data_root is not None:
            cfg = Config(retarget_data_root(cfg.to_dict(), cfg.data_root, self.data_root + '/'))
        cfg.merge_from_dict(dict(randomness=dict(seed=self.seed), **overrides))
        if not arm.startswith('pseudo_label') and self.args.cfg_options:
            cfg.merge_from_dict(_parse_options(self.args.cfg_options))
        path = osp.join(self.dir, 'configs', f'{arm}.py')
        os.makedirs(osp.dirname(path), exist_ok=True)
        cfg.dump(path)
        return path

    # -- stages -------------------------------------------------------------------------------
    def make_data(self) -> None:
        labeled = osp.join(self.data_root, 'annotations', 'labeled.json')
        if self.done('data'):
            return
        cmd = [sys.executable, 'tools/make_synthetic.py', '--out', self.data_root,
               '--seed', str(self.seed)]
        for name in ('num_labeled', 'num_unlabeled', 'num_val'):
            if getattr(self.args, name) is not None:
                cmd += [f'--{name.replace("_", "-")}', str(getattr(self.args, name))]
        self.record('data', self.run('data', cmd), labeled=labeled)

    def train(self, arm: str, config_key: Optional[str] = None, teacher: Optional[str] = None,
              **overrides) -> str:
        """Train one arm (resuming an interrupted run) and return its final checkpoint.

        A config that initialises from a checkpoint (``load_from``) starts from ``teacher``.
        A final checkpoint already in the arm's work dir counts as the training, recorded
        without seconds (it was not trained by this run).
        """
        if self.done(arm):
            return self.state[arm]['outputs']['checkpoint']
        work_dir = osp.join(self.dir, arm)
        key = config_key or ('student' if arm in DERIVED else arm)
        if teacher and load_config(osp.join(REPO_ROOT, self.args.configs[key])).get(
                'load_from'):
            overrides['load_from'] = teacher
        config = self.config(arm, key, **overrides)
        checkpoint = final_checkpoint(load_config(config), work_dir)
        if osp.exists(checkpoint):  # e.g. put back by benchmarks/park_run.py restore
            say(f'[distill] seed {self.seed}: {arm}: {checkpoint} exists, not trained again')
            self.record(arm, None, checkpoint=checkpoint, config=config)
            return checkpoint
        if self.args.gpus > 1:
            cmd = ['bash', 'tools/dist_train.sh', config, str(self.args.gpus)]
        else:
            cmd = [sys.executable, 'tools/train.py', config]
        cmd += ['--work-dir', work_dir]
        if osp.exists(osp.join(work_dir, 'last_checkpoint')):
            cmd.append('--resume')
        seconds = self.run(arm, cmd)
        if not osp.exists(checkpoint):
            sys.exit(f'[distill] {arm}: training ended without {checkpoint}')
        self.record(arm, seconds, checkpoint=checkpoint, config=config)
        return checkpoint

    def teacher(self) -> str:
        """The teacher checkpoint: ``--teacher-checkpoint`` if given, else a trained one."""
        return self.given_or_trained('teacher', self.args.teacher_checkpoint)

    def detector(self) -> str:
        """The person detector (top-down family): ``--detector-checkpoint`` or a trained one."""
        return self.given_or_trained('detector', self.args.detector_checkpoint)

    def given_or_trained(self, arm: str, given: Optional[str]) -> str:
        """``given`` (recorded with the arm's config, as a training would be), else train."""
        if given is None:
            return self.train(arm)
        given = osp.abspath(given.format(seed=self.seed))
        if not osp.isfile(given):
            sys.exit(f'[distill] --{arm}-checkpoint: no such file: {given}')
        recorded = self.state.get(arm, {}).get('outputs', {}).get('checkpoint')
        if recorded not in (None, given):
            sys.exit(f'[distill] {self.state_file} was made with the {arm} {recorded}, not '
                     f'{given}: its later stages would not match; use another --work-dir')
        if recorded is None:
            self.record(arm, None, checkpoint=given, config=self.config(arm))
        return given

    def pseudo_label(self, teacher: str, round_: int = 1) -> str:
        """Label the unlabeled images with ``teacher``; round r > 1 uses a round suffix.

        A top-down teacher labels the person boxes of the detector (round 1, kept in the shard
        folder) or, in later rounds, the same boxes again.
        """
        suffix = '' if round_ == 1 else f'_r{round_}'
        stage = f'pseudo_label{suffix}'
        out = osp.join(self.dir, f'pseudo_labels{suffix}.json')
        if not self.done(stage):
            config = self.config(stage, 'pseudo_label')
            if self.args.gpus > 1:
                cmd = ['bash', 'tools/dist_pseudo_label.sh', config, teacher, str(self.args.gpus)]
            else:
                cmd = [sys.executable, 'tools/pseudo_label.py', config, teacher]
            outputs = dict(pseudo_labels=out)
            if self.topdown and round_ == 1:
                detector = self.state['detector']['outputs']
                cmd += ['--detector', detector['config'], detector['checkpoint']]
                outputs['person_boxes'] = osp.join(out + '.shards', 'person_boxes.json')
            elif self.topdown:
                cmd += ['--bbox-file', self.state['pseudo_label']['outputs']['person_boxes']]
            seconds = self.run(stage, cmd + ['--out', out, '--resume'])
            self.record(stage, seconds, **outputs)
        out = self.state[stage]['outputs']['pseudo_labels']  # a reused stage's, wherever it is
        if self.data_root is not None:
            truth = osp.join(self.data_root, 'annotations', 'unlabeled_gt.json')
            quality = score_pseudo_labels(out, truth)
            with open(osp.join(self.dir, f'pseudo_label_quality{suffix}.json'), 'w') as f:
                json.dump(quality, f, indent=2)
            if round_ == 1:
                self.pseudo_label_quality = quality
        return out

    def val_person_boxes(self, arm: str) -> str:
        """The detector's person boxes on the val images of the pose arms (top-down family),
        as mmpose's ``bbox_file``; ``arm`` (any trained one: all share the val split) gives them."""
        out = osp.join(self.dir, 'val_person_boxes.json')
        if not self.done('val_person_boxes'):
            detector = self.state['detector']['outputs']
            val = load_config(self.state[arm]['outputs']['config']).test_dataloader.dataset
            person_label = load_config(osp.join(REPO_ROOT, self.args.configs['pseudo_label'])
                                       ).pseudo_label.get('person_label', 0)
            args = [detector['config'], detector['checkpoint'],
                    '--images', osp.join(val.data_root, val.ann_file),
                    '--img-prefix', osp.join(val.data_root, val.data_prefix.img),
                    '--out', out, '--person-label', str(person_label),
                    '--work-dir', osp.join(self.dir, 'detector', 'val_person_boxes')]
            if self.args.gpus > 1:
                cmd = ['bash', 'tools/dist_launch.sh', str(self.args.gpus), 'detect_persons.py']
            else:
                cmd = [sys.executable, 'tools/detect_persons.py']
            self.record('val_person_boxes', self.run('val_person_boxes', cmd + args),
                        person_boxes=out)
        return out

    def evaluate_on(self, arm: str, stage: str, name: str,
                    options: List[str]) -> Dict[str, float]:
        """Evaluate the arm's checkpoint (``tools/test.py``, its metrics into ``arm/name``)."""
        metrics_file = osp.join(self.dir, arm, f'{name}.json')
        if not self.done(stage):
            entry = self.state[arm]['outputs']
            cmd = [sys.executable, 'tools/test.py', entry['config'], entry['checkpoint'],
                   '--work-dir', osp.join(self.dir, arm, 'test'), '--out', metrics_file]
            if options:
                cmd += ['--cfg-options', *options]
            self.record(stage, self.run(stage, cmd), metrics=metrics_file)
        with open(self.state[stage]['outputs']['metrics']) as f:
            return json.load(f)

    def evaluate(self, arm: str) -> Dict[str, float]:
        """The arm's metrics under the table's names; a top-down arm on ground-truth and on
        the detector's boxes."""
        if not self.topdown:
            return self.evaluate_on(arm, f'eval_{arm}', 'metrics', [])
        on_truth = self.evaluate_on(arm, f'eval_{arm}', 'metrics',
                             ['test_dataloader.dataset.bbox_file=None'])
        on_detected = self.evaluate_on(
            arm, f'eval_{arm}_det-boxes', 'metrics_det-boxes',
            [f'test_dataloader.dataset.bbox_file={self.val_person_boxes(arm)}'])
        return table_metrics(on_truth, on_detected)

    def all_stages(self) -> Dict[str, Dict[str, float]]:
        if self.data_root is not None:
            self.make_data()
        if self.topdown:
            self.detector()
        if self.args.only_arms:
            return self.only_arms(self.args.only_arms)
        teacher = self.teacher()
        control_is_teacher = 'control' not in self.args.skip_arms and self.teacher_is_control()
        if control_is_teacher:
            say(f'[distill] seed {self.seed}: control = the teacher (the student\'s recipe on '
                'the labeled images alone is the teacher\'s)')
        labeled_only = [
            arm for arm in (('control', 'oracle') if self.data_root is not None else ('control', ))
            if arm not in self.args.skip_arms and not (arm == 'control' and control_is_teacher)]
        if self.args.jobs == 1:
            students = self.distill_rounds(teacher)
            for arm in labeled_only:
                self.train(arm, teacher=teacher)
        else:  # they need only the teacher: trained beside the pseudo-labels and the students
            with ThreadPoolExecutor(max_workers=max(1, len(labeled_only))) as pool:
                beside = [pool.submit(self.train, arm, teacher=teacher) for arm in labeled_only]
                try:
                    students = self.distill_rounds(teacher)
                except BaseException as error:
                    say(f'[distill] seed {self.seed} failed: {error!r}'[:2000] + '; waiting '
                        f'for its {" and ".join(labeled_only)} training', sys.stderr)
                    raise
                for future in beside:
                    future.result()
        results = {arm: self.evaluate(arm) for arm in ['teacher', *students, *labeled_only]}
        if control_is_teacher:
            results['control'] = results['teacher']
        return results

    def only_arms(self, arms: List[str]) -> Dict[str, Dict[str, float]]:
        """Train and evaluate ``arms`` alone (side by side with ``--jobs``); the teacher only
        where the student config starts from it."""
        teacher = None
        if load_config(osp.join(REPO_ROOT, self.args.configs['student'])).get('load_from'):
            if self.args.teacher_checkpoint is None:
                sys.exit(f'[distill] --only-arms: {self.args.configs["student"]} starts from '
                         'the teacher (load_from); give it with --teacher-checkpoint')
            teacher = self.teacher()
        with ThreadPoolExecutor(max_workers=len(arms)) as pool:
            list(pool.map(lambda arm: self.train(arm, teacher=teacher), arms))
        return {arm: self.evaluate(arm) for arm in arms}

    def distill_rounds(self, teacher: str) -> List[str]:
        """Pseudo-label and train the student of every round (each labels the next round's
        pool); return the student arms."""
        students, labeler = [], teacher
        for round_ in range(1, self.args.rounds + 1):
            arm = 'student' if round_ == 1 else f'student_r{round_}'
            pseudo = self.pseudo_label(labeler, round_)
            labeler = self.train(arm, 'student', teacher=labeler,
                                 **{'train_dataloader.dataset.datasets.1.ann_file': pseudo})
            students.append(arm)
        return students

    def teacher_is_control(self) -> bool:
        """Whether this run trained its teacher with the control's recipe (``trains_like``);
        a ``--teacher-checkpoint`` was trained elsewhere, so it never counts."""
        if self.args.teacher_checkpoint is not None:
            return False
        teacher = load_config(self.state['teacher']['outputs']['config']).to_dict()
        return trains_like(teacher, load_config(self.config('control')).to_dict())


_SAY_LOCK = threading.Lock()


def say(line: str, stream: Optional[TextIO] = None) -> None:
    """Print one progress line whole, under a lock: seeds and arms run side by side in threads,
    and ``print`` from several threads ran lines together and lost some (a text stream is not
    thread-safe; ``print`` writes the text and its newline separately)."""
    stream = sys.stdout if stream is None else stream
    with _SAY_LOCK:
        stream.write(line + '\n')
        stream.flush()


def stage_env(jobs: int) -> Dict[str, str]:
    """Environment of a stage's process: with several jobs, split the CPU threads between them
    (an OMP_NUM_THREADS set by the user wins)."""
    env = dict(os.environ, PYTHON=sys.executable)
    if jobs > 1 and 'OMP_NUM_THREADS' not in os.environ:
        env['OMP_NUM_THREADS'] = str(max(1, (os.cpu_count() or 1) // jobs))
    return env


def _parse_options(options: List[str]) -> dict:
    from mmengine.config import DictAction
    namespace = argparse.Namespace()
    DictAction(option_strings=[], dest='opts')(None, namespace, options)
    return namespace.opts


def _all_stages_or_report(run: SeedRun) -> Dict[str, Dict[str, float]]:
    """``run.all_stages()``; a failure is printed at once, not when the other seeds end."""
    try:
        return run.all_stages()
    except BaseException as error:
        say(f'[distill] seed {run.seed} failed (the other seeds go on): {error!r}'[:2000],
            sys.stderr)
        raise


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    os.makedirs(args.work_dir, exist_ok=True)
    start = time.time()
    slots = threading.BoundedSemaphore(args.jobs)  # stages running at once, over all seeds
    runs = [SeedRun(args, seed, slots)
            for seed in range(args.first_seed, args.first_seed + args.seeds)]
    with ThreadPoolExecutor(max_workers=min(args.jobs, args.seeds)) as pool:
        # submitted, not mapped: Executor.map cancels the seeds not started yet when one fails
        futures = [pool.submit(_all_stages_or_report, run) for run in runs]
        arm_metrics = [future.result() for future in futures]
    per_seed, stage_times = {}, {}
    for run, metrics in zip(runs, arm_metrics):
        per_seed[run.seed] = metrics
        for stage, entry in run.state.items():
            if entry['seconds'] is not None:  # a given checkpoint is no training time
                stage_times.setdefault(stage, []).append(entry['seconds'])
    seconds = {stage: sum(times) / len(times) for stage, times in stage_times.items()}
    pseudo_labels = {run.seed: run.pseudo_label_quality for run in runs
                     if run.pseudo_label_quality is not None}
    table = write_results(args.work_dir, per_seed, seconds, pseudo_labels)
    print(table)
    print(f'[distill] results in {osp.abspath(args.work_dir)}/results.{{md,json,csv,png}}; '
          f'this run took {time.time() - start:.0f} s (stage times are mean per seed)')


if __name__ == '__main__':
    main()
