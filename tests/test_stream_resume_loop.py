"""Resuming an iteration-based run restarts the ratio sampler instead of replaying batches."""
import pytest
from mmengine.config import Config

from .conftest import REPO_ROOT, TOPDOWN_CONFIG, run_tool, tiny_topdown_options


def _mixed_source_config(data_root, path):
    """The synthetic top-down config trained on labeled + unlabeled_gt at 6 : 4."""
    cfg = Config.fromfile(REPO_ROOT / TOPDOWN_CONFIG)
    source = dict(cfg.train_dataloader.dataset, data_root=f'{data_root}/')
    cfg.custom_imports = dict(imports=['mmdistill'], allow_failed_imports=False)
    cfg.train_cfg.type = 'StreamResumeIterBasedTrainLoop'
    cfg.train_dataloader.sampler = dict(type='RatioMultiSourceSampler', source_ratio=[6, 4],
                                        batch_size=4, seed=0)
    cfg.train_dataloader.dataset = dict(type='ConcatDataset', datasets=[
        dict(source, ann_file='annotations/labeled.json'),
        dict(source, ann_file='annotations/unlabeled_gt.json')])
    cfg.dump(path)
    return path


@pytest.mark.slow
def test_resume_restarts_the_sampler_without_replaying(tiny_synthetic, tmp_path):
    config = str(_mixed_source_config(tiny_synthetic, tmp_path / 'mixed.py'))
    options = [o for o in tiny_topdown_options(tiny_synthetic, max_iters=2)
               if not o.startswith('train_dataloader.dataset.')]
    work_dir = str(tmp_path / 'work')
    run_tool(['tools/train.py', config, '--work-dir', work_dir, '--cfg-options', *options])
    options[0] = 'train_cfg.max_iters=4'
    proc = run_tool(['tools/train.py', config, '--work-dir', work_dir, '--resume',
                     '--cfg-options', *options])
    assert 'the sampler restarts at iteration 2; no batch is replayed' in proc.output
    assert 'Iter(train) [3/4]' in proc.output and 'Iter(train) [4/4]' in proc.output


@pytest.mark.slow
def test_sampler_batch_size_must_match_the_dataloader(tiny_synthetic, tmp_path):
    config = str(_mixed_source_config(tiny_synthetic, tmp_path / 'mixed.py'))
    options = [o for o in tiny_topdown_options(tiny_synthetic, max_iters=2)
               if not o.startswith('train_dataloader.dataset.')]
    options[options.index('train_dataloader.batch_size=4')] = 'train_dataloader.batch_size=2'
    with pytest.raises(AssertionError, match=r'sampler.batch_size \(4\) must equal'):
        run_tool(['tools/train.py', config, '--work-dir', str(tmp_path), '--cfg-options',
                  *options])
