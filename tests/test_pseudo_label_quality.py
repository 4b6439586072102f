"""Scoring pseudo-labels against the hidden truth: exact values on hand-made COCO dicts."""
import copy
import json
import math

import numpy as np
import pytest

from mmdistill.evaluation.pseudo_label_quality import (greedy_match, keypoint_similarity,
                                                       pseudo_label_quality,
                                                       score_pseudo_label_file,
                                                       truth_flip_indices)
from .conftest import load_tool

SIGMAS = np.full(3, 0.1)


def test_greedy_match_gives_a_truth_to_the_higher_score_only_once():
    iou = np.array([[0.9, 0.0], [0.8, 0.3]])
    assert greedy_match(iou, scores=[0.2, 0.9]) == [(1, 0)]  # pred 1 takes truth 0 first
    assert greedy_match(iou, scores=[0.9, 0.2], iou_thr=0.25) == [(0, 0), (1, 1)]


def test_keypoint_similarity_is_the_oks_term():
    area, sigma = 100.0, 0.1
    d = math.sqrt(2 * area) * 2 * sigma  # exp(-d^2 / (2 area (2 sigma)^2)) = exp(-1)
    ks = keypoint_similarity(np.array([[0.0, 0.0], [d, 0.0]]), np.zeros((2, 2)), area,
                             np.array([sigma, sigma]))
    assert ks == pytest.approx([1.0, math.exp(-1)])


def _person(ann_id, image_id, box, keypoints, **extra):
    flat = [v for x, y, vis in keypoints for v in (x, y, vis)]
    return dict(id=ann_id, image_id=image_id, category_id=1, bbox=box, area=box[2] * box[3],
                iscrowd=0, keypoints=flat, num_keypoints=sum(k[2] > 0 for k in keypoints),
                **extra)


def _truth():
    return dict(
        images=[dict(id=1, file_name='a.png', width=100, height=100),
                dict(id=2, file_name='b.png', width=100, height=100)],
        annotations=[
            _person(1, 1, [10, 10, 40, 40], [(20, 20, 2), (30, 30, 2), (40, 40, 1)]),
            _person(2, 2, [50, 50, 40, 40], [(60, 60, 2), (70, 70, 2), (0, 0, 0)])],
        categories=[dict(id=1, name='person', keypoints=['a', 'b', 'c'], skeleton=[])])


def test_quality_counts_persons_and_keypoints():
    truth = _truth()
    pseudo = dict(images=truth['images'], annotations=[
        # matches truth 1: keypoints 0 and 2 one px right, keypoint 1 far off
        _person(1, 1, [11, 10, 40, 40], [(21, 20, 2), (5, 90, 2), (41, 40, 2)], score=0.9,
                keypoint_scores=[0.9, 0.05, 0.5]),
        _person(2, 1, [70, 70, 20, 20], [(75, 75, 2), (0, 0, 0), (0, 0, 0)], score=0.8,
                keypoint_scores=[0.9, 0.0, 0.0]),  # a false positive
    ])
    q = pseudo_label_quality(pseudo, truth, SIGMAS, score_bins=(0.0, 0.1, 1.0))
    assert q['persons'] == dict(pseudo=2, truth=2, matched=1, precision=0.5, recall=0.5)
    assert q['keypoints']['kept'] == 3 and q['keypoints']['correct'] == 2
    assert q['keypoints']['precision'] == pytest.approx(2 / 3)
    assert q['keypoints']['recall'] == pytest.approx(2 / 3)  # truth 1 labels three keypoints
    assert q['keypoints']['offset'] == pytest.approx([1.0, 0.0])  # the outlier does not move it
    assert q['keypoints']['errors'] == dict(unlabeled_in_truth=0, left_right_swap=None,
                                            on_another_person=0, mislocated=1)
    assert q['keypoints']['precision_where_labeled'] == pytest.approx(2 / 3)
    assert q['by_keypoint_score'] == [dict(low=0.0, high=0.1, kept=1, precision=0.0),
                                      dict(low=0.1, high=1.0, kept=2, precision=1.0)]


def test_wrong_keypoints_are_sorted_by_kind():
    """Kept keypoints of one matched person, wrong in every way; the first kind that applies
    counts: unlabeled in the truth before a swap, a swap before another person."""
    names = ['nose', 'left_eye', 'right_eye', 'tail', 'left_ear', 'right_ear', 'left_hand',
             'right_hand']
    truth = dict(
        images=[dict(id=1, file_name='a.png', width=100, height=100)],
        annotations=[
            _person(1, 1, [0, 0, 50, 50], [(10, 10, 2), (20, 10, 2), (40, 10, 2), (0, 0, 0),
                                           (25, 30, 0), (35, 30, 2), (5, 45, 2), (0, 0, 0)]),
            _person(2, 1, [60, 0, 30, 30], [(80, 10, 2), (40, 10, 2), *[(0, 0, 0)] * 6])],
        categories=[dict(id=1, name='person', keypoints=names, skeleton=[])])
    pseudo = dict(images=truth['images'], annotations=[
        _person(1, 1, [0, 0, 50, 50], [
            (80, 10, 2),  # nose on the other person's nose: on another person
            (40, 10, 2),  # left eye on the right eye and on the other's left eye: a swap
            (30, 45, 2),  # right eye near no eye: mislocated
            (5, 5, 2),  # tail, which the truth does not label
            (35, 30, 2),  # left ear (unlabeled) on the labeled right ear: unlabeled first
            (35, 30, 2),  # right ear: correct
            (1, 1, 2),  # left hand at (0, 0), where the unlabeled right hand "is": mislocated
            (0, 0, 0)], score=0.9),
        _person(2, 1, [60, 0, 30, 30], [(80, 10, 2), *[(0, 0, 0)] * 7], score=0.8),  # correct
    ])
    q = pseudo_label_quality(pseudo, truth, np.full(8, 0.1))['keypoints']
    assert q['kept'] == 8 and q['correct'] == 2
    assert q['errors'] == dict(unlabeled_in_truth=2, left_right_swap=1, on_another_person=1,
                               mislocated=2)
    assert q['precision'] == pytest.approx(2 / 8)
    assert q['precision_where_labeled'] == pytest.approx(2 / 6)

    truth['categories'][0]['keypoints'] = [f'k{i}' for i in range(8)]  # no mirrors known
    unpaired = pseudo_label_quality(pseudo, truth, np.full(8, 0.1))['keypoints']['errors']
    assert unpaired == dict(unlabeled_in_truth=2, left_right_swap=None, on_another_person=2,
                            mislocated=2)


def test_swaps_are_split_by_what_their_mirror_does():
    names = ['left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_hand', 'right_hand']
    truth = dict(
        images=[dict(id=1, file_name='a.png', width=100, height=100)],
        annotations=[_person(1, 1, [0, 0, 50, 50], [(10, 10, 2), (30, 10, 2), (10, 30, 2),
                                                    (30, 30, 2), (10, 45, 2), (40, 45, 2)])],
        categories=[dict(id=1, name='person', keypoints=names, skeleton=[])])
    pseudo = dict(images=truth['images'], annotations=[_person(1, 1, [0, 0, 50, 50], [
        (30, 10, 2), (10, 10, 2),  # the eyes exchanged
        (30, 30, 2), (30, 30, 2),  # both ears on the right ear, which is right
        (40, 45, 2), (0, 0, 0),  # the left hand on the right one, the right hand not kept
    ], score=0.9)])
    q = pseudo_label_quality(pseudo, truth, np.full(6, 0.1))['keypoints']
    assert q['kept'] == 5 and q['correct'] == 1 and q['errors']['left_right_swap'] == 4
    assert q['left_right_swap_kinds'] == dict(on_one_limb=1, pair_exchanged=2, alone=1)

    truth['categories'][0]['keypoints'] = [f'k{i}' for i in range(6)]  # no mirrors known
    assert pseudo_label_quality(pseudo, truth,
                                np.full(6, 0.1))['keypoints']['left_right_swap_kinds'] is None


def test_mirror_suppression_drops_the_weaker_of_a_close_pair_only():
    suppress = load_tool('mirror_suppression', 'benchmarks').suppress_mirror_duplicates
    flip = [0, 2, 1, 4, 3, 6, 5]  # nose, eyes, ears, hands
    keypoints = np.array([[5, 5, 2],
                          [10, 10, 2], [11, 10, 2],  # eyes 1 px apart: the weaker goes
                          [20, 20, 2], [20, 21, 2],  # ears 1 px apart, a tie: the left goes
                          [0, 0, 2], [0, 0, 0]], np.float64)  # right hand not kept: no pair
    scores = [0.9, 0.3, 0.8, 0.5, 0.5, 0.9, 0.9]
    out = suppress(keypoints, scores, flip, min_distance=2.0)
    assert out[:, 2].tolist() == [2, 0, 2, 0, 2, 2, 0]
    assert out[:, :2].tolist() == keypoints[:, :2].tolist() and keypoints[1, 2] == 2  # a copy
    assert suppress(keypoints, scores, flip, min_distance=1.0)[:, 2].tolist() == \
        keypoints[:, 2].tolist()  # 1 px is not closer than 1


def test_mirrors_come_from_the_truths_keypoint_names():
    def truth(names):
        return dict(categories=[dict(id=1, name='person', keypoints=names)])
    assert truth_flip_indices(truth(['nose', 'left_eye', 'right_eye', 'tail']), 4) == [0, 2, 1, 3]
    assert truth_flip_indices(truth(['a', 'left_b']), 2) == [0, 1]  # no right_b: no mirrors
    assert truth_flip_indices(dict(categories=[]), 3) == [0, 1, 2]


def test_perfect_pseudo_labels_score_full_ap(tmp_path):
    truth = _truth()
    pseudo = copy.deepcopy(truth)
    for ann in pseudo['annotations']:
        ann['score'] = 1.0
    (tmp_path / 'truth.json').write_text(json.dumps(truth))
    (tmp_path / 'pseudo.json').write_text(json.dumps(pseudo))
    q = score_pseudo_label_file(str(tmp_path / 'pseudo.json'), str(tmp_path / 'truth.json'),
                                SIGMAS)
    assert q['keypoint_ap']['AP'] == pytest.approx(1.0)
    assert q['persons']['precision'] == 1.0 and q['keypoints']['precision'] == 1.0
    assert q['keypoints']['offset'] == [0.0, 0.0]


def test_tool_prints_and_saves_the_scores(tmp_path):
    from .conftest import run_tool
    truth = _truth()
    pseudo = copy.deepcopy(truth)
    pseudo['annotations'][0]['keypoints'][3:5] = [5, 90]  # keypoint b of person 1 far off
    (tmp_path / 'truth.json').write_text(json.dumps(truth))
    (tmp_path / 'pseudo.json').write_text(json.dumps(pseudo))
    out = tmp_path / 'quality.json'
    printed = run_tool(['tools/analysis_tools/pseudo_label_quality.py',
                        str(tmp_path / 'pseudo.json'), str(tmp_path / 'truth.json'),
                        '--out', str(out), '--sigmas', '0.1', '0.1', '0.1']).stdout
    assert 'persons: 2 pseudo / 2 true, precision 100.0 %, recall 100.0 %' in printed
    assert ('kept keypoints not correct: 0 the truth does not label (the metric ignores them), '
            '– on their left/right mirror, 0 on another person, 1 elsewhere; precision where '
            'the truth labels: 80.0 %') in printed
    saved = json.loads(out.read_text())
    assert saved['keypoints']['errors']['mislocated'] == 1
    assert saved['keypoints']['errors']['left_right_swap'] is None  # names a, b, c: no mirrors

    with pytest.raises(ValueError, match=r'truth.json: 3 keypoints per person but 17 OKS sigmas'):
        score_pseudo_label_file(str(tmp_path / 'pseudo.json'), str(tmp_path / 'truth.json'))

    pseudo['annotations'][1]['keypoints'] = pseudo['annotations'][1]['keypoints'][:6]
    (tmp_path / 'pseudo.json').write_text(json.dumps(pseudo))
    with pytest.raises(ValueError, match=r'pseudo.json annotation 2 \(image 2\): 6 keypoint '
                                         r'values, expected 9'):
        score_pseudo_label_file(str(tmp_path / 'pseudo.json'), str(tmp_path / 'truth.json'),
                                SIGMAS)
