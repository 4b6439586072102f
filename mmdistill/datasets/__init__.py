from .coco_keypoint_det import CocoKeypointDetDataset
from .transforms import (KeypointRandomFlip, KeypointResize, LoadKeypointAnnotations,
                         PackKeypointDetInputs)

__all__ = [
    'CocoKeypointDetDataset', 'KeypointRandomFlip', 'KeypointResize', 'LoadKeypointAnnotations',
    'PackKeypointDetInputs'
]
