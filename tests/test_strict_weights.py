"""A checkpoint that does not fit the model stops tools/test.py and tools/pseudo_label.py with
one line naming the file (mmengine's load_from only warns and runs a partly random model)."""
import os
import subprocess
import sys

import pytest
import torch
from torch import Size

from mmdistill.utils.weights import weight_mismatch
from .conftest import REPO_ROOT

CONFIG = 'configs/synthetic/teacher.py'


def test_a_fitting_checkpoint_has_no_mismatch():
    shapes = {'a.weight': Size([2, 3]), 'bn.num_batches_tracked': Size([])}
    assert weight_mismatch(shapes, {'a.weight': Size([2, 3])}) == []


def test_mismatch_lists_missing_unexpected_and_resized_weights():
    expected = {'a': Size([1]), 'b': Size([2]), 'c': Size([3, 3]), 'd': Size([4])}
    found = {'a': Size([1]), 'c': Size([3, 4]), 'e': Size([5])}
    assert weight_mismatch(expected, found) == [
        '2 model weights missing (b, d)',
        '1 weights the model does not have (e)',
        '1 weights of another shape (c: (3, 4) vs (3, 3))']


def test_mismatch_shows_at_most_three_keys():
    expected = {f'k{i}': Size([1]) for i in range(5)}
    assert weight_mismatch(expected, {}) == ['5 model weights missing (k0, k1, k2, ...)']


@pytest.fixture
def wrong_checkpoint(random_keypoint_rcnn, tmp_path):
    """The synthetic teacher's weights with its keypoint head cut to 5 keypoints."""
    checkpoint = torch.load(random_keypoint_rcnn, weights_only=False)
    state = checkpoint['state_dict']
    key = next(k for k in state if k.startswith('roi_head.keypoint_head') and
               state[k].dim() == 4 and state[k].shape[1] == 17)
    state[key] = state[key][:, :5]
    path = tmp_path / 'wrong.pth'
    torch.save(checkpoint, path)
    return path, key


def _run(args):
    return subprocess.run([sys.executable] + args, cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=300, env=dict(os.environ, OMP_NUM_THREADS='1'))


@pytest.mark.slow
def test_test_tool_refuses_a_checkpoint_that_does_not_fit(wrong_checkpoint, tiny_synthetic,
                                                          tmp_path):
    path, key = wrong_checkpoint
    out = tmp_path / 'metrics.json'
    proc = _run(['tools/test.py', CONFIG, str(path), '--out', str(out), '--work-dir',
                 str(tmp_path / 'work'), '--cfg-options',
                 f'test_dataloader.dataset.data_root={tiny_synthetic}/',
                 f'test_evaluator.ann_file={tiny_synthetic}/annotations/val.json'])
    assert proc.returncode != 0
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f'error: {path} does not fit the model of ')
    assert f'1 weights of another shape ({key}: ' in last
    assert 'Traceback' not in proc.stderr and not out.exists()


@pytest.mark.slow
def test_pseudo_label_tool_refuses_a_missing_checkpoint(tiny_synthetic, tmp_path):
    proc = _run(['tools/pseudo_label.py', 'configs/synthetic/pseudo_label.py',
                 str(tmp_path / 'nope.pth'), '--out', str(tmp_path / 'pseudo.json'),
                 '--unlabeled', f'{tiny_synthetic}/annotations/unlabeled_images.json',
                 '--labeled', f'{tiny_synthetic}/annotations/labeled.json'])
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines()[-1] == f'error: checkpoint not found: {tmp_path}/nope.pth'
    assert not (tmp_path / 'pseudo.json').exists()
