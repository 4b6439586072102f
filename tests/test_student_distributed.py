"""The synthetic student recipe trains with two CPU processes and the ratio sampler."""
import pytest
from mmengine.config import Config

from mmdistill.utils.config_paths import retarget_data_root
from .conftest import REPO_ROOT, free_port, run_tool


@pytest.mark.slow
def test_dist_train_student_recipe_two_processes(tiny_synthetic, tmp_path):
    # the oracle is the student recipe with ground truth as second source: no teacher needed
    cfg = Config.fromfile(REPO_ROOT / 'configs' / 'synthetic' / 'oracle.py')
    cfg = Config(retarget_data_root(cfg.to_dict(), cfg.data_root, f'{tiny_synthetic}/'))
    cfg.merge_from_dict({
        'load_from': None, 'train_cfg.max_iters': 2, 'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False, 'val_dataloader.num_workers': 0,
        'val_dataloader.persistent_workers': False, 'test_dataloader.num_workers': 0,
        'test_dataloader.persistent_workers': False, 'train_dataloader.batch_size': 2,
        'train_dataloader.sampler.batch_size': 2, 'default_hooks.logger.interval': 1})
    config = tmp_path / 'student_recipe.py'
    cfg.dump(config)
    proc = run_tool(['tools/dist_train.sh', str(config), '2', '--work-dir', str(tmp_path)],
                    env=dict(PORT=str(free_port())))
    assert 'rank 0/2 uses the gloo backend on CPU' in proc.output
    assert 'RatioMultiSourceSampler' in proc.output
    assert 'Iter(train) [2/2]' in proc.output
    assert (tmp_path / 'iter_2.pth').is_file()
