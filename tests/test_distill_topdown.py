"""tools/distill.py --family topdown: person detector -> pose teacher -> pseudo-labels on the
detector's boxes -> student / control / oracle, evaluated on ground-truth and detected boxes."""
import json
import os
import os.path as osp

import pytest
from mmengine.config import Config

from mmdistill.utils.results_table import (DET_BOXES_AP, markdown_table, summarize,
                                           table_metrics)
from .conftest import TINY_DISTILL_ARGS, run_tool

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
MMPOSE_METRICS = {'coco/AP': 0.5, 'coco/AP .5': 0.7, 'coco/AP .75': 0.4, 'coco/AR': 0.6}


def _arg(cmd, flag):
    return cmd[cmd.index(flag) + 1]


def fake_stages(distill, run, calls, monkeypatch):
    """Replace ``run.run`` by a fake that records each command and writes what it would."""

    def fake_run(stage, cmd):
        calls.append((stage, cmd))
        if stage == 'data':
            os.makedirs(osp.join(run.data_root, 'annotations'))
            open(osp.join(run.data_root, 'annotations', 'labeled.json'), 'w').close()
        elif 'tools/train.py' in cmd or 'tools/dist_train.sh' in cmd:
            config = Config.fromfile(cmd[2])
            work_dir = _arg(cmd, '--work-dir')
            os.makedirs(work_dir, exist_ok=True)
            open(distill.final_checkpoint(config, work_dir), 'w').close()
        elif stage.startswith('pseudo_label'):
            out = _arg(cmd, '--out')
            open(out, 'w').close()
            if '--detector' in cmd:
                os.makedirs(out + '.shards')
                open(osp.join(out + '.shards', 'person_boxes.json'), 'w').close()
        elif stage == 'val_person_boxes':
            open(_arg(cmd, '--out'), 'w').close()
        elif stage.startswith('eval_'):
            ap = 0.3 if stage.endswith('det-boxes') else 0.5
            os.makedirs(_arg(cmd, '--work-dir'), exist_ok=True)  # as the Runner does
            with open(_arg(cmd, '--out'), 'w') as f:
                json.dump(dict(MMPOSE_METRICS, **{'coco/AP': ap}), f)
        return 1.0

    monkeypatch.setattr(run, 'run', fake_run)
    monkeypatch.setattr(distill, 'score_pseudo_label_file',
                        lambda out, truth: {'keypoint_ap': {'AP': 0.2}})


def test_family_defaults_and_overrides(distill):
    args = distill.parse_args(['--family', 'topdown'])
    assert args.configs == distill.SYNTHETIC['topdown']
    assert args.configs['detector'] == 'configs/topdown/keypoint-rcnn_synthetic_person-boxes.py'
    detector = Config.fromfile(osp.join(REPO_ROOT, args.configs['detector']))
    assert detector.model == Config.fromfile(
        osp.join(REPO_ROOT, 'configs/synthetic/teacher.py')).model
    assert detector.train_cfg.max_iters == 3200  # the detector of docs/topdown.md's results
    assert args.work_dir == 'work_dirs/distill_synthetic_topdown'
    args = distill.parse_args(['--family', 'topdown', '--coco', '--student-config', 'my.py',
                               '--detector-config', 'det.py'])
    assert args.configs == dict(distill.COCO['topdown'], student='my.py', detector='det.py')
    assert args.work_dir == 'work_dirs/distill_coco_topdown'
    # the Keypoint R-CNN family is unchanged and has no detector stage
    args = distill.parse_args([])
    assert args.configs == distill.SYNTHETIC['keypoint_rcnn'] and 'detector' not in args.configs
    assert args.work_dir == 'work_dirs/distill_synthetic'
    for option in ('--detector-config', '--detector-checkpoint'):
        with pytest.raises(SystemExit):
            distill.parse_args([option, 'x'])
    for configs in (distill.SYNTHETIC['topdown'], distill.COCO['topdown']):
        for path in configs.values():
            assert osp.isfile(osp.join(REPO_ROOT, path)), path


def test_final_checkpoint_of_iteration_and_epoch_loops(distill):
    coco_pose = Config.fromfile(osp.join(REPO_ROOT, distill.COCO['topdown']['teacher']))
    assert distill.final_checkpoint(coco_pose, 'w') == osp.join('w', 'epoch_210.pth')
    synthetic = Config.fromfile(osp.join(REPO_ROOT, distill.SYNTHETIC['topdown']['teacher']))
    assert distill.final_checkpoint(synthetic, 'w') == osp.join('w', 'iter_2000.pth')


def test_topdown_stages_commands_and_resume(distill, tmp_path, monkeypatch):
    args = distill.parse_args(['--family', 'topdown', '--work-dir', str(tmp_path / 'work'),
                               '--data-root', str(tmp_path / 'data'), '--rounds', '2',
                               '--cfg-options', 'train_cfg.max_iters=7'])
    run = distill.SeedRun(args, seed=0)
    calls = []
    fake_stages(distill, run, calls, monkeypatch)
    results = run.all_stages()

    # the student trains the teacher's recipe: the teacher is the same-recipe control
    arms = ['teacher', 'student', 'student_r2', 'oracle']
    evals = [f'eval_{arm}{suffix}' for arm in arms for suffix in ('', '_det-boxes')]
    evals.insert(1, 'val_person_boxes')  # made for the first evaluation on detected boxes
    assert [stage for stage, _ in calls] == [
        'data', 'detector', 'teacher', 'pseudo_label', 'student', 'pseudo_label_r2',
        'student_r2', 'oracle', *evals]
    assert results['control'] == results['teacher']
    cmds = dict(calls)
    seed_dir = tmp_path / 'work' / 'seed0'
    detector_config = Config.fromfile(_arg(cmds['detector'], 'tools/train.py'))
    assert detector_config.model.type == Config.fromfile(
        osp.join(REPO_ROOT, 'configs/synthetic/teacher.py')).model.type
    assert detector_config.train_cfg.max_iters == 7  # --cfg-options reach the detector
    detector = str(seed_dir / 'detector' / 'iter_7.pth')

    # round 1: the pose teacher on the detector's boxes; round 2: the student on the same boxes
    label = cmds['pseudo_label']
    assert label[2:4] == [str(seed_dir / 'configs' / 'pseudo_label.py'),
                          str(seed_dir / 'teacher' / 'iter_7.pth')]
    assert label[label.index('--detector') + 1:][:2] == [
        str(seed_dir / 'configs' / 'detector.py'), detector]
    boxes = str(seed_dir / 'pseudo_labels.json.shards' / 'person_boxes.json')
    label_r2 = cmds['pseudo_label_r2']
    assert label_r2[3] == str(seed_dir / 'student' / 'iter_7.pth')
    assert _arg(label_r2, '--bbox-file') == boxes and '--detector' not in label_r2
    pseudo_cfg = Config.fromfile(label[2])
    assert pseudo_cfg.tta_model.type == 'TopdownPoseTTAModel'
    assert pseudo_cfg.pseudo_label.unlabeled == str(
        tmp_path / 'data' / 'seed0' / 'annotations' / 'unlabeled_images.json')

    student = Config.fromfile(seed_dir / 'configs' / 'student.py')
    assert student.model.type == 'TopdownPoseEstimator' and student.load_from is None
    assert student.train_dataloader.dataset.datasets[1].ann_file == str(
        seed_dir / 'pseudo_labels.json')
    assert Config.fromfile(seed_dir / 'configs' / 'student_r2.py').train_dataloader.dataset \
        .datasets[1].ann_file == str(seed_dir / 'pseudo_labels_r2.json')
    control = Config.fromfile(seed_dir / 'configs' / 'control.py')
    assert len(control.train_dataloader.dataset.datasets) == 1
    oracle = Config.fromfile(seed_dir / 'configs' / 'oracle.py')
    assert oracle.train_dataloader.dataset.datasets[1].ann_file == 'annotations/unlabeled_gt.json'

    # the detector's boxes on the val images the pose arms are tested on
    val_boxes = cmds['val_person_boxes']
    assert val_boxes[2:4] == [str(seed_dir / 'configs' / 'detector.py'), detector]
    data_root = tmp_path / 'data' / 'seed0'
    assert _arg(val_boxes, '--images') == str(data_root / 'annotations' / 'val.json')
    assert _arg(val_boxes, '--img-prefix') == str(data_root / 'images') + '/'
    for arm in arms:
        on_truth, on_detected = cmds[f'eval_{arm}'], cmds[f'eval_{arm}_det-boxes']
        assert on_truth[2] == on_detected[2] == str(seed_dir / 'configs' / f'{arm}.py')
        assert _arg(on_truth, '--cfg-options') == 'test_dataloader.dataset.bbox_file=None'
        assert _arg(on_detected, '--cfg-options') == \
            'test_dataloader.dataset.bbox_file=' + str(seed_dir / 'val_person_boxes.json')
        assert _arg(on_truth, '--out') != _arg(on_detected, '--out')
        assert results[arm]['keypoints/AP'] == 0.5 and results[arm][DET_BOXES_AP] == 0.3
        assert results[arm]['keypoints/AP50'] == 0.7

    # a re-run reuses every stage
    rerun = distill.SeedRun(args, seed=0)
    monkeypatch.setattr(rerun, 'run', lambda stage, cmd: pytest.fail(f'{stage} ran again'))
    assert rerun.all_stages() == results


def test_topdown_only_arms_find_the_val_boxes_without_a_teacher(distill, tmp_path, monkeypatch):
    """--only-arms trains no pose teacher: the detector's val boxes come from the arm's config."""
    args = distill.parse_args(['--family', 'topdown', '--work-dir', str(tmp_path / 'work'),
                               '--data-root', str(tmp_path / 'data'), '--only-arms', 'control',
                               'oracle', '--cfg-options', 'train_cfg.max_iters=7'])
    run = distill.SeedRun(args, seed=0)
    calls = []
    fake_stages(distill, run, calls, monkeypatch)
    assert sorted(run.all_stages()) == ['control', 'oracle']
    evals = [f'eval_{arm}{suffix}' for arm in ('control', 'oracle')
             for suffix in ('', '_det-boxes')]
    evals.insert(1, 'val_person_boxes')
    assert [stage for stage, _ in calls] == ['data', 'detector', 'control', 'oracle', *evals]
    assert _arg(dict(calls)['val_person_boxes'], '--images') == str(
        tmp_path / 'data' / 'seed0' / 'annotations' / 'val.json')


def test_coco_topdown_commands(distill, tmp_path, monkeypatch):
    detector, teacher = tmp_path / 'faster_rcnn.pth', tmp_path / 'pose.pth'
    detector.write_bytes(b'detector')
    teacher.write_bytes(b'pose')
    args = distill.parse_args(['--family', 'topdown', '--coco', '--gpus', '8', '--work-dir',
                               str(tmp_path / 'work'), '--detector-checkpoint', str(detector),
                               '--teacher-checkpoint', str(teacher)])
    run = distill.SeedRun(args, seed=0)
    calls = []
    fake_stages(distill, run, calls, monkeypatch)
    assert sorted(run.all_stages()) == ['control', 'student', 'teacher']  # no oracle on COCO
    cmds = dict(calls)
    assert 'detector' not in cmds and 'teacher' not in cmds and 'data' not in cmds
    assert run.state['detector']['outputs']['checkpoint'] == str(detector)
    label = cmds['pseudo_label']
    assert label[:5] == ['bash', 'tools/dist_pseudo_label.sh',
                         str(tmp_path / 'work' / 'seed0' / 'configs' / 'pseudo_label.py'),
                         str(teacher), '8']
    assert label[label.index('--detector') + 2] == str(detector)
    assert cmds['student'][:2] == ['bash', 'tools/dist_train.sh']
    val_boxes = cmds['val_person_boxes']
    assert val_boxes[:4] == ['bash', 'tools/dist_launch.sh', '8', 'detect_persons.py']
    assert _arg(val_boxes, '--images') == 'data/coco/annotations/person_keypoints_val2017.json'
    assert _arg(val_boxes, '--img-prefix') == 'data/coco/val2017/'
    assert Config.fromfile(val_boxes[4]).model.type == 'FasterRCNN'
    assert Config.fromfile(cmds['eval_student'][2]).model.backbone.depth == 50

    other = tmp_path / 'other.pth'
    other.write_bytes(b'other detector')
    args.detector_checkpoint = str(other)
    with pytest.raises(SystemExit, match='was made with the detector'):
        distill.SeedRun(args, seed=0).detector()


def test_table_metrics_rename_mmpose_and_add_detected_boxes():
    on_truth = {'coco/AP': 0.5, 'coco/AP .5': 0.7, 'coco/AP .75': 0.4, 'coco/AP (M)': 0.45,
                'coco/AR': 0.6}
    assert table_metrics(on_truth, {'coco/AP': 0.3, 'coco/AR': 0.4}) == {
        'keypoints/AP': 0.5, 'keypoints/AP50': 0.7, 'keypoints/AP75': 0.4,
        'keypoints/AP_m': 0.45, 'keypoints/AR': 0.6, DET_BOXES_AP: 0.3}
    keypoint_rcnn = {'keypoints/AP': 0.5, 'bbox/mAP': 0.6}
    assert table_metrics(keypoint_rcnn) == keypoint_rcnn  # already the table's names


def test_table_shows_the_columns_each_family_has():
    topdown = summarize({0: {'student': table_metrics(MMPOSE_METRICS, {'coco/AP': 0.3})}})
    header, _, row = markdown_table(topdown, {}).splitlines()[:3]
    assert header == ('| arm | kpt AP | kpt AP50 | kpt AP75 | kpt AR | kpt AP (det boxes) | '
                      'train time (s) |')
    assert row == '| student | 50.0 ± 0.0 | 70.0 ± 0.0 | 40.0 ± 0.0 | 60.0 ± 0.0 | 30.0 ± 0.0 | – |'
    keypoint_rcnn = summarize({0: {'student': {
        'keypoints/AP': 0.5, 'keypoints/AP50': 0.7, 'keypoints/AP75': 0.4, 'keypoints/AR': 0.6,
        'bbox/mAP': 0.55}}})
    assert markdown_table(keypoint_rcnn, {}).splitlines()[0] == (
        '| arm | kpt AP | kpt AP50 | kpt AP75 | kpt AR | bbox/mAP | train time (s) |')


@pytest.mark.slow
def test_topdown_pipeline_end_to_end(tmp_path):
    args = ['tools/distill.py', '--family', 'topdown', '--work-dir', str(tmp_path / 'work'),
            '--data-root', str(tmp_path / 'data'), '--rounds', '2', *TINY_DISTILL_ARGS]
    first = run_tool(args, timeout=1200)
    for stage in ('data', 'detector', 'teacher', 'pseudo_label', 'student', 'pseudo_label_r2',
                  'student_r2', 'oracle', 'val_person_boxes', 'eval_teacher',
                  'eval_teacher_det-boxes', 'eval_oracle_det-boxes'):
        assert f'seed 0: {stage} done' in first.output
    assert 'seed 0: control = the teacher' in first.output  # the student's recipe, labeled only
    table = (tmp_path / 'work' / 'results.md').read_text()
    for arm in ('teacher', 'control', 'student', 'student_r2', 'oracle'):
        assert f'| {arm} |' in table
    assert 'kpt AP (det boxes)' in table and 'pseudo-labels vs the hidden truth' in table
    results = json.loads((tmp_path / 'work' / 'results.json').read_text())
    for metrics in results['per_seed']['0'].values():
        assert 0.0 <= metrics['keypoints/AP'] <= 1.0 and 0.0 <= metrics[DET_BOXES_AP] <= 1.0
    seed_dir = tmp_path / 'work' / 'seed0'
    labels = json.loads((seed_dir / 'pseudo_labels.json').read_text())
    assert labels['info']['detector_checkpoint'] == str(seed_dir / 'detector' / 'iter_3.pth')
    labels_r2 = json.loads((seed_dir / 'pseudo_labels_r2.json').read_text())
    assert labels_r2['info']['teacher_checkpoint'] == str(seed_dir / 'student' / 'iter_3.pth')
    assert labels_r2['info']['bbox_file'] == str(
        seed_dir / 'pseudo_labels.json.shards' / 'person_boxes.json')
