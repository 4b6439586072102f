from .coco_keypoint_metric import CocoKeypointMetric

__all__ = ['CocoKeypointMetric']
