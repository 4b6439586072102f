"""The command-line overrides that tools/train.py and tools/test.py apply to a config."""
import subprocess
import sys

import pytest

from mmdistill.utils import load_config
from .conftest import REPO_ROOT, TOPDOWN_CONFIG

CONFIG = str(REPO_ROOT / TOPDOWN_CONFIG)


def test_defaults_take_the_work_dir_from_the_config_name():
    cfg = load_config(CONFIG)
    assert cfg.work_dir == './work_dirs/td-hm_res18_synthetic-96x96'
    assert cfg.launcher == 'none'
    assert not cfg.get('resume', False)


def test_cli_options_override_the_config():
    cfg = load_config(CONFIG, work_dir='/tmp/wd', launcher='pytorch',
                      cfg_options={'train_cfg.max_iters': 7, 'optim_wrapper.optimizer.lr': 0.5})
    assert (cfg.work_dir, cfg.launcher) == ('/tmp/wd', 'pytorch')
    assert cfg.train_cfg.max_iters == 7
    assert cfg.optim_wrapper.optimizer.lr == 0.5


def test_amp_switches_the_optimizer_wrapper():
    cfg = load_config(CONFIG, amp=True)
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.loss_scale == 'dynamic'


@pytest.mark.parametrize('resume, expected_load_from', [('auto', None), ('a/iter_2.pth', 'a/iter_2.pth')])
def test_resume(resume, expected_load_from):
    cfg = load_config(CONFIG, resume=resume)
    assert cfg.resume is True
    assert cfg.load_from == expected_load_from


def test_auto_scale_lr_needs_a_base_batch_size():
    with pytest.raises(KeyError, match='auto_scale_lr.base_batch_size'):
        load_config(CONFIG, auto_scale_lr=True, cfg_options={'auto_scale_lr': {}})


def test_missing_config_is_named():
    with pytest.raises(FileNotFoundError, match='no/such/config.py'):
        load_config('no/such/config.py')


@pytest.mark.parametrize('flag', ['--local-rank', '--local_rank'])
def test_train_accepts_both_local_rank_spellings(flag):
    proc = subprocess.run([sys.executable, 'tools/train.py', '--help'], cwd=REPO_ROOT,
                          capture_output=True, text=True, check=True)
    assert flag in proc.stdout
