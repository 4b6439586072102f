from .keypoint_rcnn_tta import KeypointRCNNTTAModel
from .views import VIEW_META_KEYS, keypoint_rcnn_views

__all__ = ['KeypointRCNNTTAModel', 'VIEW_META_KEYS', 'keypoint_rcnn_views']
