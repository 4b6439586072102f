"""Reading the COCO files a run takes as input, with one clear error per broken file.

Labeled, val and pseudo-label files are COCO keypoint annotation files; the unlabeled images may
come as a COCO image-info file. The checks below cover what the datasets, the metrics and the
pseudo-label tool rely on. A broken file raises :class:`AnnotationFileError`, whose message
starts with the file name and says what is wrong; the tools print it as one line and exit
non-zero instead of failing later with a traceback that names no file.

No mm* imports.
"""
import json
from typing import Sequence

IMAGE_FIELDS = ('id', 'file_name', 'width', 'height')
KEYPOINT_ANNOTATION_FIELDS = ('id', 'image_id', 'category_id', 'bbox', 'keypoints')


class AnnotationFileError(ValueError):
    """An input file is unreadable, not JSON, or not the COCO file expected.

    The message is ``FILE: what is wrong`` (one line).
    """


def require(record: object, fields: Sequence[str], where: str) -> None:
    """Raise :class:`AnnotationFileError` at ``where`` if ``record`` lacks any of ``fields``."""
    if not isinstance(record, dict):
        raise AnnotationFileError(f'{where}: expected an object, got {type(record).__name__}')
    missing = [field for field in fields if field not in record]
    if missing:
        raise AnnotationFileError(f'{where}: missing field(s) {", ".join(missing)}')


def read_json(path: str) -> object:
    """The content of the JSON file ``path``."""
    try:
        with open(path, 'rb') as f:
            return json.load(f)
    except OSError as error:
        raise AnnotationFileError(f'{path}: cannot be read ({error.strerror})') from error
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
        raise AnnotationFileError(f'{path}: not valid JSON ({error})') from error


def check_image_info(data: object, path: str) -> None:
    """A COCO image-info file: ``images``, each with ``id, file_name, width, height``."""
    if not isinstance(data, dict):
        raise AnnotationFileError(f'{path}: expected a COCO object with "images", got a JSON '
                                  f'{type(data).__name__}')
    _require_list(data, 'images', path)
    for i, image in enumerate(data['images']):
        require(image, IMAGE_FIELDS, f'{path}: images[{i}]')


def check_keypoint_annotations(data: object, path: str) -> None:
    """A COCO keypoint annotation file: images as in :func:`check_image_info`, ``categories``
    of which at least one lists keypoint names, and ``annotations`` that each have
    ``keypoints`` with 3 values per keypoint of their category."""
    check_image_info(data, path)
    for key in ('annotations', 'categories'):
        _require_list(data, key, path)
    num_keypoints = {category.get('id'): len(category['keypoints'])
                     for category in data['categories']
                     if isinstance(category, dict) and category.get('keypoints')}
    if not num_keypoints:
        raise AnnotationFileError(f'{path}: no category lists keypoint names '
                                  '("categories[*].keypoints")')
    for i, ann in enumerate(data['annotations']):
        where = f'{path}: annotations[{i}]'
        require(ann, KEYPOINT_ANNOTATION_FIELDS, where)
        expected = num_keypoints.get(ann['category_id'])
        if expected is not None and len(ann['keypoints']) != 3 * expected:
            raise AnnotationFileError(
                f'{where}.keypoints has {len(ann["keypoints"])} values, expected '
                f'{3 * expected} (x, y, v for the {expected} keypoints of category '
                f'{ann["category_id"]})')


def load_keypoint_annotations(path: str) -> dict:
    """Read and check a COCO keypoint annotation file (:func:`check_keypoint_annotations`)."""
    data = read_json(path)
    check_keypoint_annotations(data, path)
    return data


def _require_list(data: dict, key: str, path: str) -> None:
    if key not in data:
        raise AnnotationFileError(f'{path}: missing "{key}"')
    if not isinstance(data[key], list):
        raise AnnotationFileError(f'{path}: "{key}" is a {type(data[key]).__name__}, not a list')
