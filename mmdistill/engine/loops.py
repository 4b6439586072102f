"""An iteration-based train loop that resumes a stream sampler instead of replaying it."""
import logging
from typing import Optional

from mmengine.logging import print_log
from mmengine.registry import LOOPS
from mmengine.runner import IterBasedTrainLoop
from mmengine.runner.loops import _InfiniteDataloaderIterator

SAMPLER_SEED_KEY = 'stream_sampler_seed'  # message hub runtime info, saved in checkpoints


class _SkipFirst:
    """Iterator that answers the first ``count`` ``next`` calls with None, then delegates."""

    def __init__(self, iterator, count: int) -> None:
        self.iterator = iterator
        self.count = count

    def __iter__(self):
        return self

    def __next__(self):
        if self.count > 0:
            self.count -= 1
            return None
        return next(self.iterator)


def _stream_sampler(dataloader) -> Optional[object]:
    """The dataloader's sampler if it can start at an iteration (``set_start_iter``)."""
    for sampler in (getattr(dataloader, 'sampler', None),
                    getattr(getattr(dataloader, 'batch_sampler', None), 'sampler', None)):
        if hasattr(sampler, 'set_start_iter'):
            return sampler
    return None


@LOOPS.register_module()
class StreamResumeIterBasedTrainLoop(IterBasedTrainLoop):
    """``IterBasedTrainLoop`` that resumes the sampler's stream exactly, without loading the
    batches already trained.

    On resume at iteration k, mmengine's loop calls ``next`` on the dataloader k times, which loads
    and augments k batches (hours for a long detection schedule). When the sampler supports
    ``set_start_iter`` (e.g. :class:`RatioMultiSourceSampler`) we restart it at k instead; other
    samplers keep mmengine's behaviour.

    The sampler's seed is kept in the checkpoint (the message hub's runtime info, which mmengine
    saves and resumes) and given back to the sampler on resume: the runner builds the sampler
    before it resumes, with the runner's seed, which is a new random one when the config sets
    no ``randomness.seed``, so the resumed stream would otherwise be another permutation.

    It also checks that such a sampler was configured with the dataloader's batch size, which
    its ratio arithmetic depends on.
    """

    def __init__(self, runner, dataloader, *args, **kwargs) -> None:
        super().__init__(runner, dataloader, *args, **kwargs)
        sampler = _stream_sampler(self.dataloader)
        batch_size = self.dataloader.batch_size
        if sampler is not None and batch_size is not None and sampler.batch_size != batch_size:
            raise ValueError(
                f'train_dataloader.sampler.batch_size ({sampler.batch_size}) must equal '
                f'train_dataloader.batch_size ({batch_size})')

    def run(self):
        sampler = _stream_sampler(self.dataloader)
        if sampler is not None:
            message_hub = self.runner.message_hub
            if self._iter > 0:
                self._resume_stream(sampler, message_hub.get_info(SAMPLER_SEED_KEY))
            message_hub.update_info(SAMPLER_SEED_KEY, sampler.seed, resumed=True)
        return super().run()

    def _resume_stream(self, sampler, seed: Optional[int]) -> None:
        """Continue ``sampler``'s stream of seed ``seed`` (None: unknown) at ``self._iter``."""
        if seed is None:
            print_log('the checkpoint holds no sampler seed (made by an older mmdistill?): '
                      f'the stream resumes with seed {sampler.seed}, maybe another one',
                      logger='current', level=logging.WARNING)
        else:
            sampler.seed = seed
        sampler.set_start_iter(self._iter)
        self.dataloader_iterator = _SkipFirst(
            _InfiniteDataloaderIterator(self.dataloader), self._iter)
        print_log(f'the sampler restarts at iteration {self._iter} with seed {sampler.seed}; '
                  'no batch is replayed', logger='current')
