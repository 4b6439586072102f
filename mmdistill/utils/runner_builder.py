"""Config → Runner plumbing shared by ``tools/train.py``, ``test.py`` and ``pseudo_label.py``.

Besides the usual OpenMMLab CLI overrides, this makes ``--launcher pytorch`` work on machines
without a GPU: mmengine's ``init_dist`` always calls ``torch.cuda.set_device`` and its default DDP
wrapper passes ``device_ids=[LOCAL_RANK]``, both of which fail on CPU. There we start a gloo process
group ourselves (the Runner then skips ``init_dist``) and wrap the model without ``device_ids``.
"""
import argparse
import datetime
import os
import os.path as osp
from typing import Optional

import torch
import torch.distributed as torch_dist
from mmengine.config import Config, ConfigDict, DictAction
from mmengine.logging import print_log
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

import mmdistill  # noqa: F401  (registers modules, allow-lists checkpoint types)


def parse_runner_args(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """Add the options every runner-based tool takes, parse, and export ``LOCAL_RANK``."""
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, e.g. train_cfg.max_iters=100 '
        'optim_wrapper.optimizer.lr=0.01')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none',
        help='job launcher')
    # torchrun sets LOCAL_RANK; torch.distributed.launch passes --local-rank/--local_rank
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    # launchers that pass --local-rank instead of setting LOCAL_RANK
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def load_config(config: str,
                work_dir: Optional[str] = None,
                cfg_options: Optional[dict] = None,
                launcher: str = 'none',
                amp: bool = False,
                auto_scale_lr: bool = False,
                resume: Optional[str] = None,
                load_from: Optional[str] = None) -> Config:
    """Load ``config`` and apply the usual OpenMMLab command-line overrides.

    Args:
        config: Path of the mmengine config file.
        work_dir: Output directory; defaults to the config's, else ``work_dirs/<config name>``.
        cfg_options: ``--cfg-options`` overrides, merged last.
        launcher: ``none``, ``pytorch``, ``slurm`` or ``mpi``.
        amp: Switch the optimizer wrapper to ``AmpOptimWrapper``.
        auto_scale_lr: Enable the config's ``auto_scale_lr``.
        resume: ``'auto'`` resumes from the work dir's latest checkpoint, a path from that file.
        load_from: Checkpoint whose weights are loaded (used by ``tools/test.py``).
    """
    if not osp.isfile(config):
        raise FileNotFoundError(f'config file not found: {config}')
    cfg = Config.fromfile(config)
    cfg.launcher = launcher
    if cfg_options:
        cfg.merge_from_dict(cfg_options)

    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(config))[0])

    if amp:
        optim_wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if optim_wrapper == 'AmpOptimWrapper':
            print_log('AMP is already enabled in the config', logger='current')
        elif optim_wrapper != 'OptimWrapper':
            raise ValueError(f'--amp needs optim_wrapper.type OptimWrapper, got {optim_wrapper}')
        else:
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'

    if auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise KeyError(f'--auto-scale-lr needs auto_scale_lr.base_batch_size in {config}')
        cfg.auto_scale_lr.enable = True

    if resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif resume is not None:
        cfg.resume = True
        cfg.load_from = resume
    if load_from is not None:
        cfg.load_from = load_from
    return cfg


def use_tta(cfg: Config) -> None:
    """Test with views, as mmdet's and mmpose's ``--tta``: wrap ``cfg.model`` in
    ``cfg.tta_model`` and give the test dataset ``cfg.tta_pipeline`` (in place)."""
    missing = [key for key in ('tta_model', 'tta_pipeline') if key not in cfg]
    if missing:
        raise KeyError(f'test-time views need {" and ".join(missing)} in {cfg.filename}')
    cfg.model = ConfigDict(**cfg.tta_model, module=cfg.model)
    dataset = cfg.test_dataloader.dataset
    while 'dataset' in dataset:  # wrapped datasets (e.g. RepeatDataset)
        dataset = dataset.dataset
    dataset.pipeline = cfg.tta_pipeline


def use_show_dir(cfg: Config, show_dir: str) -> None:
    """Draw every test prediction into ``show_dir``, as mmdet's and mmpose's ``--show-dir``:
    switch on the config's ``default_hooks.visualization`` (mmdet's ``DetVisualizationHook``
    or mmpose's ``PoseVisualizationHook``; in place)."""
    hook = cfg.get('default_hooks', {}).get('visualization')
    if hook is None:
        raise KeyError(f'--show-dir needs default_hooks.visualization in {cfg.filename}')
    # absolute: both hooks join a relative folder to work_dir/timestamp again on every batch
    show_dir = osp.abspath(show_dir)
    if hook['type'].endswith('PoseVisualizationHook'):
        hook.update(enable=True, out_dir=show_dir)
    else:
        hook.update(draw=True, test_out_dir=show_dir)


def build_runner(cfg: Config) -> Runner:
    """Build the config's Runner; with a launcher but no GPU, start a gloo group first."""
    if cfg.launcher != 'none' and not torch.cuda.is_available():
        _init_cpu_process_group(cfg)

    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)


def _init_cpu_process_group(cfg: Config) -> None:
    """Start a gloo process group and configure a CPU-compatible DDP wrapper."""
    if cfg.launcher != 'pytorch':
        raise NotImplementedError(
            f'--launcher {cfg.launcher} without a GPU is not supported; use --launcher pytorch '
            '(tools/dist_train.sh) or a GPU machine')
    if not torch_dist.is_initialized():
        timeout = cfg.get('env_cfg', {}).get('dist_cfg', {}).get('timeout')
        kwargs = {} if timeout is None else dict(timeout=datetime.timedelta(seconds=timeout))
        torch_dist.init_process_group(backend='gloo', **kwargs)
    wrapper_cfg = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper_cfg['device_ids'] = None  # CPU modules take no device ids
    cfg.model_wrapper_cfg = wrapper_cfg
    print_log(
        f'no GPU: rank {torch_dist.get_rank()}/{torch_dist.get_world_size()} '
        'uses the gloo backend on CPU', logger='current')
