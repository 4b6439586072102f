from .keypoint_rcnn_tta import KeypointRCNNTTAModel
from .person_box_tta import PersonBoxTTAModel
from .topdown_tta import TopdownPoseTTAModel
from .views import VIEW_META_KEYS, keypoint_rcnn_views

__all__ = [
    'KeypointRCNNTTAModel', 'PersonBoxTTAModel', 'TopdownPoseTTAModel', 'VIEW_META_KEYS',
    'keypoint_rcnn_views'
]
