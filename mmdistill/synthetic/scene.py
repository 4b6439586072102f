"""Scene layout and COCO annotation of the synthetic figures (pure numpy, no drawing)."""
from typing import Dict, List, Sequence

import numpy as np

from .knobs import Knobs
from .skeleton import FACE_KEYPOINTS, FACINGS, Figure, sample_figure

MAX_LAYOUT_TRIES = 20
MAX_OVERLAP_IOU = 0.3


def box_iou(a: np.ndarray, b: np.ndarray) -> float:
    """IoU of two ``[x0, y0, x1, y1]`` boxes."""
    inter = np.clip(np.minimum(a[2:], b[2:]) - np.maximum(a[:2], b[:2]), 0, None).prod()
    union = (a[2:] - a[:2]).prod() + (b[2:] - b[:2]).prod() - inter
    return float(inter / union) if union > 0 else 0.0


def place_offset(rng: np.random.Generator, extent: np.ndarray, width: int, height: int,
                 truncate: bool) -> np.ndarray:
    """Sample a translation for a figure with ``extent`` ``[x0, y0, x1, y1]``.

    Without ``truncate`` the figure lands fully inside the image when it fits; with it, 15-50 %
    of the figure's width or height sticks out of one random image border.
    """
    size = extent[2:] - extent[:2]
    low = -extent[:2]
    high = np.array([width - 1, height - 1]) - extent[2:]
    offset = np.where(high >= low, rng.uniform(np.minimum(low, high), np.maximum(low, high)),
                      (low + high) / 2)
    if truncate:
        axis = int(rng.integers(2))
        outside = rng.uniform(0.15, 0.5) * size[axis]
        if rng.random() < 0.5:  # the left/top border
            offset[axis] = -extent[axis] - outside
        else:
            offset[axis] = (width, height)[axis] - 1 - extent[axis + 2] + outside
    return offset


def sample_figures(rng: np.random.Generator, knobs: Knobs, width: int,
                   height: int) -> List[Figure]:
    """Sample the annotated figures of one image, placed so that they rarely overlap heavily."""
    count = int(rng.integers(knobs.persons[0], knobs.persons[1] + 1))
    figures: List[Figure] = []
    for _ in range(count):
        figure_height = rng.uniform(*knobs.person_scale) * min(width, height)
        facing = FACINGS[int(rng.random() < knobs.p_back)]
        truncate = rng.random() < knobs.truncation
        figure = sample_figure(rng, figure_height, facing, knobs.max_lean)
        extent = figure.extent(margin=0.04 * figure_height)
        for _ in range(MAX_LAYOUT_TRIES):
            offset = place_offset(rng, extent, width, height, truncate)
            placed = extent + np.tile(offset, 2)
            if all(box_iou(placed, f.extent()) < MAX_OVERLAP_IOU for f in figures):
                break
        figures.append(figure.translate(offset))
    return figures


def keypoint_visibility(figure: Figure, cover: np.ndarray) -> np.ndarray:
    """COCO visibility flags (17,) for ``figure``.

    0: outside the image, or a face point of a figure seen from behind (not annotated);
    1: inside the image but under ``cover`` (a boolean (H, W) mask of what was drawn later);
    2: visible.
    """
    height, width = cover.shape
    x, y = figure.keypoints.T
    inside = (x >= 0) & (x <= width - 1) & (y >= 0) & (y <= height - 1)
    vis = np.where(inside, 2, 0)
    cols = np.clip(np.rint(x), 0, width - 1).astype(int)
    rows = np.clip(np.rint(y), 0, height - 1).astype(int)
    vis[inside & cover[rows, cols]] = 1
    if figure.facing == 'back':
        vis[list(FACE_KEYPOINTS)] = 0
    return vis


def mask_bbox(mask: np.ndarray, points: np.ndarray) -> List[float]:
    """COCO ``[x, y, w, h]`` enclosing the mask's pixels and ``points`` (N, 2), clipped to it."""
    height, width = mask.shape
    rows, cols = np.nonzero(mask)
    xs = np.concatenate([cols, cols + 1, points[:, 0]])
    ys = np.concatenate([rows, rows + 1, points[:, 1]])
    if xs.size == 0:
        return [0.0, 0.0, 0.0, 0.0]
    x0, x1 = np.clip([xs.min(), xs.max()], 0, width)
    y0, y1 = np.clip([ys.min(), ys.max()], 0, height)
    return [round(float(v), 2) for v in (x0, y0, x1 - x0, y1 - y0)]


def person_annotation(figure: Figure, mask: np.ndarray, cover: np.ndarray, ann_id: int,
                      image_id: int) -> Dict:
    """The COCO keypoint annotation of one drawn figure.

    ``mask`` holds the figure's own pixels (also those hidden by later drawings); the box
    encloses them inside the image. ``area`` (the OKS scale) is the box area, as for keypoint
    data without person masks: a mannequin's thin limbs would make its pixel count a much
    stricter scale than COCO's person segmentations.
    """
    vis = keypoint_visibility(figure, cover)
    keypoints: List[float] = []
    for (x, y), v in zip(figure.keypoints, vis):
        keypoints += [round(float(x), 2), round(float(y), 2), int(v)] if v else [0.0, 0.0, 0]
    bbox = mask_bbox(mask, np.round(figure.keypoints[vis > 0], 2))
    return dict(
        id=ann_id, image_id=image_id, category_id=1, bbox=bbox,
        area=round(bbox[2] * bbox[3], 2), iscrowd=0, keypoints=keypoints,
        num_keypoints=int(np.count_nonzero(vis)))


def annotate(figures: Sequence[Figure], masks: Sequence[np.ndarray], later_cover: np.ndarray,
             image_id: int) -> List[Dict]:
    """Annotate figures drawn in order (later ones on top), then ``later_cover`` on top of all.

    Persons without any annotated keypoint are dropped, as in COCO's keypoint files.
    """
    annotations = []
    cover = later_cover.astype(bool)
    for index in reversed(range(len(figures))):
        ann = person_annotation(figures[index], masks[index], cover,
                                ann_id=image_id * 100 + index + 1, image_id=image_id)
        if ann['num_keypoints'] > 0:
            annotations.append(ann)
        cover = cover | masks[index].astype(bool)
    return annotations[::-1]
