"""Which predictions become pseudo-labels (Data Distillation, Sec. 4 of the paper).

A person is kept if its detection score reaches ``score_thr``; a keypoint of a kept person is
annotated (v=2) if its score reaches ``kpt_thr``. The paper calibrates both so that the
unlabeled images look like the labeled ones on average: as many annotated persons per image, and
as many annotated keypoints per person. Fixed thresholds are the alternative.

Our reading: "persons" are one population on both sides, every non-crowd person, also one
without any labeled keypoint (about 40 % of COCO's; Keypoint R-CNN still trains their boxes), and
keypoints per person are averaged over all of them. A calibrated file then matches the labeled
set in persons per image *and* in annotated keypoints per image (their product). Averaging the
labeled keypoints only over persons that have some, while counting every kept pseudo-labeled
person, gives the pseudo-labels about 1 / (1 - 0.4) = 1.7x COCO's keypoint density; counting
only persons with keypoints on both sides would drop the box-only persons the teacher finds.

Pure functions: numpy in, numpy/float out; no mm* imports.
"""
from typing import Dict, Optional

import numpy as np


def labeled_statistics(coco: dict) -> Dict[str, float]:
    """Calibration targets from a labeled COCO keypoint file's dict.

    Persons are the non-crowd annotations (crowd regions are not persons), all of them; every
    image counts, also an empty one.

    Returns:
        ``persons_per_image``, ``keypoints_per_person`` (labeled keypoints, v > 0, per person,
        persons without any included) and ``keypoints_per_image``.
    """
    persons = [ann for ann in coco['annotations'] if not ann.get('iscrowd', 0)]
    keypoints = sum(int(np.count_nonzero(np.asarray(ann.get('keypoints') or [0])[2::3] > 0))
                    for ann in persons)
    return person_statistics(len(coco['images']), len(persons), keypoints)


def person_statistics(num_images: int, num_persons: int, num_keypoints: int) -> Dict[str, float]:
    """Persons per image, keypoints per person and keypoints per image (0 when undefined)."""
    return dict(persons_per_image=num_persons / max(num_images, 1),
                keypoints_per_person=num_keypoints / max(num_persons, 1),
                keypoints_per_image=num_keypoints / max(num_images, 1))


def calibrate_threshold(scores: np.ndarray, target_count: float) -> float:
    """The threshold keeping the ``round(target_count)`` highest ``scores`` (``>= thr`` kept).

    Ties at the threshold are all kept. Keeping none gives a threshold above every score
    (``inf`` when there are no scores); asking for more than there are keeps all.
    """
    scores = np.sort(np.asarray(scores, np.float64).ravel())[::-1]
    count = int(round(target_count))
    if len(scores) == 0:
        return float('inf')
    if count <= 0:
        return float(np.nextafter(scores[0], np.inf))
    return float(scores[min(count, len(scores)) - 1])


def calibrate_score_thr(person_scores: np.ndarray, num_images: int,
                        persons_per_image: float) -> float:
    """Person score threshold: kept persons per image == ``persons_per_image`` on average."""
    return calibrate_threshold(person_scores, persons_per_image * num_images)


def calibrate_kpt_thr(keypoint_scores: np.ndarray, keypoints_per_person: float) -> float:
    """Keypoint threshold: annotated keypoints per kept person == ``keypoints_per_person``.

    Args:
        keypoint_scores: (P, K) keypoint scores of the P kept persons (all of them: a person
            left without an annotated keypoint still counts, as in :func:`labeled_statistics`).
    """
    keypoint_scores = np.asarray(keypoint_scores).reshape(-1, keypoint_scores.shape[-1])
    return calibrate_threshold(keypoint_scores, keypoints_per_person * len(keypoint_scores))


def choose_threshold(fixed: Optional[float], calibrate, what: str) -> Dict[str, object]:
    """A threshold and how it was chosen: ``fixed`` if given, else ``calibrate()``.

    Raises ``ValueError`` when neither is available (``calibrate`` is ``None``).
    """
    if fixed is not None:
        return dict(value=float(fixed), how='fixed')
    if calibrate is None:
        raise ValueError(f'no {what} threshold: give a fixed one or a labeled annotation file '
                         'to calibrate it')
    return dict(value=calibrate(), how='calibrated')


def keep_persons(scores: np.ndarray, score_thr: float) -> np.ndarray:
    """Boolean mask of the persons kept (score >= ``score_thr``)."""
    return np.asarray(scores) >= score_thr


def keypoint_visibility(keypoint_scores: np.ndarray, kpt_thr: float) -> np.ndarray:
    """COCO visibility flags: 2 (labeled) where the keypoint score >= ``kpt_thr``, else 0."""
    return np.where(np.asarray(keypoint_scores) >= kpt_thr, 2, 0).astype(np.int64)
