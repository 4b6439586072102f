from .coco_keypoint_det import CocoKeypointDetDataset
from .samplers import RatioMultiSourceSampler
from .transforms import (KeypointRandomFlip, KeypointResize, LoadKeypointAnnotations,
                         PackKeypointDetInputs)

__all__ = [
    'CocoKeypointDetDataset', 'KeypointRandomFlip', 'KeypointResize', 'LoadKeypointAnnotations',
    'PackKeypointDetInputs', 'RatioMultiSourceSampler'
]
