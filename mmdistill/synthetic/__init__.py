"""Deterministic synthetic COCO person-keypoint data (see ``tools/make_synthetic.py``).

Pure numpy + OpenCV; importing this package does not import torch or mmpose
(``mmdistill.synthetic.preview`` does, for the mmpose visualiser).
"""
from .generate import (ANNOTATION_FILES, GENERATOR_VERSION, SPLITS, UNLABELED_IMAGES_FILE,
                       dataset_is_current, render_image, write_dataset)
from .knobs import PRESETS, Knobs, make_knobs
from .skeleton import FLIP_PAIRS, KEYPOINT_NAMES, SKELETON, Figure, person_category, sample_figure

__all__ = [
    'ANNOTATION_FILES', 'GENERATOR_VERSION', 'SPLITS', 'UNLABELED_IMAGES_FILE',
    'dataset_is_current', 'render_image', 'write_dataset', 'PRESETS', 'Knobs', 'make_knobs', 'FLIP_PAIRS', 'KEYPOINT_NAMES', 'SKELETON',
    'Figure', 'person_category', 'sample_figure'
]
