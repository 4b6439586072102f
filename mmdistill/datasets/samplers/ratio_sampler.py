"""A sampler that mixes several sources at a fixed ratio over the *global* batch.

mmdet's ``MultiSourceSampler`` rounds the ratio inside each GPU's batch: with ``source_ratio=[6, 4]``
a batch of 4 holds 25 % pseudo-labeled images instead of 40 %, and with 2 images per GPU (the
paper's setting) a quota rounds to zero and the sampler never returns. Here the ratio is realised
over the global batch (``world_size * batch_size`` images per iteration) by exact integer
apportionment, so the cumulative number of images of every source stays within one image of its
target at every iteration. The pure functions below hold the arithmetic; the sampler class is glue.
"""
import logging
import math
from functools import lru_cache
from typing import Iterator, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.dataset import ConcatDataset
from mmengine.dist import get_dist_info, sync_random_seed
from mmengine.logging import print_log
from mmengine.registry import DATA_SAMPLERS
from torch.utils.data import Sampler


def quota_period(source_ratio: Sequence[int], global_batch: int) -> int:
    """Number of iterations after which the per-iteration source counts repeat exactly."""
    total = sum(source_ratio)
    return total // math.gcd(total, global_batch)


def source_quota_table(source_ratio: Sequence[int], global_batch: int) -> np.ndarray:
    """Images of each source in each iteration of one period, shape ``(period, num_sources)``.

    Each slot of an iteration goes to the source furthest behind its target share; after
    ``period`` iterations every source has received exactly ``period * global_batch * r / sum(r)``
    images, and at no iteration is a source more than one image away from its target.
    """
    ratio = np.asarray(source_ratio, dtype=np.int64)
    if ratio.ndim != 1 or len(ratio) == 0 or (ratio < 0).any() or ratio.sum() == 0:
        raise ValueError(f'source_ratio must be non-negative integers, not all 0: {source_ratio}')
    if global_batch < 1:
        raise ValueError(f'global batch size must be >= 1, got {global_batch}')
    total = int(ratio.sum())
    period = quota_period(source_ratio, global_batch)
    table = np.zeros((period, len(ratio)), dtype=np.int64)
    received = np.zeros(len(ratio), dtype=np.int64)
    for it in range(period):
        for _ in range(global_batch):
            # deficits scaled by `total` keep the arithmetic in integers
            deficit = (it + 1) * global_batch * ratio - total * received
            source = int(np.argmax(deficit))  # ties go to the lower source index
            received[source] += 1
            table[it, source] += 1
    assert (received * total == period * global_batch * ratio).all()
    return table


def images_drawn_before(table: np.ndarray, iteration: int) -> np.ndarray:
    """Cumulative images taken from each source in iterations ``0 .. iteration - 1``."""
    full_periods, rest = divmod(iteration, len(table))
    return full_periods * table.sum(axis=0) + table[:rest].sum(axis=0)


def spread_order(counts: Sequence[int]) -> np.ndarray:
    """Source id of each slot of a batch, with every source spread evenly over the batch."""
    keys, sources = [], []
    for source, count in enumerate(counts):
        keys.extend((np.arange(count) + 0.5) / count)
        sources.extend([source] * count)
    return np.asarray(sources, dtype=np.int64)[np.argsort(keys, kind='stable')]


def epoch_permutation(size: int, epoch: int, seed: int, source: int, shuffle: bool,
                      window: int) -> np.ndarray:
    """The order in which one source's samples are drawn in ``epoch`` of its endless stream.

    An iteration may take the last samples of one epoch and the first of the next; the first
    ``window`` entries of an epoch therefore avoid the previous epoch's last ``window`` entries
    (swapped with entries from the middle), so that one global batch never repeats a sample.
    That needs ``size >= 3 * window``; smaller sources are left as they are.
    """
    order = _raw_permutation(size, epoch, seed, source, shuffle)
    if epoch == 0 or size < 3 * window:
        return order
    previous_tail = set(_raw_permutation(size, epoch - 1, seed, source, shuffle)[-window:].tolist())
    order = order.copy()
    candidates = (j for j in range(window, size - window) if order[j] not in previous_tail)
    for i in range(window):
        if order[i] in previous_tail:
            j = next(candidates)
            order[i], order[j] = order[j], order[i]
    return order


def _raw_permutation(size: int, epoch: int, seed: int, source: int, shuffle: bool) -> np.ndarray:
    if not shuffle:
        return np.arange(size)
    return np.random.default_rng([seed, source, epoch]).permutation(size)


def global_batch_indices(iteration: int, table: np.ndarray, sizes: Sequence[int],
                         seed: int, shuffle: bool = True) -> Tuple[np.ndarray, np.ndarray]:
    """Dataset indices of the whole global batch of ``iteration`` and the source of each slot.

    Indices are into the concatenation of the sources (source ``s`` starts at
    ``sum(sizes[:s])``). Rank ``r`` of a world with per-GPU batch ``b`` takes slots
    ``[r * b, (r + 1) * b)``.
    """
    counts = table[iteration % len(table)]
    starts = images_drawn_before(table, iteration)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    window = int(table.max())
    per_source = []
    for source, (count, start) in enumerate(zip(counts, starts)):
        positions = np.arange(start, start + count)
        drawn = [
            _cached_permutation(sizes[source], int(epoch), seed, source, shuffle, window)[pos]
            for epoch, pos in zip(positions // sizes[source], positions % sizes[source])
        ]
        per_source.append(iter(np.asarray(drawn, dtype=np.int64) + offsets[source]))
    slot_sources = spread_order(counts)
    indices = np.array([next(per_source[s]) for s in slot_sources], dtype=np.int64)
    return indices, slot_sources


@lru_cache(maxsize=16)
def _cached_permutation(size: int, epoch: int, seed: int, source: int, shuffle: bool,
                        window: int) -> np.ndarray:
    return epoch_permutation(size, epoch, seed, source, shuffle, window)


@DATA_SAMPLERS.register_module()
class RatioMultiSourceSampler(Sampler):
    """Mix the sources of a ``ConcatDataset`` (mmengine's, or mmpose's ``CombinedDataset``) at
    ``source_ratio`` over the global batch.

    Every iteration draws ``world_size * batch_size`` images; each rank yields its own slice, so
    ranks never share a sample within an iteration. Order is deterministic given ``seed``.

    Args:
        dataset: An mmengine ``ConcatDataset``; its datasets are the sources, in order.
        batch_size: Images per GPU (the dataloader's ``batch_size``).
        source_ratio: Integer weights per source, e.g. ``[6, 4]`` for labeled : pseudo.
        shuffle: Shuffle each source (a new permutation per pass over it).
        seed: Random seed; synchronised across ranks when None. The runner passes its own
            (random unless ``randomness.seed`` is set); ``StreamResumeIterBasedTrainLoop`` keeps
            it in the checkpoint, so a resumed run continues the same stream.
        infinite: Yield forever (``IterBasedTrainLoop``, the paper's setting). When False, one
            epoch is ``epoch_length`` iterations and ``set_epoch`` continues the stream, for
            ``EpochBasedTrainLoop``.
        epoch_length: Iterations per epoch; defaults to one pass over the first source.
    """

    def __init__(self,
                 dataset: ConcatDataset,
                 batch_size: int,
                 source_ratio: List[int],
                 shuffle: bool = True,
                 seed: Optional[int] = None,
                 infinite: bool = True,
                 epoch_length: Optional[int] = None) -> None:
        if not hasattr(dataset, 'datasets'):
            raise TypeError(f'RatioMultiSourceSampler needs a ConcatDataset of the sources, '
                            f'got {type(dataset).__name__}')
        self.dataset = dataset  # read by mmdet's AspectRatioBatchSampler
        self.sizes = [len(source) for source in dataset.datasets]
        if len(source_ratio) != len(self.sizes):
            raise ValueError(f'source_ratio has {len(source_ratio)} entries for '
                             f'{len(self.sizes)} sources')
        empty = [i for i, (size, r) in enumerate(zip(self.sizes, source_ratio)) if r and not size]
        if empty:
            raise ValueError(f'sources {empty} are empty but have a non-zero source_ratio')
        self.rank, self.world_size = get_dist_info()
        self.batch_size = batch_size
        self.source_ratio = list(source_ratio)
        self.shuffle = shuffle
        self.seed = sync_random_seed() if seed is None else seed
        self.infinite = infinite
        self.table = source_quota_table(source_ratio, self.world_size * batch_size)
        if epoch_length is None:
            per_iter = self.world_size * batch_size * source_ratio[0] / sum(source_ratio)
            epoch_length = math.ceil(self.sizes[0] / per_iter) if per_iter else 1
        self.epoch_length = epoch_length
        self.start_iter = 0
        small = [i for i, size in enumerate(self.sizes) if 0 < size < self.table[:, i].max()]
        if small:
            print_log(f'sources {small} hold fewer samples than their share of one global batch: '
                      'their samples repeat within an iteration', logger='current',
                      level=logging.WARNING)

    def __iter__(self) -> Iterator[int]:
        iteration = self.start_iter
        stop = None if self.infinite else self.start_iter + self.epoch_length
        lo, hi = self.rank * self.batch_size, (self.rank + 1) * self.batch_size
        while stop is None or iteration < stop:
            indices, _ = global_batch_indices(iteration, self.table, self.sizes, self.seed,
                                              self.shuffle)
            yield from indices[lo:hi].tolist()
            iteration += 1

    def __len__(self) -> int:
        return self.epoch_length * self.batch_size

    def set_epoch(self, epoch: int) -> None:
        """Continue the stream at the first iteration of ``epoch`` (finite mode)."""
        if not self.infinite:
            self.start_iter = epoch * self.epoch_length

    def set_start_iter(self, iteration: int) -> None:
        """Start the stream at ``iteration`` (used when resuming an iteration-based run)."""
        self.start_iter = iteration
