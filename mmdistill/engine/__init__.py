from .checkpoint_compat import MMENGINE_CHECKPOINT_GLOBALS, allow_mmengine_checkpoint_globals
from .loops import StreamResumeIterBasedTrainLoop

__all__ = [
    'MMENGINE_CHECKPOINT_GLOBALS', 'allow_mmengine_checkpoint_globals',
    'StreamResumeIterBasedTrainLoop'
]
