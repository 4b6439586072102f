from .keypoint_head import KeypointRCNNHead
from .keypoint_roi_head import KeypointRoIHead

__all__ = ['KeypointRCNNHead', 'KeypointRoIHead']
