"""Two-process distributed training on CPU (gloo) through tools/dist_train.sh."""
import pytest

from .conftest import TOPDOWN_CONFIG, free_port, run_tool, tiny_topdown_options


@pytest.mark.slow
def test_dist_train_two_processes_on_cpu(tiny_synthetic, tmp_path):
    proc = run_tool(['tools/dist_train.sh', TOPDOWN_CONFIG, '2', '--work-dir', str(tmp_path),
                     '--cfg-options', *tiny_topdown_options(tiny_synthetic, max_iters=2)],
                    env=dict(PORT=str(free_port())))
    assert 'rank 0/2 uses the gloo backend on CPU' in proc.output
    assert 'Distributed training: True' in proc.output
    # mmengine reports the world size as "GPU number"
    assert 'GPU number: 2' in proc.output
    assert 'Iter(train) [2/2]' in proc.output
    assert (tmp_path / 'iter_2.pth').is_file()
