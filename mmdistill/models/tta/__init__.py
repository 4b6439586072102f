from .keypoint_rcnn_tta import KeypointRCNNTTAModel

__all__ = ['KeypointRCNNTTAModel']
