"""From TTA predictions to the pseudo-label file: per-rank shards, then selection and merging.

:class:`PseudoLabelWriter` streams each image's merged prediction (all candidate persons, before
any threshold) into the rank's shard. :func:`write_pseudo_labels` then reads all shards in
image-id order, chooses the thresholds (calibrated on the labeled set or fixed), and writes the
COCO pseudo-label file with its provenance. The math lives in :mod:`mmdistill.labeling`.
"""
import time
from functools import partial
from typing import Dict, Iterator, List, Optional

import numpy as np
import torch
from mmengine.structures import InstanceData

from mmdistill.labeling.pseudo_label_file import person_annotation, write_coco_atomic
from mmdistill.labeling.selection import (calibrate_kpt_thr, calibrate_score_thr,
                                          choose_threshold, keep_persons, keypoint_visibility,
                                          person_statistics)
from mmdistill.labeling.shards import ShardWriter, iter_merged
from mmdistill.version import __version__


def _float64(values) -> np.ndarray:
    """A tensor (any device) or array as a float64 numpy array."""
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu()
    return np.asarray(values, dtype=np.float64)


def prediction_record(image: Dict, pred: Optional[InstanceData]) -> Dict:
    """A shard record: the image and its candidate persons (``pred`` ``None``: unreadable).

    ``pred`` has ``bboxes`` (N, 4; x1, y1, x2, y2), ``scores`` (N, ), ``keypoints`` (N, K, 2)
    and ``keypoint_scores`` (N, K) in the original image, as tensors or arrays (any model
    family). Coordinates are rounded to 1/100 pixel and scores to 6 decimals to keep shards
    small (they hold every candidate of every image).
    """
    record = dict(image, readable=pred is not None, persons=[])
    if pred is not None:
        boxes, keypoints = _float64(pred.bboxes).round(2), _float64(pred.keypoints).round(2)
        scores = _float64(pred.scores).round(6)
        kpt_scores = _float64(pred.keypoint_scores).round(6)
        for box, score, kpts, kpt_score in zip(boxes, scores, keypoints, kpt_scores):
            record['persons'].append(
                dict(box=box.tolist(), score=float(score), keypoints=kpts.tolist(),
                     keypoint_scores=kpt_score.tolist()))
    return record


class PseudoLabelWriter(ShardWriter):
    """Writes one rank's predictions to a new shard in ``shard_dir`` (see :mod:`.shards`)."""

    def add(self, image: Dict, pred: Optional[InstanceData]) -> None:
        self.write(prediction_record(image, pred))


def _readable(shard_dir: str) -> Iterator[Dict]:
    return (record for record in iter_merged(shard_dir) if record['readable'])


def _calibrated_score_thr(shard_dir: str, persons_per_image: float) -> float:
    num_images, scores = 0, []
    for record in _readable(shard_dir):
        num_images += 1
        scores += [person['score'] for person in record['persons']]
    return calibrate_score_thr(np.asarray(scores), num_images, persons_per_image)


def _calibrated_kpt_thr(shard_dir: str, score_thr: float, keypoints_per_person: float) -> float:
    scores = [p['keypoint_scores'] for record in _readable(shard_dir)
              for p in record['persons'] if p['score'] >= score_thr]
    return calibrate_kpt_thr(np.asarray(scores) if scores else np.zeros((0, 1)),
                             keypoints_per_person)


def choose_thresholds(shard_dir: str, targets: Optional[Dict[str, float]],
                      score_thr: Optional[float], kpt_thr: Optional[float]) -> Dict[str, Dict]:
    """The person and keypoint thresholds and how they were chosen.

    Fixed values win; otherwise they are calibrated over the readable images to ``targets``
    (``persons_per_image`` and ``keypoints_per_person`` of the labeled set, both over all its
    non-crowd persons, see :func:`~mmdistill.labeling.selection.labeled_statistics`): the
    keypoint threshold is chosen over all kept persons, so keypoints per image match too.
    Reads the shards lazily.
    """
    person = choose_threshold(
        score_thr,
        partial(_calibrated_score_thr, shard_dir, targets['persons_per_image'])
        if targets else None, 'person score')
    keypoint = choose_threshold(
        kpt_thr,
        partial(_calibrated_kpt_thr, shard_dir, person['value'], targets['keypoints_per_person'])
        if targets else None, 'keypoint score')
    if targets:
        person['target_persons_per_image'] = targets['persons_per_image']
        keypoint['target_keypoints_per_person'] = targets['keypoints_per_person']
    return dict(person_score=person, keypoint_score=keypoint)


def _annotations(shard_dir: str, score_thr: float, kpt_thr: float,
                 counts: Dict[str, int]) -> Iterator[Dict]:
    """COCO annotations of the kept persons, counting persons and keypoints."""
    ann_id = 0
    for record in iter_merged(shard_dir):
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


def _images(shard_dir: str, counts: Dict[str, int]) -> Iterator[Dict]:
    """COCO image entries of all images, counting them and the unreadable ones."""
    for record in iter_merged(shard_dir):
        counts['images'] += 1
        counts['unreadable_images'] += not record['readable']
        yield {key: record[key] for key in ('id', 'file_name', 'width', 'height')}


def write_pseudo_labels(shard_dir: str, out: str, categories: List[Dict],
                        thresholds: Dict[str, Dict], provenance: Dict) -> Dict:
    """Write the pseudo-label file ``out`` from the shards; returns its ``info`` block.

    Every image is listed, also unreadable ones and those without a kept person, so the file
    accounts for the whole unlabeled set. The student does not train on them: its configs
    drop images without a labeled keypoint from both sources (``filter_empty_gt`` and
    ``min_visible_keypoints``, Detectron's rule for the labeled set); an image without a kept
    person is not known to be background, the teacher may have missed someone.
    ``info`` records ``provenance`` (teacher, transforms, ...), the thresholds and the counts;
    its per-image averages are over the readable images, as the calibration's.
    """
    counts = dict(images=0, unreadable_images=0, persons=0, keypoints=0)
    info = dict(description='mmdistill pseudo-labels (Data Distillation)',
                mmdistill_version=__version__, thresholds=thresholds, counts=counts,
                **provenance)

    def make_info() -> Dict:
        counts.update(person_statistics(counts['images'] - counts['unreadable_images'],
                                        counts['persons'], counts['keypoints']))
        info['date_created'] = time.strftime('%Y-%m-%dT%H:%M:%S%z')
        return info

    annotations = _annotations(shard_dir, thresholds['person_score']['value'],
                               thresholds['keypoint_score']['value'], counts)
    write_coco_atomic(out, _images(shard_dir, counts), annotations, categories, make_info)
    return info
