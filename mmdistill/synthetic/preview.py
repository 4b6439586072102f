"""Preview grid of a generated split, drawn with mmpose's ``PoseLocalVisualizer``.

Occluded keypoints (v=1) are drawn fainter than visible ones (v=2). The grid is saved as a
256-colour PNG: the images' pixel noise would make a true-colour PNG several times larger.
"""
import json
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Optional

import cv2
import numpy as np
from PIL import Image
from mmengine.structures import InstanceData
from mmpose.datasets.datasets.utils import parse_pose_metainfo
from mmpose.structures import PoseDataSample
from mmpose.visualization import PoseLocalVisualizer

from .generate import ANNOTATION_FILES

OCCLUDED_WEIGHT = 0.4


def pose_sample(annotations: List[Dict]) -> PoseDataSample:
    """A ``PoseDataSample`` holding the COCO ``annotations`` of one image as ground truth."""
    kpts = np.array([a['keypoints'] for a in annotations], np.float32).reshape(-1, 17, 3)
    boxes = np.array([a['bbox'] for a in annotations], np.float32).reshape(-1, 4)
    gt = InstanceData()
    gt.keypoints = kpts[..., :2]
    gt.keypoints_visible = (kpts[..., 2] > 0).astype(np.float32)
    gt.keypoint_scores = np.where(kpts[..., 2] == 2, 1.0, OCCLUDED_WEIGHT).astype(np.float32)
    gt.bboxes = np.concatenate([boxes[:, :2], boxes[:, :2] + boxes[:, 2:]], axis=1)
    sample = PoseDataSample()
    sample.gt_instances = gt
    return sample


def letterbox(image: np.ndarray, size: int) -> np.ndarray:
    """Fit ``image`` into a black ``size`` x ``size`` square, keeping its aspect ratio."""
    scale = size / max(image.shape[:2])
    resized = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    cell = np.zeros((size, size, 3), np.uint8)
    cell[:resized.shape[0], :resized.shape[1]] = resized
    return cell


def save_preview(data_root: str, split: str = 'val', num_images: int = 8, cols: int = 4,
                 cell: int = 224, out_file: Optional[str] = None) -> Path:
    """Draw the first ``num_images`` images of ``split`` with their keypoints into a grid.

    Returns the path written (``data_root/preview.png`` unless ``out_file`` is given).
    """
    root = Path(data_root)
    coco = json.loads((root / 'annotations' / ANNOTATION_FILES[split]).read_text())
    per_image = defaultdict(list)
    for ann in coco['annotations']:
        per_image[ann['image_id']].append(ann)
    visualizer = PoseLocalVisualizer(
        name='mmdistill_synthetic_preview', radius=2, line_width=1, show_keypoint_weight=True)
    visualizer.set_dataset_meta(
        parse_pose_metainfo(dict(from_file='configs/_base_/datasets/coco.py')))
    cells = []
    for info in coco['images'][:num_images]:
        image = cv2.imread(str(root / 'images' / info['file_name']))[..., ::-1]
        drawn = visualizer.add_datasample(
            info['file_name'], image, pose_sample(per_image[info['id']]), draw_pred=False,
            draw_bbox=True, kpt_thr=OCCLUDED_WEIGHT / 2)
        cells.append(letterbox(drawn[..., ::-1], cell))
    if not cells:
        raise ValueError(f'split {split!r} under {root} has no images to preview')
    cells += [np.zeros_like(cells[0])] * (-len(cells) % cols)
    rows = [np.concatenate(cells[i:i + cols], axis=1) for i in range(0, len(cells), cols)]
    grid = Image.fromarray(np.ascontiguousarray(np.concatenate(rows, axis=0)[..., ::-1]))
    path = Path(out_file) if out_file else root / 'preview.png'
    grid.quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                  dither=Image.Dither.NONE).save(path, optimize=True)
    return path
