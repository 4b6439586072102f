"""Iteration schedules as config overrides, so one config can be run at several lengths."""
from typing import Dict, Sequence


def iter_schedule(max_iters: int,
                  steps: Sequence[float] = (0.8, ),
                  warmup_iters: int = 100,
                  gamma: float = 0.1) -> Dict:
    """Overrides (for ``Config.merge_from_dict``) that train ``max_iters`` iterations.

    Whatever LR schedule the config has, this one replaces it: linear warm-up over
    ``warmup_iters``, LR times ``gamma`` at each fraction in ``steps`` of the training
    (``FractionalMultiStepLR``), one validation at the end. The config's checkpoint interval
    stays, so an interrupted run resumes mid-way (mmengine's ``save_last`` still writes
    ``iter_{max_iters}.pth``).
    """
    if max_iters <= warmup_iters:
        raise ValueError(f'max_iters ({max_iters}) must exceed warmup_iters ({warmup_iters})')
    return {
        'max_iters': max_iters,
        'train_cfg.max_iters': max_iters,
        'train_cfg.val_interval': max_iters,
        'param_scheduler': [
            dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=warmup_iters),
            dict(type='FractionalMultiStepLR', fractions=list(steps), by_epoch=False,
                 gamma=gamma),
        ],
    }
