from .roi_heads import KeypointRCNNHead, KeypointRoIHead

__all__ = ['KeypointRCNNHead', 'KeypointRoIHead']
