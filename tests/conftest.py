"""Shared fixtures: tiny synthetic data made offline, and a runner for the command-line tools."""
import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
TOPDOWN_CONFIG = 'configs/synthetic/td-hm_res18_synthetic-96x96.py'


def run_tool(args: Sequence[str], env: Optional[Dict[str, str]] = None,
             timeout: float = 600) -> subprocess.CompletedProcess:
    """Run a repo tool (``tools/x.py`` with this interpreter, or a ``.sh``) and assert it succeeds.

    One thread per process: the machines have 2 cores and the dist tests start two processes.
    """
    cmd = list(args)
    if cmd[0].endswith('.py'):
        cmd = [sys.executable] + cmd
    full_env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', PYTHON=sys.executable)
    full_env.update(env or {})
    proc = subprocess.run(cmd, cwd=REPO_ROOT, env=full_env, capture_output=True, text=True,
                          timeout=timeout)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f'{" ".join(cmd)} exited {proc.returncode}:\n{output[-6000:]}'
    proc.output = output
    return proc


# tools/distill.py on tiny generated data: 3 iterations per training, no dataloader workers
TINY_DISTILL_ARGS = [
    '--num-labeled', '8', '--num-unlabeled', '6', '--num-val', '4', '--cfg-options',
    'train_cfg.max_iters=3', 'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False', 'val_dataloader.num_workers=0',
    'val_dataloader.persistent_workers=False', 'test_dataloader.num_workers=0',
    'test_dataloader.persistent_workers=False']


def lr_steps(cfg: dict) -> List[int]:
    """The iterations where a config's step scheduler (``param_scheduler[1]``) multiplies the
    LR, built as mmengine's Runner builds it (``end`` defaults to ``train_cfg.max_iters``)."""
    import torch
    from mmengine.registry import PARAM_SCHEDULERS

    import mmdistill  # noqa: F401  (registers FractionalMultiStepLR)
    step = dict(cfg['param_scheduler'][1])
    step.setdefault('end', cfg['train_cfg']['max_iters'])
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    return sorted(PARAM_SCHEDULERS.build(step, default_args=dict(optimizer=optimizer)).milestones)


def load_tool(name: str, folder: str = 'tools'):
    """``<folder>/<name>.py`` imported as a module (the tools and benchmarks are scripts, not a
    package)."""
    path = REPO_ROOT / folder / f'{name}.py'
    spec = importlib.util.spec_from_file_location(f'{name}_{folder}', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def distill():
    """``tools/distill.py`` as a module."""
    return load_tool('distill')


def free_port() -> int:
    """A free TCP port on localhost for a torchrun rendezvous."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='session')
def tiny_synthetic(tmp_path_factory) -> Path:
    """A few synthetic images per split, written by the real generator CLI."""
    root = tmp_path_factory.mktemp('synthetic')
    run_tool(['tools/make_synthetic.py', '--out', str(root), '--num-labeled', '8',
              '--num-unlabeled', '4', '--num-val', '4'])
    return root


def tiny_topdown_options(data_root: Path, max_iters: int = 2) -> List[str]:
    """``--cfg-options`` that point the synthetic top-down config at ``data_root`` and shrink it."""
    root = f'{data_root}/'
    options = [f'train_cfg.max_iters={max_iters}', 'default_hooks.checkpoint.interval=2',
               'default_hooks.logger.interval=1', 'train_dataloader.batch_size=4',
               f'val_evaluator.ann_file={root}annotations/val.json',
               f'test_evaluator.ann_file={root}annotations/val.json']
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        options += [f'{loader}.dataset.data_root={root}', f'{loader}.num_workers=0',
                    f'{loader}.persistent_workers=False']
    return options


@pytest.fixture(scope='session')
def random_keypoint_rcnn(tmp_path_factory) -> Path:
    """A randomly initialised synthetic Keypoint R-CNN checkpoint (seeded)."""
    import torch
    from mmdet.registry import MODELS
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    init_default_scope('mmdet')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(REPO_ROOT / 'configs/synthetic/teacher.py').model)
    model.init_weights()
    path = tmp_path_factory.mktemp('keypoint_rcnn') / 'model.pth'
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), path)
    return path
