"""The synthetic student recipe trains with two CPU processes: what each rank's real data loader
gives holds the 6 : 4 ratio over the global batch, and the ranks never share a sample."""
import numpy as np
import pytest
from mmengine.config import Config

from mmdistill.datasets.samplers.ratio_sampler import source_quota_table
from mmdistill.utils.config_paths import retarget_data_root
from .batch_recorder import read_batches
from .conftest import REPO_ROOT, free_port, run_tool

MAX_ITERS = 5  # one period of [6, 4] over a global batch of 4: 12 labeled, 8 pseudo-labeled


@pytest.fixture(scope='module')
def synthetic_10_6(tmp_path_factory):
    """10 labeled and 6 unlabeled images: each source holds at least 3 times its largest share
    of a global batch, so no iteration draws a sample twice, also across a pass over it."""
    root = tmp_path_factory.mktemp('synthetic_10_6')
    run_tool(['tools/make_synthetic.py', '--out', str(root), '--num-labeled', '10',
              '--num-unlabeled', '6', '--num-val', '1'])
    return root


@pytest.mark.slow
def test_dist_train_student_recipe_two_processes(synthetic_10_6, tmp_path):
    # the oracle is the student recipe with ground truth as second source: no teacher needed
    cfg = Config.fromfile(REPO_ROOT / 'configs' / 'synthetic' / 'oracle.py')
    cfg = Config(retarget_data_root(cfg.to_dict(), cfg.data_root, f'{synthetic_10_6}/'))
    record_dir = tmp_path / 'batches'
    cfg.merge_from_dict({
        'load_from': None, 'train_cfg.max_iters': MAX_ITERS, 'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False, 'val_dataloader.num_workers': 0,
        'val_dataloader.persistent_workers': False, 'test_dataloader.num_workers': 0,
        'test_dataloader.persistent_workers': False, 'train_dataloader.batch_size': 2,
        'train_dataloader.sampler.batch_size': 2, 'default_hooks.logger.interval': 1,
        'custom_imports.imports': ['mmdistill', 'tests.batch_recorder'],
        'custom_hooks': [dict(type='RecordBatches', out_dir=str(record_dir))]})
    config = tmp_path / 'student_recipe.py'
    cfg.dump(config)
    proc = run_tool(['tools/dist_train.sh', str(config), '2', '--work-dir', str(tmp_path)],
                    env=dict(PORT=str(free_port()), PYTHONPATH=str(REPO_ROOT)))
    assert 'rank 0/2 uses the gloo backend on CPU' in proc.output
    assert (tmp_path / f'iter_{MAX_ITERS}.pth').is_file()

    ranks = [read_batches(record_dir, rank) for rank in (0, 1)]
    assert [sorted(batches) for batches in ranks] == [list(range(MAX_ITERS))] * 2
    labeled = []
    for it in range(MAX_ITERS):
        global_batch = ranks[0][it] + ranks[1][it]
        assert [len(batches[it]) for batches in ranks] == [2, 2]
        assert len(set(global_batch)) == 4, f'a sample twice in iteration {it}: {global_batch}'
        labeled.append(sum('/labeled/' in path for path, _ in global_batch))
        assert all('/labeled/' in path or '/unlabeled/' in path for path, _ in global_batch)
    # labeled images per iteration: the exact apportionment of 6 : 4 over 4 images
    assert labeled == source_quota_table([6, 4], 4)[:, 0].tolist()
    assert sum(labeled) == 12  # and 8 pseudo-labeled: 60 %, the paper's ratio
    cumulative = np.cumsum(labeled)
    assert (np.abs(cumulative - 0.6 * 4 * np.arange(1, MAX_ITERS + 1)) < 1).all()
