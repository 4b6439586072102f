from .coco_keypoint_det import CocoKeypointDetDataset
from .samplers import RatioMultiSourceSampler
from .transforms import (KeypointRandomAffine, KeypointRandomFlip, KeypointResize,
                         LoadKeypointAnnotations, PackKeypointDetInputs)
from .unlabeled_images import UnlabeledImageDataset

__all__ = [
    'CocoKeypointDetDataset', 'KeypointRandomAffine', 'KeypointRandomFlip', 'KeypointResize',
    'LoadKeypointAnnotations', 'PackKeypointDetInputs', 'RatioMultiSourceSampler',
    'UnlabeledImageDataset'
]
