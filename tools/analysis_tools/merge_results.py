r"""Merge the results of several ``tools/distill.py`` runs into one table.

    python tools/analysis_tools/merge_results.py RUN_A RUN_B --work-dir work_dirs/merged
    python tools/analysis_tools/merge_results.py RUN_A --arm 0 oracle oracle_seed0.json ...

For seeds trained in different runs (a confirmation seed run later on another machine) or an
arm trained later for seeds that have the others (an oracle run beside an earlier table). Each
RUN is a work dir or its ``results.json``; the merged ``results.{json,csv,md,png}`` go to
``--work-dir`` and the table is printed. An arm that two runs report for the same seed must
have the same metrics in both (e.g. the teacher a later run re-evaluated from the same
checkpoint); otherwise nothing is written and the error names the two runs. ``--arm SEED ARM
METRICS`` adds an arm trained and tested on its own (``tools/test.py CONFIG CKPT --out
METRICS``), under the same rule.
"""
import argparse
import os
import os.path as osp

from mmdistill.utils.results_files import read_arm_metrics, read_results, write_results
from mmdistill.utils.results_table import merge_runs


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('runs', nargs='*', help='work dirs of tools/distill.py (or their '
                        'results.json)')
    parser.add_argument('--arm', nargs=3, action='append', default=[],
                        metavar=('SEED', 'ARM', 'METRICS'),
                        help='an arm of a seed from its tools/test.py --out file (repeatable)')
    parser.add_argument('--work-dir', required=True, help='where the merged results go')
    args = parser.parse_args()
    if not args.runs and not args.arm:
        parser.error('nothing to merge: give runs and/or --arm')
    for seed, _, _ in args.arm:
        if not seed.isdigit():
            parser.error(f'--arm: seed must be a non-negative integer, got {seed!r}')
    return args


def main() -> None:
    args = parse_args()
    try:
        runs = {run: read_results(run) for run in args.runs}
        for seed, arm, path in args.arm:
            runs[f'{path} (seed {seed} {arm})'] = dict(
                per_seed={seed: {arm: read_arm_metrics(path)}})
    except (OSError, ValueError) as error:
        raise SystemExit(f'merge_results: {error}') from None
    try:
        per_seed, seconds, pseudo_labels = merge_runs(runs)
    except ValueError as error:
        raise SystemExit(f'merge_results: {error}') from None
    os.makedirs(args.work_dir, exist_ok=True)
    print(write_results(args.work_dir, per_seed, seconds, pseudo_labels))
    print(f'[merge_results] seeds {sorted(per_seed)} from {len(runs)} runs; results in '
          f'{osp.abspath(args.work_dir)}/results.{{md,json,csv,png}}')


if __name__ == '__main__':
    main()
