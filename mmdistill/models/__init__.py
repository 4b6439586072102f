from .roi_heads import KeypointRCNNHead, KeypointRoIHead
from .tta import KeypointRCNNTTAModel

__all__ = ['KeypointRCNNHead', 'KeypointRoIHead', 'KeypointRCNNTTAModel']
