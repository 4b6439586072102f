"""An LR step schedule given as fractions of the training, so its steps follow the length."""
from typing import List, Sequence

from mmengine.optim.scheduler import MultiStepLR
from mmengine.optim.scheduler.param_scheduler import INF
from mmengine.registry import PARAM_SCHEDULERS


def fraction_milestones(begin: int, end: int, fractions: Sequence[float]) -> List[int]:
    """The steps at ``fractions`` of ``[begin, end)``, rounded down.

    ``fraction_milestones(0, 12800, [0.8]) == [10240]``.
    """
    if not 0 <= begin < end:
        raise ValueError(f'need 0 <= begin < end, got begin={begin}, end={end}')
    if not fractions or any(not 0 < f < 1 for f in fractions) or list(fractions) != sorted(
            set(fractions)):
        raise ValueError(f'fractions must rise strictly within (0, 1), got {list(fractions)}')
    return [begin + int((end - begin) * fraction) for fraction in fractions]


@PARAM_SCHEDULERS.register_module()
class FractionalMultiStepLR(MultiStepLR):
    """``MultiStepLR`` whose milestones are fractions of ``[begin, end)``.

    Leave ``end`` out of the config and mmengine's runner sets it to the train loop's
    ``max_iters`` (``max_epochs`` if ``by_epoch``), so whatever changes only the length — a child
    config or ``--cfg-options train_cfg.max_iters=N`` — moves the LR steps with it; with
    ``MultiStepLR`` they would silently stay where the parent put them.

    Args:
        optimizer: the wrapped optimizer.
        fractions: where the LR is multiplied by ``gamma``, e.g. ``[0.8]``.
        begin: first step of the schedule.
        end: step after the last; the runner's default is the training length.
        **kwargs: the rest of ``MultiStepLR``'s arguments (``gamma``, ``by_epoch``, ...).
    """

    def __init__(self, optimizer, fractions: Sequence[float], begin: int = 0, end: int = INF,
                 **kwargs) -> None:
        if end == INF:
            raise ValueError(
                'FractionalMultiStepLR needs the length of the training: give `end`, or build it '
                'through a Runner with a train loop (which sets `end` to max_iters/max_epochs)')
        super().__init__(
            optimizer,
            milestones=fraction_milestones(begin, end, fractions),
            begin=begin,
            end=end,
            **kwargs)

    @classmethod
    def build_iter_from_epoch(cls, *args, begin: int = 0, end: int = INF, by_epoch: bool = True,
                              epoch_length: int = None, **kwargs):
        """The iteration-based scheduler of an epoch-based config (``convert_to_iter_based``)."""
        if not by_epoch or not epoch_length or epoch_length <= 0:
            raise ValueError('convert_to_iter_based needs by_epoch=True and a positive '
                             f'epoch_length, got by_epoch={by_epoch}, '
                             f'epoch_length={epoch_length}')
        end = end if end == INF else end * epoch_length
        return cls(*args, begin=begin * epoch_length, end=end, by_epoch=False, **kwargs)
