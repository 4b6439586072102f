r"""Merge the results of several ``tools/distill.py`` runs into one table.

    python tools/analysis_tools/merge_results.py RUN_A RUN_B --work-dir work_dirs/merged

For seeds trained in different runs (a confirmation seed run later on another machine) or an
arm trained later for seeds that have the others (an oracle run beside an earlier table). Each
RUN is a work dir or its ``results.json``; the merged ``results.{json,csv,md,png}`` go to
``--work-dir`` and the table is printed. An arm that two runs report for the same seed must
have the same metrics in both (e.g. the teacher a later run re-evaluated from the same
checkpoint); otherwise nothing is written and the error names the two runs.
"""
import argparse
import os
import os.path as osp

from mmdistill.utils.results_files import read_results, write_results
from mmdistill.utils.results_table import merge_runs


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('runs', nargs='+', help='work dirs of tools/distill.py (or their '
                        'results.json)')
    parser.add_argument('--work-dir', required=True, help='where the merged results go')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    runs = {run: read_results(run) for run in args.runs}
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
