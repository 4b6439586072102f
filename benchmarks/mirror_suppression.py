r"""Would a label-level fix for "one limb labeled twice" pay? Simulated on a pseudo-label file.

    python benchmarks/mirror_suppression.py PSEUDO.json UNLABELED_GT.json --radius 0 0.03 0.06

For each radius r, every kept person whose left and right keypoint of a pair are kept and closer
than r x sqrt(box area) loses the lower-scored one of the two (v = 0): the usual remedy when a
pose model puts both keypoints of a pair on one limb. Each suppressed file is scored against the
truth like ``tools/analysis_tools/pseudo_label_quality.py`` does; radius 0 is the file as it is.
Prints a markdown table (keypoint precision / recall, the left/right swaps by kind). Beyond the
paper, which keeps every keypoint above its calibrated threshold.
"""
import argparse
import json
import os.path as osp
import tempfile
from typing import List, Sequence

import numpy as np

from mmdistill.evaluation.pseudo_label_quality import score_pseudo_label_file
from mmdistill.labeling import flip_indices_from_names


def suppress_mirror_duplicates(keypoints: np.ndarray, scores: Sequence[float],
                               flip: Sequence[int], min_distance: float) -> np.ndarray:
    """(K, 3) COCO keypoints with, for each left/right pair both kept and closer than
    ``min_distance``, the lower-scored one (the left one on a tie) set to v = 0."""
    keypoints = np.array(keypoints, np.float64)
    for left, right in ((a, b) for a, b in enumerate(flip) if b > a):
        if keypoints[left, 2] > 0 and keypoints[right, 2] > 0 and np.linalg.norm(
                keypoints[left, :2] - keypoints[right, :2]) < min_distance:
            keypoints[left if scores[left] <= scores[right] else right, 2] = 0
    return keypoints


def suppressed_file(pseudo: dict, flip: List[int], radius: float) -> dict:
    """A copy of the pseudo-label dict with :func:`suppress_mirror_duplicates` applied to every
    person at ``radius`` x sqrt(its box area)."""
    out = dict(pseudo, annotations=[])
    for ann in pseudo['annotations']:
        kpts = suppress_mirror_duplicates(
            np.reshape(ann['keypoints'], (-1, 3)), ann['keypoint_scores'], flip,
            radius * np.sqrt(ann['bbox'][2] * ann['bbox'][3]))
        out['annotations'].append(dict(ann, keypoints=kpts.ravel().tolist(),
                                       num_keypoints=int((kpts[:, 2] > 0).sum())))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('pseudo_labels')
    parser.add_argument('truth')
    parser.add_argument('--radius', type=float, nargs='+', default=[0.0, 0.03, 0.06, 0.1],
                        help='suppression radius, a fraction of sqrt(box area)')
    args = parser.parse_args()
    with open(args.pseudo_labels) as f:
        pseudo = json.load(f)
    with open(args.truth) as f:
        names = json.load(f)['categories'][0]['keypoints']
    missing = [ann.get('id') for ann in pseudo['annotations'] if 'keypoint_scores' not in ann]
    if missing:
        raise SystemExit(f'{args.pseudo_labels}: annotation id {missing[0]} has no '
                         'keypoint_scores (a tools/pseudo_label.py file has them)')
    flip = flip_indices_from_names(names)
    print('| radius | kept keypoints | precision (%) | where the truth labels (%) | recall (%) '
          '| swaps: on one limb / exchanged / alone |\n|---|---|---|---|---|---|')
    with tempfile.TemporaryDirectory() as tmp:
        for radius in args.radius:
            path = osp.join(tmp, f'suppressed_{radius}.json')
            with open(path, 'w') as f:
                json.dump(suppressed_file(pseudo, flip, radius), f)
            kpts = score_pseudo_label_file(path, args.truth)['keypoints']
            kinds = kpts['left_right_swap_kinds']
            print(f"| {radius:g} | {kpts['kept']} | {100 * kpts['precision']:.1f} | "
                  f"{100 * kpts['precision_where_labeled']:.1f} | {100 * kpts['recall']:.1f} | "
                  f"{kinds['on_one_limb']} / {kinds['pair_exchanged']} / {kinds['alone']} |")


if __name__ == '__main__':
    main()
