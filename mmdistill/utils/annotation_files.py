"""Check a config's COCO annotation files before a run starts (``tools/train.py``, ``test.py``).

mmdet's and mmpose's COCO datasets and metrics hand the file to pycocotools, which fails on a
broken file with a bare ``JSONDecodeError`` or ``KeyError`` naming no file, and only once the
runner builds that dataset (the val set after the train set, the metric after that).
"""
import os.path as osp
from typing import Any, List, Sequence

from mmengine.config import Config

from mmdistill.labeling.annotation_file import (check_image_info, check_keypoint_annotations,
                                                read_json)


def annotation_files(cfg: Config, phases: Sequence[str] = ('train', 'val')) -> List[str]:
    """The ``ann_file`` of every dataset of ``{phase}_dataloader`` (joined to its ``data_root``
    as mmengine's ``BaseDataset`` does; wrapped and concatenated datasets included) and of
    ``{phase}_evaluator``, each once, local files only."""
    files = []
    for phase in phases:
        files += _dataset_files(cfg.get(f'{phase}_dataloader'))
        evaluators = cfg.get(f'{phase}_evaluator')
        for evaluator in evaluators if isinstance(evaluators, list) else [evaluators]:
            if isinstance(evaluator, dict) and evaluator.get('ann_file'):
                files.append(evaluator['ann_file'])
    return [path for path in dict.fromkeys(files) if '://' not in path]


def check_annotation_files(cfg: Config, phases: Sequence[str] = ('train', 'val'),
                           image_info: bool = False) -> None:
    """Read and check every file of :func:`annotation_files` as a COCO keypoint annotation
    file; raises :class:`~mmdistill.labeling.annotation_file.AnnotationFileError`.

    With ``image_info``, a file without ``annotations`` passes as a COCO image-info file
    (testing on unlabeled images, e.g. COCO test-dev with mmpose's ``format_only``).
    """
    for path in annotation_files(cfg, phases):
        data = read_json(path)
        if image_info and isinstance(data, dict) and 'annotations' not in data:
            check_image_info(data, path)
        else:
            check_keypoint_annotations(data, path)


def _dataset_files(node: Any) -> List[str]:
    if isinstance(node, (list, tuple)):
        return [path for item in node for path in _dataset_files(item)]
    if not isinstance(node, dict):
        return []
    files = []
    ann_file, data_root = node.get('ann_file'), node.get('data_root')
    if isinstance(ann_file, str) and ann_file:
        files.append(osp.join(data_root, ann_file) if data_root else ann_file)
    for key, value in node.items():
        if key != 'pipeline':
            files += _dataset_files(value)
    return files
