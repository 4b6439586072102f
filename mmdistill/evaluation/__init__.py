from .coco_keypoint_metric import CocoKeypointMetric
from .person_box_file import PersonBoxFileMetric

__all__ = ['CocoKeypointMetric', 'PersonBoxFileMetric']
