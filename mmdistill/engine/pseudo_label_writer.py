"""From TTA predictions to the pseudo-label file: per-rank shards, then selection and merging.

:class:`PseudoLabelWriter` streams each image's merged prediction (all candidate persons, before
any threshold) into the rank's shard. :func:`write_pseudo_labels` then reads all shards in
image-id order, chooses the thresholds (calibrated on the labeled set or fixed), and writes the
COCO pseudo-label file with its provenance. The math lives in :mod:`mmdistill.labeling`.
"""
import time
from typing import Dict, Iterator, List, Optional

import numpy as np
from mmengine.structures import InstanceData

from mmdistill.labeling.pseudo_label_file import person_annotation, write_coco_atomic
from mmdistill.labeling.selection import (calibrate_kpt_thr, calibrate_score_thr,
                                          choose_threshold, keep_persons, keypoint_visibility)
from mmdistill.labeling.shards import ShardWriter, iter_merged, shard_path
from mmdistill.version import __version__


def prediction_record(image: Dict, pred: Optional[InstanceData]) -> Dict:
    """A shard record: the image and its candidate persons (``pred`` ``None``: unreadable)."""
    record = dict(image, readable=pred is not None, persons=[])
    if pred is not None:
        for box, score, kpts, kpt_scores in zip(pred.bboxes.tolist(), pred.scores.tolist(),
                                                pred.keypoints.tolist(),
                                                pred.keypoint_scores.tolist()):
            record['persons'].append(
                dict(box=box, score=score, keypoints=kpts, keypoint_scores=kpt_scores))
    return record


class PseudoLabelWriter(ShardWriter):
    """Writes one rank's predictions to its shard in ``shard_dir`` (see :mod:`.shards`)."""

    def __init__(self, shard_dir: str, rank: int, world_size: int) -> None:
        super().__init__(shard_path(shard_dir, rank, world_size))

    def add(self, image: Dict, pred: Optional[InstanceData]) -> None:
        self.write(prediction_record(image, pred))


def _scores(records: Iterator[Dict], score_thr: Optional[float] = None) -> np.ndarray:
    """Person scores (P, ), or with ``score_thr`` the keypoint scores (P, K) of kept persons."""
    values = [p['score'] if score_thr is None else p['keypoint_scores']
              for r in records for p in r['persons']
              if score_thr is None or p['score'] >= score_thr]
    return np.asarray(values, np.float64)


def choose_thresholds(shard_dir: str, targets: Optional[Dict[str, float]],
                      score_thr: Optional[float], kpt_thr: Optional[float]) -> Dict[str, Dict]:
    """The person and keypoint thresholds and how they were chosen.

    Fixed values win; otherwise they are calibrated to ``targets`` (``persons_per_image``,
    ``keypoints_per_person`` of the labeled set, see
    :func:`~mmdistill.labeling.selection.labeled_statistics`) over the readable images.
    """
    readable = lambda: (r for r in iter_merged(shard_dir) if r['readable'])  # noqa: E731
    calibrate_person = targets and (lambda: calibrate_score_thr(
        _scores(readable()), sum(1 for _ in readable()), targets['persons_per_image']))
    person = choose_threshold(score_thr, calibrate_person, 'person score')
    calibrate_kpt = targets and (lambda: calibrate_kpt_thr(
        _scores(readable(), person['value']).reshape(-1, 1), targets['keypoints_per_person']))
    keypoint = choose_threshold(kpt_thr, calibrate_kpt, 'keypoint score')
    if targets:
        person['target_persons_per_image'] = targets['persons_per_image']
        keypoint['target_keypoints_per_person'] = targets['keypoints_per_person']
    return dict(person_score=person, keypoint_score=keypoint)


def _annotations(shard_dir: str, score_thr: float, kpt_thr: float,
                 counts: Dict[str, int]) -> Iterator[Dict]:
    """COCO annotations of the kept persons, counting images, persons and keypoints."""
    ann_id = 0
    for record in iter_merged(shard_dir):
        counts['images'] += 1
        counts['unreadable_images'] += not record['readable']
        persons = record['persons']
        kept = keep_persons([p['score'] for p in persons], score_thr)
        for person in (p for p, keep in zip(persons, kept) if keep):
            ann_id += 1
            ann = person_annotation(
                ann_id, record['id'], person['box'], person['score'],
                np.asarray(person['keypoints']), person['keypoint_scores'],
                keypoint_visibility(person['keypoint_scores'], kpt_thr))
            counts['persons'] += 1
            counts['keypoints'] += ann['num_keypoints']
            yield ann


def write_pseudo_labels(shard_dir: str, out: str, categories: List[Dict],
                        thresholds: Dict[str, Dict], provenance: Dict) -> Dict:
    """Write the pseudo-label file ``out`` from the shards; returns its ``info`` block.

    Every image is listed (also unreadable ones and those without a kept person, so a student
    sees them as background: the paper's images without detections). ``provenance`` (teacher,
    transforms, ...) is recorded in ``info`` with the thresholds and counts.
    """
    counts = dict(images=0, unreadable_images=0, persons=0, keypoints=0)
    images = ({key: r[key] for key in ('id', 'file_name', 'width', 'height')}
              for r in iter_merged(shard_dir))
    info = dict(description='mmdistill pseudo-labels (Data Distillation)',
                mmdistill_version=__version__,
                date_created=time.strftime('%Y-%m-%dT%H:%M:%S%z'),
                thresholds=thresholds, counts=counts, **provenance)
    annotations = _annotations(shard_dir, thresholds['person_score']['value'],
                               thresholds['keypoint_score']['value'], counts)
    # info is written last in the header, so the counts are complete: write images and
    # annotations first into the body, info's dict is serialised after them
    write_coco_atomic(out, dict(info=info), images, annotations, categories)
    counts['persons_per_image'] = counts['persons'] / max(counts['images'], 1)
    counts['keypoints_per_person'] = counts['keypoints'] / max(counts['persons'], 1)
    return info
