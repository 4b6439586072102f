"""Resuming an iteration-based run continues the ratio sampler's stream exactly, without replay.

No seed is fixed anywhere: the resumed run must take the interrupted run's sampler seed from the
checkpoint.
"""
import shutil

import pytest
from mmengine.config import Config

from .batch_recorder import read_batches
from .conftest import REPO_ROOT, TOPDOWN_CONFIG, run_tool, tiny_topdown_options


def _mixed_source_config(data_root, path, record_dir=None):
    """The synthetic top-down config trained on labeled + unlabeled_gt at 6 : 4, no seed set;
    ``record_dir``: record every iteration's samples there."""
    cfg = Config.fromfile(REPO_ROOT / TOPDOWN_CONFIG)
    assert 'seed' not in cfg.get('randomness', {})
    source = dict(cfg.train_dataloader.dataset, data_root=f'{data_root}/')
    cfg.custom_imports = dict(imports=['mmdistill'], allow_failed_imports=False)
    cfg.train_cfg.type = 'StreamResumeIterBasedTrainLoop'
    cfg.train_dataloader.sampler = dict(type='RatioMultiSourceSampler', source_ratio=[6, 4],
                                        batch_size=4)
    cfg.train_dataloader.dataset = dict(type='ConcatDataset', datasets=[
        dict(source, ann_file='annotations/labeled.json'),
        dict(source, ann_file='annotations/unlabeled_gt.json')])
    if record_dir is not None:
        cfg.custom_imports.imports.append('tests.batch_recorder')
        cfg.custom_hooks = [dict(type='RecordBatches', out_dir=str(record_dir))]
    cfg.dump(path)
    return str(path)


def _options(data_root, max_iters):
    """The tiny run's options, keeping every checkpoint (the config keeps only the latest)."""
    return [o for o in tiny_topdown_options(data_root, max_iters=max_iters)
            if not o.startswith('train_dataloader.dataset.')
            ] + ['default_hooks.checkpoint.max_keep_ckpts=-1']


@pytest.mark.slow
def test_resumed_run_continues_the_stream_of_the_interrupted_one(tiny_synthetic, tmp_path):
    env = dict(PYTHONPATH=str(REPO_ROOT))
    options = _options(tiny_synthetic, max_iters=4)  # checkpoints at iterations 2 and 4
    whole = tmp_path / 'whole'
    run_tool(['tools/train.py', _mixed_source_config(tiny_synthetic, tmp_path / 'a.py', whole),
              '--work-dir', str(whole), '--cfg-options', *options], env=env)
    # "interrupted" after iteration 2: a new process resumes from that checkpoint
    resumed = tmp_path / 'resumed'
    resumed.mkdir()
    shutil.copy(whole / 'iter_2.pth', resumed)
    proc = run_tool(['tools/train.py', _mixed_source_config(tiny_synthetic, tmp_path / 'b.py',
                                                            resumed),
                     '--work-dir', str(resumed), '--resume', str(resumed / 'iter_2.pth'),
                     '--cfg-options', *options], env=env)
    assert 'the sampler restarts at iteration 2' in proc.output
    assert 'no batch is replayed' in proc.output
    expected, got = read_batches(whole), read_batches(resumed)
    assert sorted(expected) == [0, 1, 2, 3] and sorted(got) == [2, 3]
    assert got == {it: expected[it] for it in (2, 3)}


@pytest.mark.slow
def test_sampler_batch_size_must_match_the_dataloader(tiny_synthetic, tmp_path):
    config = _mixed_source_config(tiny_synthetic, tmp_path / 'mixed.py')
    options = _options(tiny_synthetic, max_iters=2)
    options[options.index('train_dataloader.batch_size=4')] = 'train_dataloader.batch_size=2'
    with pytest.raises(AssertionError, match=r'sampler.batch_size \(4\) must equal'):
        run_tool(['tools/train.py', config, '--work-dir', str(tmp_path), '--cfg-options',
                  *options])
