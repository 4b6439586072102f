"""How good are pseudo-labels? Compare a pseudo-label file with the ground truth of the same images.

Only possible where that truth exists (the synthetic ``unlabeled_gt.json``), which is what makes
the synthetic benchmark diagnosable: a student that falls behind its control can be traced to
missing persons, wrong keypoints or a coordinate bias. The matching and counting are pure
functions on COCO-format dicts; box IoU and keypoint AP come from xtcocotools.
"""
import contextlib
import io
import json
from collections import defaultdict
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from xtcocotools.coco import COCO
from xtcocotools.cocoeval import COCOeval
from xtcocotools.mask import iou as box_iou_xywh

from mmdistill.labeling import flip_indices_from_names

# why a kept keypoint of a matched person is not correct (see keypoint_errors)
ERROR_KINDS = ('unlabeled_in_truth', 'left_right_swap', 'on_another_person', 'mislocated')
# what the mirror of a left/right-swapped keypoint does (see swap_kinds)
SWAP_KINDS = ('on_one_limb', 'pair_exchanged', 'alone')


def greedy_match(iou: np.ndarray, scores: Sequence[float],
                 iou_thr: float = 0.5) -> List[Tuple[int, int]]:
    """Match predictions (rows) to truths (columns) in descending score order, each once, like
    COCO's evaluation does; return ``(pred, gt)`` pairs with IoU >= ``iou_thr``."""
    pairs, taken = [], set()
    for i in np.argsort(-np.asarray(scores, np.float64), kind='stable'):
        best, best_iou = -1, iou_thr
        for j in range(iou.shape[1]):
            if j not in taken and iou[i, j] >= best_iou:
                best, best_iou = j, iou[i, j]
        if best >= 0:
            taken.add(best)
            pairs.append((int(i), best))
    return pairs


def keypoint_similarity(pred_xy: np.ndarray, gt_xy: np.ndarray, area: float,
                        sigmas: np.ndarray) -> np.ndarray:
    """Per-keypoint OKS term ``exp(-d^2 / (2 s^2 (2 sigma)^2))`` with ``s^2`` = the GT area."""
    d2 = ((np.asarray(pred_xy) - np.asarray(gt_xy))**2).sum(-1)
    return np.exp(-d2 / (2 * max(area, 1e-12) * (2 * np.asarray(sigmas))**2))


def _keypoints(ann: dict, num_kpts: int, source: str) -> np.ndarray:
    """An annotation's keypoints as a (K, 3) array; a wrong count names the annotation."""
    flat = ann.get('keypoints') or []
    if len(flat) != 3 * num_kpts:
        raise ValueError(f'{source} annotation {ann.get("id")} (image {ann.get("image_id")}): '
                         f'{len(flat)} keypoint values, expected {3 * num_kpts}')
    return np.asarray(flat, np.float64).reshape(num_kpts, 3)


def _by_image(annotations: List[dict]) -> Dict[int, List[dict]]:
    grouped = defaultdict(list)
    for ann in annotations:
        if not ann.get('iscrowd', 0):
            grouped[ann['image_id']].append(ann)
    return grouped


def _ratio(num: float, den: float) -> Optional[float]:
    return num / den if den else None


def _keypoint_names(coco: dict) -> List[str]:
    """The keypoint names of a COCO dict's first category ([] where it has none)."""
    return (coco.get('categories') or [{}])[0].get('keypoints') or []


def truth_flip_indices(truth: dict, num_keypoints: int) -> List[int]:
    """Each keypoint's mirror (``left_*`` <-> ``right_*``) from the truth's keypoint names; the
    identity (no mirrors, swaps not counted) where the names are missing or not paired so."""
    try:
        flip = flip_indices_from_names(_keypoint_names(truth))
    except ValueError:
        flip = []
    return flip if len(flip) == num_keypoints else list(range(num_keypoints))


def keypoint_errors(kept: np.ndarray, correct: np.ndarray, gt_visible: np.ndarray,
                    ks_mirrored: np.ndarray, on_others: np.ndarray,
                    ks_thr: float = 0.5) -> Dict[str, np.ndarray]:
    """Sort the kept keypoints (K,) of one matched person that are not correct into the first
    kind that applies: the truth does not label it (``unlabeled_in_truth``, ``gt_visible`` <= 0;
    the COCO metric ignores such keypoints), it sits on its mirror keypoint
    (``left_right_swap``: ``ks_mirrored``, its similarity to the truth of its mirror, is >=
    ``ks_thr``; 0 where there is no labeled mirror), on the same keypoint of another true person
    (``on_another_person``, the mask ``on_others``), or elsewhere (``mislocated``). Returns a (K,)
    bool mask per kind of :data:`ERROR_KINDS`."""
    wrong = kept & ~correct
    unlabeled = wrong & (gt_visible <= 0)
    swap = wrong & ~unlabeled & (ks_mirrored >= ks_thr)
    other = wrong & ~unlabeled & ~swap & on_others
    return dict(unlabeled_in_truth=unlabeled, left_right_swap=swap, on_another_person=other,
                mislocated=wrong & ~unlabeled & ~swap & ~other)


def swap_kinds(swap: np.ndarray, correct: np.ndarray,
               flip: Sequence[int]) -> Dict[str, np.ndarray]:
    """Split the left/right swaps (K,) of one person by what each one's mirror keypoint does:
    it is correct (``on_one_limb``: both keypoints of the pair sit on the mirror's limb), it is
    a swap too (``pair_exchanged``), or neither (``alone``: not kept, or wrong another way).
    Returns a (K,) bool mask per kind of :data:`SWAP_KINDS`."""
    flip = np.asarray(flip)
    one_limb, exchanged = swap & correct[flip], swap & swap[flip]
    return dict(on_one_limb=one_limb, pair_exchanged=exchanged,
                alone=swap & ~one_limb & ~exchanged)


def pseudo_label_quality(pseudo: dict, truth: dict, sigmas: Sequence[float],
                         iou_thr: float = 0.5, ks_thr: float = 0.5,
                         score_bins: Sequence[float] = (0.0, 0.1, 0.2, 0.4, 1.0)) -> dict:
    """Person and keypoint precision/recall of ``pseudo`` against ``truth`` (both COCO dicts).

    Persons match by box IoU >= ``iou_thr`` (greedy by score). A kept pseudo keypoint (v > 0) of a
    matched person is *correct* when the truth labels it and its OKS term is >= ``ks_thr``
    (0.5 ~ within one "OKS sigma unit"); ``errors`` counts the other kept ones by kind
    (:func:`keypoint_errors`, mirrors from the truth's keypoint names) and
    ``precision_where_labeled`` leaves out the kept keypoints the truth does not label;
    ``left_right_swap`` is None where the truth's keypoint names pair no mirrors;
    ``left_right_swap_kinds`` splits it by what the mirror keypoint does (:func:`swap_kinds`).
    ``offset`` is the median (pseudo - truth) position of kept
    keypoints the truth labels: a clearly non-zero value means a coordinate-convention bias.
    ``by_keypoint_score`` bins kept keypoints by their ``keypoint_scores`` (if the file has them)
    to show how precision grows with the teacher's confidence.
    """
    sigmas = np.asarray(sigmas, np.float64)
    num_kpts = len(sigmas)
    flip = np.asarray(truth_flip_indices(truth, num_kpts))
    has_mirror = flip != np.arange(num_kpts)
    pred_by_img, gt_by_img = _by_image(pseudo['annotations']), _by_image(truth['annotations'])
    counts = defaultdict(float)
    offsets, bin_hits = [], defaultdict(lambda: [0, 0])
    for img_id in {img['id'] for img in truth['images']}:
        preds, gts = pred_by_img.get(img_id, []), gt_by_img.get(img_id, [])
        counts['pred_persons'] += len(preds)
        counts['gt_persons'] += len(gts)
        if not preds or not gts:
            continue
        iou = box_iou_xywh([p['bbox'] for p in preds], [g['bbox'] for g in gts],
                           [0] * len(gts))
        gts_kpts = [_keypoints(gt, num_kpts, 'truth') for gt in gts]
        for i, j in greedy_match(iou, [p.get('score', 1.0) for p in preds], iou_thr):
            counts['matched_persons'] += 1
            pred_kpts, gt_kpts = _keypoints(preds[i], num_kpts, 'pseudo-label'), gts_kpts[j]
            kept, labeled = pred_kpts[:, 2] > 0, gt_kpts[:, 2] > 0
            both = kept & labeled
            ks = keypoint_similarity(pred_kpts[:, :2], gt_kpts[:, :2], gts[j]['area'], sigmas)
            correct = both & (ks >= ks_thr)
            counts['kept_keypoints'] += kept.sum()
            counts['kept_labeled_keypoints'] += both.sum()
            counts['labeled_keypoints'] += labeled.sum()
            counts['correct_keypoints'] += correct.sum()
            ks_mirrored = np.where(
                has_mirror & labeled[flip],
                keypoint_similarity(pred_kpts[:, :2], gt_kpts[flip, :2], gts[j]['area'], sigmas),
                0.0)
            on_others = np.zeros(num_kpts, bool)
            for other, other_kpts in zip(gts, gts_kpts):
                if other is not gts[j]:
                    on_others |= (other_kpts[:, 2] > 0) & (keypoint_similarity(
                        pred_kpts[:, :2], other_kpts[:, :2], other['area'], sigmas) >= ks_thr)
            errors = keypoint_errors(kept, correct, gt_kpts[:, 2], ks_mirrored, on_others, ks_thr)
            for kind, mask in errors.items():
                counts[f'error/{kind}'] += mask.sum()
            for kind, mask in swap_kinds(errors['left_right_swap'], correct, flip).items():
                counts[f'swap/{kind}'] += mask.sum()
            offsets.append(pred_kpts[both, :2] - gt_kpts[both, :2])
            kpt_scores = preds[i].get('keypoint_scores')
            if kpt_scores is not None:
                bins = np.digitize(np.asarray(kpt_scores)[kept], score_bins[1:-1])
                for b, hit in zip(bins, correct[kept]):
                    bin_hits[int(b)][0] += int(hit)
                    bin_hits[int(b)][1] += 1
    offset = np.concatenate(offsets) if offsets else np.zeros((0, 2))
    return dict(
        persons=dict(
            pseudo=int(counts['pred_persons']), truth=int(counts['gt_persons']),
            matched=int(counts['matched_persons']),
            precision=_ratio(counts['matched_persons'], counts['pred_persons']),
            recall=_ratio(counts['matched_persons'], counts['gt_persons'])),
        keypoints=dict(
            kept=int(counts['kept_keypoints']), correct=int(counts['correct_keypoints']),
            precision=_ratio(counts['correct_keypoints'], counts['kept_keypoints']),
            precision_where_labeled=_ratio(counts['correct_keypoints'],
                                           counts['kept_labeled_keypoints']),
            recall=_ratio(counts['correct_keypoints'], counts['labeled_keypoints']),
            errors={kind: (None if kind == 'left_right_swap' and not has_mirror.any()
                           else int(counts[f'error/{kind}'])) for kind in ERROR_KINDS},
            left_right_swap_kinds=({kind: int(counts[f'swap/{kind}']) for kind in SWAP_KINDS}
                                   if has_mirror.any() else None),
            offset=np.median(offset, 0).tolist() if len(offset) else None),
        by_keypoint_score=[
            dict(low=score_bins[b], high=score_bins[b + 1], kept=total,
                 precision=_ratio(hits, total))
            for b, (hits, total) in sorted(bin_hits.items())])


def score_pseudo_label_file(pseudo_file: str, truth_file: str,
                            sigmas: Optional[Sequence[float]] = None) -> dict:
    """Quality of a pseudo-label file against a ground-truth file of the same images: the
    precision/recall of :func:`pseudo_label_quality` plus the keypoint AP of the pseudo-labels
    scored as detections (xtcocotools; ``sigmas`` None = COCO's 17, as our metric uses)."""
    with open(pseudo_file) as f:
        pseudo = json.load(f)
    with contextlib.redirect_stdout(io.StringIO()):
        truth_api = COCO(truth_file)
        evaluator = COCOeval(truth_api, iouType='keypoints',
                             sigmas=None if sigmas is None else np.asarray(sigmas))
        num_kpts = len(evaluator.sigmas)
        names = _keypoint_names(truth_api.dataset)
        if names and len(names) != num_kpts:
            raise ValueError(f'{truth_file}: {len(names)} keypoints per person but {num_kpts} '
                             'OKS sigmas (COCO\'s 17 unless given)')
        for source, annotations in ((truth_file, truth_api.dataset['annotations']),
                                    (pseudo_file, pseudo['annotations'])):
            for ann in annotations:
                if not ann.get('iscrowd', 0):  # crowds are not scored
                    _keypoints(ann, num_kpts, source)
        if pseudo['annotations']:
            evaluator.cocoDt = truth_api.loadRes(
                [dict(ann, score=ann.get('score', 1.0)) for ann in pseudo['annotations']])
            evaluator.params.imgIds = sorted(truth_api.getImgIds())
            evaluator.evaluate()
            evaluator.accumulate()
            evaluator.summarize()
    quality = pseudo_label_quality(pseudo, truth_api.dataset, evaluator.sigmas)
    stats = evaluator.stats if pseudo['annotations'] else [0.0] * 10
    quality['keypoint_ap'] = dict(AP=float(stats[0]), AP50=float(stats[1]), AP75=float(stats[2]),
                                  AR=float(stats[5]))
    return quality
