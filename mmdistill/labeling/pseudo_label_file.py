"""The pseudo-label file: a COCO keypoint *annotation* file (DESIGN.md Sec. 4).

Trainable as-is by mmpose's ``CocoDataset`` and mmdistill's ``CocoKeypointDetDataset``, readable
by pycocotools. Besides the COCO fields each annotation carries ``score`` (the person's) and
``keypoint_scores``; ``info`` records how the file was made. Also: reading the unlabeled image
list (a COCO image-info file or a folder of images) and atomic, streaming JSON writing.

No mm* imports.
"""
import hashlib
import json
import os
import os.path as osp
import tempfile
from typing import Callable, Dict, Iterable, List, Sequence

import numpy as np

from .annotation_file import (IMAGE_FIELDS, AnnotationFileError, check_image_info,
                              check_keypoint_annotations, read_json, require)
from .keypoints import keypoints_to_coco

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
ANNOTATION_FIELDS = ('id', 'image_id', 'category_id', 'bbox', 'area', 'iscrowd', 'keypoints',
                     'num_keypoints', 'score', 'keypoint_scores')


def person_annotation(ann_id: int, image_id: int, box: Sequence[float], score: float,
                      keypoints: np.ndarray, keypoint_scores: np.ndarray,
                      visibility: np.ndarray, category_id: int = 1) -> dict:
    """One COCO person annotation from a prediction in the original image.

    Args:
        box: x1, y1, x2, y2. keypoints: (K, 2) continuous coordinates.
        keypoint_scores: (K, ). visibility: (K, ) COCO flags in {0, 2}; unlabeled keypoints
            are written as ``0, 0, 0`` (the COCO convention).
    """
    x1, y1, x2, y2 = (float(v) for v in box)
    labeled = np.asarray(visibility) > 0
    flat = keypoints_to_coco(np.asarray(keypoints), visibility)
    flat = [v if labeled[i // 3] else 0 for i, v in enumerate(flat)]
    return dict(
        id=int(ann_id),
        image_id=int(image_id),
        category_id=int(category_id),
        bbox=[x1, y1, x2 - x1, y2 - y1],
        area=(x2 - x1) * (y2 - y1),
        iscrowd=0,
        keypoints=flat,
        num_keypoints=int(labeled.sum()),
        score=float(score),
        keypoint_scores=[float(s) for s in keypoint_scores])


def validate_pseudo_labels(data: dict, filename: str = '<pseudo-labels>') -> None:
    """Check a pseudo-label dict: a COCO keypoint file (:func:`check_keypoint_annotations`)
    with the pseudo-label fields; :class:`AnnotationFileError` naming the file and the field on
    the first problem."""
    check_keypoint_annotations(data, filename)
    require(data, ('info', ), filename)
    categories = {cat.get('id'): cat for cat in data['categories']}
    for i, cat in enumerate(data['categories']):
        require(cat, ('id', 'name', 'keypoints'), f'{filename}: categories[{i}]')
    image_ids = set()
    for i, img in enumerate(data['images']):
        if img['id'] in image_ids:
            raise AnnotationFileError(f'{filename}: images[{i}].id {img["id"]} is duplicated')
        image_ids.add(img['id'])
    ann_ids = set()
    for i, ann in enumerate(data['annotations']):
        where = f'{filename}: annotations[{i}]'
        require(ann, ANNOTATION_FIELDS, where)
        if ann['id'] in ann_ids:
            raise AnnotationFileError(f'{where}.id {ann["id"]} is duplicated')
        ann_ids.add(ann['id'])
        if ann['image_id'] not in image_ids:
            raise AnnotationFileError(f'{where}.image_id {ann["image_id"]} is not in images')
        if ann['category_id'] not in categories:
            raise AnnotationFileError(
                f'{where}.category_id {ann["category_id"]} is not in categories')
        num_kpts = len(categories[ann['category_id']]['keypoints'])
        if len(ann['keypoint_scores']) != num_kpts:
            raise AnnotationFileError(f'{where}.keypoint_scores has '
                                      f'{len(ann["keypoint_scores"])} values, expected {num_kpts}')
        flags = ann['keypoints'][2::3]
        if any(v not in (0, 2) for v in flags):
            raise AnnotationFileError(f'{where}.keypoints: visibility flags must be 0 or 2')
        if ann['num_keypoints'] != sum(v > 0 for v in flags):
            raise AnnotationFileError(f'{where}.num_keypoints {ann["num_keypoints"]} does not '
                                      'match the labeled keypoints')
        if len(ann['bbox']) != 4 or ann['bbox'][2] < 0 or ann['bbox'][3] < 0:
            raise AnnotationFileError(f'{where}.bbox must be [x, y, w, h] with w, h >= 0')


def load_unlabeled_images(path: str) -> List[Dict]:
    """The unlabeled images, sorted by id: dicts ``id, file_name, width, height``.

    ``path`` is a COCO image-info file (``images`` with those fields, e.g.
    ``image_info_unlabeled2017.json``) or a folder, whose images get ids 1, 2, ... in file-name
    order and sizes from their headers (0 for an unreadable file: the run skips and counts it).
    """
    if osp.isdir(path):
        from PIL import Image
        names = sorted(name for name in os.listdir(path)
                       if name.lower().endswith(IMAGE_EXTENSIONS))
        images = []
        for image_id, name in enumerate(names, start=1):
            try:
                with Image.open(osp.join(path, name)) as img:
                    width, height = img.size
            except OSError:
                width = height = 0
            images.append(dict(id=image_id, file_name=name, width=width, height=height))
        return images
    data = read_json(path)
    check_image_info(data, path)
    return sorted(({key: img[key] for key in IMAGE_FIELDS} for img in data['images']),
                  key=lambda img: img['id'])


def file_sha256(path: str, chunk_size: int = 1 << 20) -> str:
    """Hex sha256 of a file (e.g. the teacher checkpoint, for provenance)."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(chunk_size), b''):
            digest.update(chunk)
    return digest.hexdigest()


def write_coco_atomic(path: str, images: Iterable[dict], annotations: Iterable[dict],
                      categories: List[dict], make_info: Callable[[], dict]) -> None:
    """Write a COCO file ``{images, annotations, categories, info}`` atomically.

    ``images`` and ``annotations`` are streamed (iterables), so the file can be larger than
    memory; ``make_info()`` is called after them, so it can report what they counted. The file
    is written to a temporary file in the same folder and renamed into place: a crash leaves
    any previous file intact.
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=osp.basename(path) + '.', suffix='.tmp', dir=folder)
    try:
        with os.fdopen(fd, 'w') as f:
            for key, items in (('images', images), ('annotations', annotations)):
                f.write(('{' if key == 'images' else ',\n') + f'"{key}": [')
                for i, item in enumerate(items):
                    f.write((',\n' if i else '\n') + json.dumps(item))
                f.write(']')
            f.write(f',\n"categories": {json.dumps(categories)}')
            f.write(f',\n"info": {json.dumps(make_info(), indent=1)}}}\n')
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def keypoint_categories(coco: dict, filename: str) -> List[dict]:
    """The keypoint categories (those listing ``keypoints`` names) of a labeled COCO dict."""
    categories = [cat for cat in coco.get('categories', []) if cat.get('keypoints')]
    if not categories:
        raise AnnotationFileError(f'{filename}: no category lists keypoint names '
                                  '("categories[*].keypoints")')
    return categories
