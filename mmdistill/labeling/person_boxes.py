"""Person boxes as a COCO detection-results file: what mmpose's top-down datasets read as
``bbox_file`` (a JSON list of ``{image_id, bbox: [x, y, w, h], score, category_id}``).

The detector stage of the top-down family writes such a file, the pose stage reads it back per
image. Only ``category_id == 1`` counts as a person, as in mmpose's ``CocoDataset``.

No mm* imports.
"""
import json
import os
import os.path as osp
import tempfile
from typing import Collection, Dict, List, Sequence, Tuple

from .annotation_file import AnnotationFileError, read_json, require

PERSON_CATEGORY_ID = 1
DETECTION_FIELDS = ('image_id', 'bbox', 'score', 'category_id')

Boxes = Tuple[List[List[float]], List[float]]  # xyxy boxes and their scores


def person_detections(image_id: int, boxes: Sequence[Sequence[float]],
                      scores: Sequence[float]) -> List[dict]:
    """COCO detection results of one image from ``boxes`` (x1, y1, x2, y2) and ``scores``."""
    return [dict(image_id=image_id, bbox=[x1, y1, x2 - x1, y2 - y1], score=score,
                 category_id=PERSON_CATEGORY_ID)
            for (x1, y1, x2, y2), score in zip(boxes, scores)]


def write_detections_atomic(path: str, detections: List[dict]) -> None:
    """Write ``detections`` (a COCO results list) to ``path`` through a renamed temporary file:
    a crash leaves any previous file intact."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=osp.basename(path) + '.', suffix='.tmp', dir=folder)
    try:
        with os.fdopen(fd, 'w') as f:
            f.write('[' + ',\n'.join(json.dumps(det) for det in detections) + ']\n')
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def load_person_boxes(path: str, image_ids: Collection[int], score_thr: float = 0.0,
                      images_name: str = 'the images') -> Dict[int, Boxes]:
    """The person boxes of a COCO detection-results file, per image id, in file order.

    Kept: ``category_id == 1``, ``score >= score_thr`` (mmpose's ``bbox_score_thr``) and a
    positive width and height (a box of no size cannot be cropped). A broken file, or a
    detection of an image that is not in ``image_ids`` (``images_name`` says which set, for
    the message), raises :class:`AnnotationFileError` naming the file and the entry.

    Returns:
        ``{image_id: (boxes as [x1, y1, x2, y2], scores)}`` for the images with a kept box.
    """
    data = read_json(path)
    if not isinstance(data, list):
        raise AnnotationFileError(
            f'{path}: expected a list of detections {{image_id, bbox, score, category_id}} '
            f'(a COCO results file), got a JSON {type(data).__name__}')
    boxes: Dict[int, Boxes] = {}
    for i, det in enumerate(data):
        where = f'{path}: [{i}]'
        require(det, DETECTION_FIELDS, where)
        bbox, score = det['bbox'], det['score']
        if not (isinstance(bbox, list) and len(bbox) == 4 and all(map(_is_number, bbox))):
            raise AnnotationFileError(f'{where}.bbox must be [x, y, w, h], got {bbox!r}')
        if not _is_number(score):
            raise AnnotationFileError(f'{where}.score must be a number, got {score!r}')
        if det['image_id'] not in image_ids:
            raise AnnotationFileError(
                f'{where}.image_id {det["image_id"]!r} is not one of {images_name}')
        x, y, w, h = bbox
        if det['category_id'] != PERSON_CATEGORY_ID or score < score_thr or w <= 0 or h <= 0:
            continue
        image_boxes, image_scores = boxes.setdefault(det['image_id'], ([], []))
        image_boxes.append([x, y, x + w, y + h])
        image_scores.append(score)
    return boxes
