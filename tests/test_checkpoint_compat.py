"""mmengine checkpoints load on torch >= 2.6 once mmdistill is imported, and only those types."""
import argparse
import json
import subprocess
import sys

import pytest
import torch

from mmdistill.engine import MMENGINE_CHECKPOINT_GLOBALS
from .conftest import TOPDOWN_CONFIG, run_tool, tiny_topdown_options

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def trained(tiny_synthetic, tmp_path_factory):
    """Two iterations of the synthetic top-down config: (work dir with iter_2.pth, data root)."""
    work_dir = tmp_path_factory.mktemp('train')
    run_tool(['tools/train.py', TOPDOWN_CONFIG, '--work-dir', str(work_dir), '--cfg-options',
              *tiny_topdown_options(tiny_synthetic, max_iters=2)])
    assert (work_dir / 'iter_2.pth').is_file()
    return work_dir, tiny_synthetic


def _qualified_name(obj) -> str:
    return f'{obj.__module__}.{obj.__qualname__}'


def test_allow_list_covers_a_training_checkpoint(trained):
    work_dir, _ = trained
    # ask a process without mmdistill: in this one the types are allow-listed already
    code = ('import json, sys, torch; print(json.dumps('
            'torch.serialization.get_unsafe_globals_in_checkpoint(sys.argv[1])))')
    proc = subprocess.run([sys.executable, '-c', code, str(work_dir / 'iter_2.pth')],
                          capture_output=True, text=True, check=True)
    needed = set(json.loads(proc.stdout))
    allowed = {_qualified_name(obj) for obj in MMENGINE_CHECKPOINT_GLOBALS}
    # numpy pickles these under their historic module name
    allowed |= {name.replace('numpy.core._multiarray_umath', 'numpy.core.multiarray')
                for name in allowed}
    assert needed, 'an mmengine checkpoint should carry non-tensor globals'
    assert needed <= allowed, f'not allow-listed: {sorted(needed - allowed)}'
    checkpoint = torch.load(work_dir / 'iter_2.pth')  # weights_only=True is the default
    assert checkpoint['meta']['iter'] == 2
    assert {'state_dict', 'message_hub', 'optimizer'} <= set(checkpoint)


def test_without_mmdistill_the_checkpoint_is_refused(trained):
    work_dir, _ = trained
    code = f'import torch; torch.load({str(work_dir / "iter_2.pth")!r})'
    proc = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert proc.returncode != 0 and 'weights_only' in proc.stderr


def test_other_pickled_objects_stay_refused(tmp_path):
    import mmdistill  # noqa: F401
    path = tmp_path / 'other.pth'
    torch.save({'args': argparse.Namespace(lr=0.1)}, path)
    with pytest.raises(Exception, match='weights_only'):
        torch.load(path)


def test_load_from_then_test_tool(trained, tmp_path):
    work_dir, data_root = trained
    options = tiny_topdown_options(data_root, max_iters=2)
    proc = run_tool(['tools/train.py', TOPDOWN_CONFIG, '--work-dir', str(tmp_path / 'ft'),
                     '--cfg-options', f'load_from={work_dir / "iter_2.pth"}', *options])
    assert f'Load checkpoint from {work_dir / "iter_2.pth"}' in proc.output
    assert 'Iter(train) [1/2]' in proc.output  # weights only: the schedule starts over

    metrics_file = tmp_path / 'metrics.json'
    run_tool(['tools/test.py', TOPDOWN_CONFIG, str(work_dir / 'iter_2.pth'), '--work-dir',
              str(tmp_path / 'test'), '--out', str(metrics_file), '--cfg-options', *options])
    metrics = json.loads(metrics_file.read_text())
    assert 0.0 <= metrics['coco/AP'] <= 1.0


def test_resume_continues_from_the_checkpoint(trained):
    work_dir, data_root = trained
    proc = run_tool(['tools/train.py', TOPDOWN_CONFIG, '--work-dir', str(work_dir), '--resume',
                     '--cfg-options', *tiny_topdown_options(data_root, max_iters=4)])
    assert 'resumed epoch: 0, iter: 2' in proc.output
    assert 'Iter(train) [3/4]' in proc.output and 'Iter(train) [1/4]' not in proc.output
    assert torch.load(work_dir / 'iter_4.pth')['meta']['iter'] == 4
