from .checkpoint_compat import MMENGINE_CHECKPOINT_GLOBALS, allow_mmengine_checkpoint_globals
from .loops import StreamResumeIterBasedTrainLoop
from .pseudo_label_hook import PseudoLabelHook

__all__ = [
    'MMENGINE_CHECKPOINT_GLOBALS', 'PseudoLabelHook', 'allow_mmengine_checkpoint_globals',
    'StreamResumeIterBasedTrainLoop'
]
