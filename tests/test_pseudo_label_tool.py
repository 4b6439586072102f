"""tools/pseudo_label.py, the hook and the writer behind it, on tiny synthetic data (CPU).

The integration tests (``slow``) run the real tool (``Runner.test`` with ``PseudoLabelHook``) on
the ``tiny_synthetic`` images with a randomly initialised synthetic teacher: single process,
2 processes, killed + resumed, broken input files.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.logging import MMLogger
from mmengine.structures import BaseDataElement, InstanceData

from mmdistill.engine import PseudoLabelHook
from mmdistill.engine.pseudo_label_hook import seconds_per_image
from mmdistill.engine.pseudo_label_writer import (PseudoLabelWriter, choose_thresholds,
                                                  write_pseudo_labels)
from mmdistill.labeling.pseudo_label_file import validate_pseudo_labels
from tests.conftest import REPO_ROOT, free_port, run_tool

CONFIG = 'configs/synthetic/pseudo_label.py'
CATEGORIES = [dict(id=1, name='person', keypoints=['nose', 'left_eye', 'right_eye'])]


def _pred(scores, kpt_scores) -> InstanceData:
    n = len(scores)
    return InstanceData(bboxes=torch.tensor([[1., 2., 11., 22.]] * n), scores=torch.tensor(scores),
                        keypoints=torch.full((n, 3, 2), 5.),
                        keypoint_scores=torch.tensor(kpt_scores).reshape(n, 3))


def test_writer_calibrates_and_lists_every_image(tmp_path):
    shards = str(tmp_path / 'shards')
    images = [dict(id=i, file_name=f'{i}.png', width=30, height=30) for i in (1, 2, 3, 4)]
    with PseudoLabelWriter(shards, 1, 2) as writer:  # rank 1 of 2: images 2 and 4
        writer.add(images[1], _pred([0.9, 0.8, 0.1], [[.9, .8, .1], [.7, .2, .3], [.9, .9, .9]]))
        writer.add(images[3], None)  # unreadable
    with PseudoLabelWriter(shards, 0, 2) as writer:
        writer.add(images[0], _pred([0.7], [[.6, .5, .4]]))
        writer.add(images[2], _pred([], []))
    # 3 readable images, 1 person per image -> keep the 3 best persons (0.9, 0.8, 0.7);
    # 2 keypoints per person -> keep the 6 best of their 9 keypoint scores
    targets = dict(persons_per_image=1.0, keypoints_per_person=2.0)
    thresholds = choose_thresholds(shards, targets, None, None)
    assert thresholds['person_score'] == dict(value=0.7, how='calibrated',
                                              target_persons_per_image=1.0)
    assert thresholds['keypoint_score']['value'] == 0.4
    info = write_pseudo_labels(shards, str(tmp_path / 'pseudo.json'), CATEGORIES, thresholds,
                               dict(teacher_checkpoint_sha256='abc'))
    data = json.loads((tmp_path / 'pseudo.json').read_text())
    validate_pseudo_labels(data, 'pseudo.json')
    assert [img['id'] for img in data['images']] == [1, 2, 3, 4]
    assert [ann['image_id'] for ann in data['annotations']] == [1, 2, 2]
    assert sum(ann['num_keypoints'] for ann in data['annotations']) == 6
    assert data['info'] == json.loads(json.dumps(info))
    # per-image averages over the 3 readable images, as the calibration's
    assert info['counts'] == dict(images=4, unreadable_images=1, persons=3, keypoints=6,
                                  persons_per_image=1.0, keypoints_per_person=2.0,
                                  keypoints_per_image=2.0)
    assert info['teacher_checkpoint_sha256'] == 'abc'

    fixed = choose_thresholds(shards, None, 0.75, 0.85)
    assert fixed['person_score'] == dict(value=0.75, how='fixed')
    with pytest.raises(ValueError, match='keypoint score threshold'):
        choose_thresholds(shards, None, 0.75, None)


def test_hook_writes_the_file_from_any_model_family(tmp_path):
    """Outputs as a top-down family would give them (numpy arrays, no labels): the hook needs
    only the dataset's metainfo and pred_instances with boxes, scores and keypoints."""
    def sample(image_id, scores=None):
        meta = dict(image_info=dict(id=image_id, file_name=f'{image_id}.png', width=30,
                                    height=30), readable=scores is not None)
        if scores is None:  # unreadable: whatever the model made of the placeholder
            scores = [0.99]
        n = len(scores)
        pred = InstanceData(bboxes=np.tile([[1., 2., 11., 22.]], (n, 1)),
                            scores=np.asarray(scores), keypoints=np.full((n, 3, 2), 5.),
                            keypoint_scores=np.tile([[.9, .5, .1]], (n, 1)))
        return BaseDataElement(metainfo=meta, pred_instances=pred)

    out = tmp_path / 'pseudo.json'
    hook = PseudoLabelHook(str(out), CATEGORIES, dict(
        persons_per_image=1.0, keypoints_per_person=2.0, keypoints_per_image=2.0),
        run=dict(teacher_checkpoint_sha256='abc'), info=dict(teacher_config='cfg.py'))
    runner = type('Runner', (), dict(logger=MMLogger.get_instance('hook_test')))()
    hook.before_test(runner)
    hook.after_test_iter(runner, 0, outputs=[sample(1, [0.8, 0.3]), sample(2)])
    hook.after_test_iter(runner, 1, outputs=[sample(3, [0.6])])
    hook.after_test_epoch(runner)
    data = json.loads(out.read_text())
    validate_pseudo_labels(data, str(out))
    # 2 readable images x 1 person: the 0.8 and 0.6 persons, the unreadable image's not
    assert [(ann['image_id'], ann['score']) for ann in data['annotations']] == [(1, .8), (3, .6)]
    assert [ann['num_keypoints'] for ann in data['annotations']] == [2, 2]
    info = data['info']
    assert info['counts']['unreadable_images'] == 1
    assert (info['teacher_checkpoint_sha256'], info['teacher_config']) == ('abc', 'cfg.py')
    assert json.loads((tmp_path / 'pseudo.json.shards' / 'run.json').read_text()) == dict(
        teacher_checkpoint_sha256='abc')


@pytest.mark.parametrize('config', ['configs/student.py', 'configs/synthetic/student.py'])
def test_student_drops_pseudo_labeled_images_without_keypoints(config):
    """The file lists every image (above); the student trains only on those with a labeled
    keypoint, from both sources alike (see write_pseudo_labels)."""
    from mmengine.config import Config
    labeled, pseudo = Config.fromfile(REPO_ROOT / config).train_dataloader.dataset.datasets
    assert pseudo.filter_cfg == labeled.filter_cfg
    assert pseudo.filter_cfg.filter_empty_gt and pseudo.filter_cfg.min_visible_keypoints >= 1


# ---------------------------------------------------------------- integration (slow)

@pytest.fixture(scope='module')
def teacher(random_keypoint_rcnn) -> Path:
    """A randomly initialised synthetic Keypoint R-CNN teacher checkpoint."""
    return random_keypoint_rcnn


@pytest.fixture(scope='module')
def unlabeled_dir(tiny_synthetic, tmp_path_factory) -> Path:
    """The tiny unlabeled images as a folder, plus one unreadable file."""
    folder = tmp_path_factory.mktemp('unlabeled')
    for image in sorted((tiny_synthetic / 'images' / 'unlabeled').iterdir()):
        shutil.copy(image, folder)
    (folder / '000002_broken.png').write_bytes(b'not a png')
    return folder


def _args(teacher, unlabeled_dir, tiny_synthetic, out):
    return [CONFIG, str(teacher), '--out', str(out), '--unlabeled', str(unlabeled_dir),
            '--labeled', str(tiny_synthetic / 'annotations' / 'labeled.json')]


def _content(path: Path) -> dict:
    """The file without what legitimately differs between runs (time, process count)."""
    data = json.loads(path.read_text())
    for key in ('date_created', 'world_size'):
        data['info'].pop(key)
    return data


@pytest.fixture(scope='module')
def reference(teacher, unlabeled_dir, tiny_synthetic, tmp_path_factory):
    out = tmp_path_factory.mktemp('single') / 'pseudo.json'
    proc = run_tool(['tools/pseudo_label.py'] + _args(teacher, unlabeled_dir, tiny_synthetic, out))
    return out, proc.output


@pytest.mark.slow
def test_tool_single_process(reference, teacher):
    out, output = reference
    data = json.loads(out.read_text())
    validate_pseudo_labels(data, str(out))
    from pycocotools.coco import COCO
    assert len(COCO(str(out)).getImgIds()) == 5
    info = data['info']
    assert info['counts']['images'] == 5 and info['counts']['unreadable_images'] == 1
    assert info['counts']['persons'] > 0
    assert info['teacher_checkpoint_sha256'] == __import__('hashlib').sha256(
        teacher.read_bytes()).hexdigest()
    assert info['thresholds']['person_score']['how'] == 'calibrated'
    # 4 readable images x the labeled set's persons per image
    target = info['labeled_statistics']['persons_per_image']
    assert info['counts']['persons'] == round(4 * target)
    assert 'skipping unreadable image 000002_broken.png' in output
    assert 'persons kept' in output
    assert seconds_per_image(output) > 0  # the line the speed benchmarks read back
    assert seconds_per_image('persons kept: 3') is None


def _coco_like(labeled: Path, out: Path) -> Path:
    """``labeled`` with COCO's population: 40 % of the non-crowd persons without keypoints
    (small, far-away people: box only) and a crowd region in every image."""
    coco = json.loads(labeled.read_text())
    num_kpts = len(coco['categories'][0]['keypoints'])
    persons = len(coco['annotations'])
    extra = [(i % len(coco['images']), 0) for i in range(round(persons * 2 / 3))]
    extra += [(i, 1) for i in range(len(coco['images']))]
    first_id = 1 + max(ann['id'] for ann in coco['annotations'])
    for ann_id, (index, crowd) in enumerate(extra, start=first_id):
        coco['annotations'].append(dict(
            id=ann_id, image_id=coco['images'][index]['id'], category_id=1, iscrowd=crowd,
            bbox=[2., 3., 12., 30.], area=360., keypoints=[0] * 3 * num_kpts, num_keypoints=0))
    out.write_text(json.dumps(coco))
    return out


@pytest.mark.slow
def test_tool_matches_keypoints_per_image_on_coco_statistics(teacher, unlabeled_dir,
                                                             tiny_synthetic, tmp_path):
    labeled = _coco_like(tiny_synthetic / 'annotations' / 'labeled.json', tmp_path / 'coco.json')
    coco = json.loads(labeled.read_text())
    non_crowd = [a for a in coco['annotations'] if not a['iscrowd']]
    assert sum(a['num_keypoints'] == 0 for a in non_crowd) / len(non_crowd) == pytest.approx(
        0.4, abs=0.03)
    out = tmp_path / 'pseudo.json'
    output = run_tool(['tools/pseudo_label.py', CONFIG, str(teacher), '--out', str(out),
                       '--unlabeled', str(unlabeled_dir), '--labeled', str(labeled)]).output
    data = json.loads(out.read_text())
    info = data['info']
    counts, target = info['counts'], info['labeled_statistics']
    readable = counts['images'] - counts['unreadable_images']
    labeled_persons_per_image = len(non_crowd) / len(coco['images'])
    labeled_kpts_per_image = sum(a['num_keypoints'] for a in non_crowd) / len(coco['images'])
    assert counts['persons'] == round(readable * labeled_persons_per_image)
    # the calibrated count of keypoints, plus those tied with it at the threshold (all kept;
    # the random teacher's keypoint scores are near-uniform, so ties happen)
    kpt_thr = info['thresholds']['keypoint_score']['value']
    ties = sum(s == kpt_thr for ann in data['annotations'] for s in ann['keypoint_scores'])
    wanted = round(counts['persons'] * target['keypoints_per_person'])
    assert counts['keypoints'] - ties < wanted <= counts['keypoints']
    # as many keypoints per image as the labeled set, up to whole persons, keypoints and ties
    assert abs(counts['keypoints'] / readable - labeled_kpts_per_image) <= (
        (target['keypoints_per_person'] + 1) / 2 + ties - 1) / readable
    # the file's info and the summary compare like with like
    assert target['keypoints_per_image'] == pytest.approx(labeled_kpts_per_image)
    assert counts['keypoints_per_image'] == counts['keypoints'] / readable
    assert (f'{counts["keypoints_per_image"]:.2f} per image, '
            f'{counts["keypoints_per_person"]:.2f} per kept person; labeled set '
            f'{target["keypoints_per_image"]:.2f} and {target["keypoints_per_person"]:.2f}'
            ) in output


@pytest.mark.slow
def test_tool_two_processes_give_the_same_file(reference, teacher, unlabeled_dir,
                                               tiny_synthetic, tmp_path):
    out = tmp_path / 'pseudo.json'
    run_tool(['tools/dist_pseudo_label.sh', CONFIG, str(teacher), '2'] +
             _args(teacher, unlabeled_dir, tiny_synthetic, out)[2:],
             env=dict(PORT=str(free_port())))
    assert len(list((tmp_path / 'pseudo.json.shards').glob('*.jsonl'))) == 2
    assert _content(out) == _content(reference[0])


@pytest.mark.slow
def test_tool_killed_and_resumed_gives_the_same_file(reference, teacher, unlabeled_dir,
                                                     tiny_synthetic, tmp_path):
    out = tmp_path / 'pseudo.json'
    args = ['tools/pseudo_label.py'] + _args(teacher, unlabeled_dir, tiny_synthetic, out)
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    proc = subprocess.Popen([sys.executable] + args, cwd=REPO_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shard = tmp_path / 'pseudo.json.shards' / 'rank00000-of-00001-part00000.jsonl'
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if shard.exists() and shard.read_text().count('\n') >= 2:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists(), 'the run finished before it could be killed'
    output = run_tool(args + ['--resume']).output
    assert 'done before' in output and '(5 in total, 0 done before)' not in output
    assert len(list(shard.parent.glob('*.jsonl'))) == 2  # the resumed run's own shard
    assert _content(out) == _content(reference[0])
    # every image done: --resume only re-chooses the thresholds and writes the file again
    output = run_tool(args + ['--resume', '--score-thr', '0.9', '--kpt-thr', '0.5']).output
    assert '0 images to label (5 in total, 5 done before)' in output
    thresholds = json.loads(out.read_text())['info']['thresholds']
    assert (thresholds['person_score']['value'], thresholds['keypoint_score']['how']) == (
        0.9, 'fixed')


@pytest.mark.slow
def test_visualize_pseudo_labels(reference, unlabeled_dir, tmp_path):
    output = run_tool(['tools/visualize_pseudo_labels.py', str(reference[0]), '--img-prefix',
                       str(unlabeled_dir), '--out-dir', str(tmp_path)]).output
    assert 'wrote' in output
    for name in ('grid.png', 'scores.png'):
        assert (tmp_path / name).read_bytes()[:4] == b'\x89PNG'


@pytest.mark.slow
def test_tool_image_info_file_and_fixed_thresholds(teacher, tiny_synthetic, tmp_path):
    out = tmp_path / 'pseudo.json'
    info_file = tiny_synthetic / 'annotations' / 'unlabeled_images.json'
    run_tool(['tools/pseudo_label.py', CONFIG, str(teacher), '--out', str(out),
              '--unlabeled', str(info_file),
              '--labeled', str(tiny_synthetic / 'annotations' / 'labeled.json'),
              '--score-thr', '0.3', '--kpt-thr', '0.01',
              '--cfg-options', f'pseudo_label.img_prefix={tiny_synthetic}/images/'])
    data = json.loads(out.read_text())
    validate_pseudo_labels(data, str(out))
    expected = json.loads(info_file.read_text())['images']
    assert [(i['id'], i['file_name']) for i in data['images']] == sorted(
        (i['id'], i['file_name']) for i in expected)
    assert data['info']['counts']['unreadable_images'] == 0
    person = data['info']['thresholds']['person_score']
    assert (person['value'], person['how']) == (0.3, 'fixed')
    assert all(ann['score'] >= 0.3 for ann in data['annotations'])
    assert all((s >= 0.01) == (v == 2) for ann in data['annotations']
               for s, v in zip(ann['keypoint_scores'], ann['keypoints'][2::3]))


@pytest.mark.slow
@pytest.mark.parametrize('broken', ['labeled', 'image-info'])
def test_tool_reports_a_broken_input_file_in_one_line(teacher, tiny_synthetic, tmp_path,
                                                      broken):
    files = dict(labeled=tiny_synthetic / 'annotations' / 'labeled.json',
                 unlabeled=tiny_synthetic / 'annotations' / 'unlabeled_images.json')
    name = 'labeled' if broken == 'labeled' else 'unlabeled'
    text = files[name].read_text()
    files[name] = tmp_path / f'{name}.json'
    files[name].write_text(text[:len(text) // 2])
    proc = subprocess.run(
        [sys.executable, 'tools/pseudo_label.py', CONFIG, str(teacher), '--out',
         str(tmp_path / 'pseudo.json'), '--unlabeled', str(files['unlabeled']), '--labeled',
         str(files['labeled'])], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert proc.returncode != 0
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f'error: {files[name]}: not valid JSON (')
    assert 'Traceback' not in proc.stderr
    assert not (tmp_path / 'pseudo.json').exists()


@pytest.mark.slow
def test_tools_list_their_launchers_and_views():
    assert '--launcher {none,pytorch,slurm,mpi}' in run_tool(
        ['tools/pseudo_label.py', '--help']).output
    help_text = run_tool(['tools/test.py', '--help']).output
    assert '--tta' in help_text and '--show-dir' in help_text
    script = REPO_ROOT / 'tools' / 'slurm_pseudo_label.sh'
    assert os.access(script, os.X_OK) and 'pseudo_label.py' in script.read_text()
