"""Generate the deterministic synthetic COCO person-keypoint dataset.

Example::

    python tools/make_synthetic.py --out data/synthetic --seed 0 --preview
    python tools/make_synthetic.py --out /tmp/tiny --num-labeled 4 --num-unlabeled 6 \
        --num-val 4 --difficulty hard --knobs noise=2 occluders=0,2
"""
import argparse
import fcntl
import os
import os.path as osp
import re
import time
from dataclasses import replace
from typing import Dict, List, Optional, Sequence, Tuple

from mmdistill.synthetic import PRESETS, Knobs, dataset_is_current, make_knobs, write_dataset


def parse_image_size(values: Sequence[str]) -> Tuple[Tuple[int, int], Tuple[int, int]]:
    """``[S]``, ``[W, H]``; each value ``N`` or ``MIN-MAX``. Returns (width, height) ranges."""
    if len(values) not in (1, 2):
        raise ValueError(f'--image-size: expected 1 or 2 values, got {len(values)}')
    ranges: List[Tuple[int, int]] = []
    for value in values:
        match = re.fullmatch(r'(\d+)(?:-(\d+))?', value)
        if match is None:
            raise ValueError(f'--image-size: expected N or MIN-MAX, got {value!r}')
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        if low > high:
            raise ValueError(f'--image-size: range {value!r} has MIN > MAX')
        ranges.append((low, high))
    return ranges[0], ranges[-1]


def non_negative_int(text: str) -> int:
    """argparse type for image counts."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f'must be >= 0, got {value}')
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description='Generate the synthetic COCO person-keypoint dataset (labeled / unlabeled / '
        'val splits) used by the mmdistill tests, demo and benchmarks.')
    parser.add_argument('--out', required=True, help='output directory')
    parser.add_argument('--seed', type=non_negative_int, default=0, help='dataset seed')
    parser.add_argument('--num-labeled', type=non_negative_int, default=150)
    parser.add_argument('--num-unlabeled', type=non_negative_int, default=600)
    parser.add_argument('--num-val', type=non_negative_int, default=150)
    parser.add_argument(
        '--image-size', nargs='+', metavar='SIZE',
        help='image size: S, or W H; each value N or MIN-MAX (sampled per image). '
        'Default: the preset\'s 192-288 for both sides')
    parser.add_argument('--max-persons', type=int, help='maximum annotated persons per image')
    parser.add_argument('--difficulty', choices=sorted(PRESETS), default='medium',
                        help='knob preset')
    parser.add_argument(
        '--knobs', nargs='+', default=[], metavar='KEY=VALUE',
        help='override preset knobs, e.g. noise=8 occluders=0,2 (ranges MIN,MAX or MIN-MAX); '
        f'keys: {", ".join(Knobs.__dataclass_fields__)}')
    parser.add_argument('--force', action='store_true',
                        help='write the dataset even if OUT already holds it (same generator '
                        'version, seed, knobs and sizes, every image present)')
    parser.add_argument('--preview', action='store_true',
                        help='also save OUT/preview.png (needs mmpose)')
    return parser


def build_knobs(args: argparse.Namespace) -> Knobs:
    """Preset, then --knobs, then the dedicated --image-size/--max-persons options."""
    try:
        knobs = make_knobs(args.difficulty, args.knobs)
    except ValueError as err:
        raise ValueError(f'--knobs: {err}') from None
    if args.image_size:
        width, height = parse_image_size(args.image_size)
        try:
            knobs = replace(knobs, image_width=width, image_height=height)
        except ValueError as err:
            raise ValueError(f'--image-size: {err}') from None
    if args.max_persons is not None:
        if not 1 <= args.max_persons <= 99:
            raise ValueError(f'--max-persons must be in [1, 99], got {args.max_persons}')
        knobs = replace(knobs, persons=(min(knobs.persons[0], args.max_persons),
                                        args.max_persons))
    return knobs


def write_and_report(out: str, sizes: Dict[str, int], seed: int, knobs: Knobs) -> None:
    """Write the dataset and print its per-split statistics."""
    start = time.time()
    stats = write_dataset(out, sizes, seed=seed, knobs=knobs,
                          log=lambda msg: print(f'[make_synthetic] {msg}', flush=True))
    print(f'[make_synthetic] wrote {out} in {time.time() - start:.1f} s')
    print(f'{"split":<10} {"images":>7} {"persons":>8} {"per image":>10} '
          f'{"kpts/person":>12} {"occluded":>9}')
    for split, s in stats.items():
        print(f'{split:<10} {s["images"]:>7} {s["persons"]:>8} {s["persons_per_image"]:>10.2f} '
              f'{s["keypoints_per_person"]:>12.2f} {s["occluded_per_person"]:>9.2f}')


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        knobs = build_knobs(args)
    except ValueError as err:
        parser.error(str(err))
    sizes = dict(labeled=args.num_labeled, unlabeled=args.num_unlabeled, val=args.num_val)
    print(f'[make_synthetic] seed {args.seed}, difficulty {args.difficulty}, knobs {knobs}')
    os.makedirs(args.out, exist_ok=True)
    with open(osp.join(args.out, '.make_synthetic.lock'), 'a') as lock:
        # two runs on one data root: the second waits for the first, then finds its dataset
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not args.force and dataset_is_current(args.out, sizes, args.seed, knobs):
            print(f'[make_synthetic] {args.out} already holds this dataset (generator, seed, '
                  'knobs and sizes match, every image present); nothing written (--force '
                  'rewrites it)')
        else:
            write_and_report(args.out, sizes, args.seed, knobs)
    if args.preview:
        from mmdistill.synthetic.preview import save_preview
        path = save_preview(args.out)
        print(f'[make_synthetic] preview: {path}')


if __name__ == '__main__':
    main()
