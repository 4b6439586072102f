"""Threshold calibration hits its targets (mmdistill.labeling.selection)."""
import numpy as np
import pytest

from mmdistill.labeling.selection import (calibrate_kpt_thr, calibrate_score_thr,
                                          calibrate_threshold, choose_threshold, keep_persons,
                                          keypoint_visibility, labeled_statistics)


def _labeled() -> dict:
    def ann(num_labeled: int, crowd: int = 0) -> dict:
        return dict(iscrowd=crowd,
                    keypoints=[1, 1, 2] * num_labeled + [0, 0, 0] * (5 - num_labeled))
    return dict(images=[{}, {}, {}, {}],
                annotations=[ann(5), ann(3), ann(1), ann(0), ann(4, crowd=1), ann(3)])


def test_labeled_statistics():
    # one population: the 5 non-crowd persons, also the one without keypoints
    assert labeled_statistics(_labeled()) == dict(
        persons_per_image=5 / 4,  # the crowd region does not count
        keypoints_per_person=12 / 5,  # (5 + 3 + 1 + 0 + 3) / 5
        keypoints_per_image=12 / 4)


@pytest.mark.parametrize('targets', [
    dict(persons_per_image=1.5, keypoints_per_person=3.2, keypoints_per_image=4.8),
    # from a file with persons without keypoints and crowd regions: 1.5 and 2.4
    labeled_statistics(dict(images=[{}] * 10, annotations=_labeled()['annotations'] * 3)),
])
def test_calibrated_thresholds_hit_the_targets(targets):
    rng = np.random.default_rng(0)
    num_images, num_kpts = 40, 5
    person_scores = [rng.random(rng.integers(0, 8)) for _ in range(num_images)]
    kpt_scores = [rng.random((len(s), num_kpts)) for s in person_scores]

    score_thr = calibrate_score_thr(np.concatenate(person_scores), num_images,
                                    targets['persons_per_image'])
    kept_kpts = np.concatenate([k[s >= score_thr] for s, k in zip(person_scores, kpt_scores)])
    kpt_thr = calibrate_kpt_thr(kept_kpts, targets['keypoints_per_person'])
    kept = [keep_persons(s, score_thr) for s in person_scores]
    num_persons = sum(int(k.sum()) for k in kept)
    num_keypoints = sum(int((keypoint_visibility(k[m], kpt_thr) > 0).sum())
                        for k, m in zip(kpt_scores, kept))
    assert num_persons / num_images == targets['persons_per_image']
    assert num_keypoints / num_persons == targets['keypoints_per_person']
    assert num_keypoints / num_images == pytest.approx(targets['keypoints_per_image'])


def test_calibrate_threshold_edge_cases():
    scores = np.array([0.9, 0.5, 0.5, 0.1])
    assert calibrate_threshold(scores, 1) == 0.9
    assert calibrate_threshold(scores, 2) == 0.5  # ties are all kept
    assert calibrate_threshold(scores, 10) == 0.1  # more than there are: keep all
    assert (scores >= calibrate_threshold(scores, 0)).sum() == 0
    assert calibrate_threshold(np.array([]), 0) == float('inf')
    assert calibrate_threshold(np.array([]), 3) == float('inf')


def test_choose_threshold():
    assert choose_threshold(0.3, None, 'person') == dict(value=0.3, how='fixed')
    assert choose_threshold(None, lambda: 0.7, 'person') == dict(value=0.7, how='calibrated')
    with pytest.raises(ValueError, match='keypoint'):
        choose_threshold(None, None, 'keypoint')


def test_keypoint_visibility():
    assert keypoint_visibility(np.array([0.1, 0.5, 0.9]), 0.5).tolist() == [0, 2, 2]
