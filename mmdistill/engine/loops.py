"""An iteration-based train loop that resumes a stream sampler instead of replaying it."""
from typing import Optional

from mmengine.logging import print_log
from mmengine.registry import LOOPS
from mmengine.runner import IterBasedTrainLoop
from mmengine.runner.loops import _InfiniteDataloaderIterator


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
    """``IterBasedTrainLoop`` that resumes without loading the batches already trained.

    On resume at iteration k, mmengine's loop calls ``next`` on the dataloader k times, which loads
    and augments k batches (hours for a long detection schedule). When the sampler supports
    ``set_start_iter`` (e.g. :class:`RatioMultiSourceSampler`) we restart it at k instead; other
    samplers keep mmengine's behaviour. It also checks that such a sampler was configured with
    the dataloader's batch size, which its ratio arithmetic depends on.
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
        if self._iter > 0 and sampler is not None:
            sampler.set_start_iter(self._iter)
            self.dataloader_iterator = _SkipFirst(
                _InfiniteDataloaderIterator(self.dataloader), self._iter)
            print_log(f'the sampler restarts at iteration {self._iter}; '
                      'no batch is replayed', logger='current')
        return super().run()
