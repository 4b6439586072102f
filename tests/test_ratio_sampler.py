"""RatioMultiSourceSampler: exact global ratio, disjoint ranks, determinism, resume."""
import logging

import numpy as np
import pytest
from mmengine.dataset import ConcatDataset

from mmdistill.datasets.samplers import ratio_sampler
from mmdistill.datasets.samplers import (RatioMultiSourceSampler, global_batch_indices,
                                         images_drawn_before, source_quota_table)


class _Sized:
    """A minimal source: only its length matters to the sampler."""

    def __init__(self, size: int) -> None:
        self.size = size

    def __len__(self) -> int:
        return self.size


def _concat(*sizes: int):
    concat = ConcatDataset.__new__(ConcatDataset)  # the sampler only reads .datasets
    concat.datasets = [_Sized(size) for size in sizes]
    return concat


def _samplers(monkeypatch, world_size: int, batch_size: int, sizes=(300, 500), seed=0, **kw):
    samplers = []
    for rank in range(world_size):
        monkeypatch.setattr(ratio_sampler, 'get_dist_info', lambda r=rank: (r, world_size))
        samplers.append(RatioMultiSourceSampler(_concat(*sizes), batch_size, [6, 4], seed=seed,
                                                **kw))
    return samplers


def _take(sampler, iterations: int) -> np.ndarray:
    stream = iter(sampler)
    return np.array([[next(stream) for _ in range(sampler.batch_size)]
                     for _ in range(iterations)])


@pytest.mark.parametrize('world_size', [1, 2, 8])
@pytest.mark.parametrize('batch_size', [1, 2, 16])
def test_pseudo_share_disjoint_ranks_over_1000_iterations(monkeypatch, world_size, batch_size):
    samplers = _samplers(monkeypatch, world_size, batch_size)
    per_rank = [_take(sampler, 1000) for sampler in samplers]
    batches = np.concatenate(per_rank, axis=1)  # (iterations, global batch)
    pseudo_share = (batches >= 300).mean()
    assert abs(pseudo_share - 0.4) <= 0.005
    for batch in batches:  # no index twice in one global batch, so ranks are disjoint
        assert len(set(batch.tolist())) == len(batch)


@pytest.mark.parametrize('ratio, batch', [([6, 4], 1), ([6, 4], 2), ([6, 4], 16), ([1, 1, 1], 2),
                                          ([5, 1, 3], 4), ([1, 0], 3), ([7, 2, 1], 16)])
def test_cumulative_counts_stay_within_one_image_of_target(ratio, batch):
    table = source_quota_table(ratio, batch)
    assert (table.sum(axis=1) == batch).all() and (table >= 0).all()
    ratio = np.asarray(ratio)
    for iteration in range(1, 200):
        target = iteration * batch * ratio / ratio.sum()
        assert np.abs(images_drawn_before(table, iteration) - target).max() < 1


def test_paper_setting_two_images_per_gpu_on_eight_gpus():
    table = source_quota_table([6, 4], 16)
    # 16 images per iteration: 9.6 labeled and 6.4 pseudo on average, realised exactly
    assert len(table) == 5 and table.sum(axis=0).tolist() == [48, 32]


def test_same_seed_same_order_other_seed_other_order(monkeypatch):
    first = _take(_samplers(monkeypatch, 1, 4, seed=3)[0], 50)
    again = _take(_samplers(monkeypatch, 1, 4, seed=3)[0], 50)
    other = _take(_samplers(monkeypatch, 1, 4, seed=4)[0], 50)
    assert (first == again).all()
    assert not (first == other).all()


def test_resume_at_iteration_k_continues_the_same_stream(monkeypatch):
    sampler = _samplers(monkeypatch, 2, 2)[1]
    full = _take(sampler, 120)
    resumed = _samplers(monkeypatch, 2, 2)[1]
    resumed.set_start_iter(77)
    assert (_take(resumed, 43) == full[77:]).all()


def test_every_sample_of_a_source_is_seen_once_per_pass():
    table = source_quota_table([6, 4], 16)
    sizes = [60, 40]
    labeled = [i for it in range(200) for i in global_batch_indices(it, table, sizes, seed=1)[0]
               if i < 60]
    # 9.6 labeled per iteration: each run of 60 draws is a permutation of the source
    for start in range(0, len(labeled) - 60, 60):
        assert sorted(labeled[start:start + 60]) == list(range(60))


def test_epoch_mode_has_a_length_and_continues_with_set_epoch(monkeypatch):
    sampler = _samplers(monkeypatch, 1, 3, sizes=(30, 20), infinite=False)[0]
    assert sampler.epoch_length == 17  # ceil(30 / (3 * 0.6))
    epoch0 = list(sampler)
    assert len(epoch0) == len(sampler) == 17 * 3
    sampler.set_epoch(1)
    epoch1 = list(sampler)
    infinite = _samplers(monkeypatch, 1, 3, sizes=(30, 20))[0]
    assert epoch0 + epoch1 == _take(infinite, 34).ravel().tolist()


def test_works_under_aspect_ratio_grouping(monkeypatch):
    from mmdet.datasets.samplers import AspectRatioBatchSampler

    class _Shaped:
        def __init__(self, size, offset):
            self.size, self.offset = size, offset

        def __len__(self):
            return self.size

        def get_data_info(self, idx):  # alternate portrait / landscape images
            return dict(width=100, height=50 if (idx + self.offset) % 2 else 150)

    concat = _concat(300, 500)
    concat.datasets = [_Shaped(300, 0), _Shaped(500, 1)]
    concat.cumulative_sizes = [300, 800]
    concat.get_data_info = lambda i: (concat.datasets[0].get_data_info(i) if i < 300 else
                                      concat.datasets[1].get_data_info(i - 300))
    monkeypatch.setattr(ratio_sampler, 'get_dist_info', lambda: (0, 1))
    sampler = RatioMultiSourceSampler(concat, 2, [6, 4], seed=0)
    batches = AspectRatioBatchSampler(sampler, batch_size=2)
    stream = iter(batches)
    drawn = np.array([next(stream) for _ in range(1000)])
    assert abs((drawn >= 300).mean() - 0.4) <= 0.01


def test_bad_configuration_is_named():
    with pytest.raises(ValueError, match='source_ratio has 3 entries for 2 sources'):
        RatioMultiSourceSampler(_concat(5, 5), 2, [1, 1, 1], seed=0)
    with pytest.raises(ValueError, match='sources \\[1\\] are empty'):
        RatioMultiSourceSampler(_concat(5, 0), 2, [6, 4], seed=0)
    with pytest.raises(TypeError, match='needs a ConcatDataset'):
        RatioMultiSourceSampler(_Sized(5), 2, [6, 4], seed=0)


def test_a_source_smaller_than_its_share_is_warned_about(monkeypatch):
    warnings = []
    monkeypatch.setattr(ratio_sampler, 'print_log',
                        lambda msg, logger=None, level=None: warnings.append((msg, level)))
    RatioMultiSourceSampler(_concat(300, 500), 10, [6, 4], seed=0)
    assert warnings == []
    RatioMultiSourceSampler(_concat(300, 3), 10, [6, 4], seed=0)  # 4 pseudo per batch, 3 held
    [(message, level)] = warnings
    assert 'sources [1] hold fewer samples' in message and level == logging.WARNING


def test_the_small_source_warning_reaches_the_log():
    RatioMultiSourceSampler(_concat(300, 3), 10, [6, 4], seed=0)  # raised TypeError on a str level
