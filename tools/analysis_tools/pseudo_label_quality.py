r"""Score a pseudo-label file against the ground truth of the same images (synthetic data).

    python tools/analysis_tools/pseudo_label_quality.py PSEUDO.json \
        data/synthetic/annotations/unlabeled_gt.json

Prints the keypoint AP of the pseudo-labels scored as detections, person and keypoint precision
and recall, the median keypoint offset, why kept keypoints are wrong (the truth does not label
them, left/right swapped, on another person, elsewhere; the swaps by what their mirror does),
and keypoint precision per teacher-confidence bin.
"""
import argparse
import json
import os.path as osp

from mmdistill.evaluation.pseudo_label_quality import score_pseudo_label_file


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('pseudo_labels', help='pseudo-label file (tools/pseudo_label.py --out)')
    parser.add_argument('truth', help='COCO keypoint file with the true labels of those images')
    parser.add_argument('--out', help='also save the scores as JSON here')
    parser.add_argument('--sigmas', type=float, nargs='+',
                        help="OKS sigma per keypoint (default: COCO's 17)")
    return parser.parse_args()


def _pct(value) -> str:
    return '–' if value is None else f'{100 * value:.1f}'


def main() -> None:
    args = parse_args()
    for path in (args.pseudo_labels, args.truth):
        if not osp.isfile(path):
            raise SystemExit(f'pseudo_label_quality: no such file: {path}')
    try:
        quality = score_pseudo_label_file(args.pseudo_labels, args.truth, args.sigmas)
    except ValueError as error:
        raise SystemExit(f'pseudo_label_quality: {error}')
    ap, persons, kpts = quality['keypoint_ap'], quality['persons'], quality['keypoints']
    print(f"keypoint AP {_pct(ap['AP'])}  AP50 {_pct(ap['AP50'])}  AP75 {_pct(ap['AP75'])}  "
          f"AR {_pct(ap['AR'])}")
    print(f"persons: {persons['pseudo']} pseudo / {persons['truth']} true, "
          f"precision {_pct(persons['precision'])} %, recall {_pct(persons['recall'])} %")
    offset = kpts['offset'] or [float('nan')] * 2
    print(f"keypoints of matched persons: precision {_pct(kpts['precision'])} %, recall "
          f"{_pct(kpts['recall'])} %, median offset ({offset[0]:+.2f}, {offset[1]:+.2f}) px")
    errors = {kind: '–' if n is None else n for kind, n in kpts['errors'].items()}
    print(f"kept keypoints not correct: {errors['unlabeled_in_truth']} the truth does not label "
          f"(the metric ignores them), {errors['left_right_swap']} on their left/right mirror, "
          f"{errors['on_another_person']} on another person, {errors['mislocated']} elsewhere; "
          f"precision where the truth labels: {_pct(kpts['precision_where_labeled'])} %")
    if kpts['left_right_swap_kinds']:
        kinds = kpts['left_right_swap_kinds']
        print(f"left/right swaps: {kinds['on_one_limb']} beside their correct mirror (one limb "
              f"labeled twice), {kinds['pair_exchanged']} in exchanged pairs, {kinds['alone']} "
              "alone")
    if quality['by_keypoint_score']:
        print('| keypoint score | kept | precision (%) |\n|---|---|---|')
        for row in quality['by_keypoint_score']:
            print(f"| {row['low']:.2f}–{row['high']:.2f} | {row['kept']} | "
                  f"{_pct(row['precision'])} |")
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(quality, f, indent=2)


if __name__ == '__main__':
    main()
