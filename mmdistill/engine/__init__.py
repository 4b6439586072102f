from .checkpoint_compat import MMENGINE_CHECKPOINT_GLOBALS, allow_mmengine_checkpoint_globals
from .loops import StreamResumeIterBasedTrainLoop
from .pseudo_label_hook import PseudoLabelHook
from .schedulers import FractionalMultiStepLR, fraction_milestones

__all__ = [
    'FractionalMultiStepLR', 'MMENGINE_CHECKPOINT_GLOBALS', 'PseudoLabelHook',
    'StreamResumeIterBasedTrainLoop', 'allow_mmengine_checkpoint_globals', 'fraction_milestones'
]
