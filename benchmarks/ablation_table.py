"""The ablation table of a screen: each ablation's student against the same-recipe control.

    python benchmarks/ablation_table.py work_dirs/distill_synthetic \
        kpt-thr-0.2=work_dirs/screen/kpt-thr-0.2 weak-aug=work_dirs/screen/weak-aug

The first argument is a default ``tools/distill.py`` run; every other one is ``NAME=WORK_DIR``
of a run with one changed config. A run without its own control (``--skip-arms control``, fine
when its student recipe is the default's, e.g. a pseudo-label ablation) is compared with the
default run's control of the same seed. Keypoint AP in %, mean over the seeds.
"""
import argparse
import json
import os.path as osp
import sys

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)
from mmdistill.utils.results_table import ablation_rows  # noqa: E402


def load(work_dir: str) -> dict:
    path = osp.join(work_dir, 'results.json')
    if not osp.isfile(path):
        sys.exit(f'error: {path} not found (run tools/distill.py with --work-dir {work_dir})')
    with open(path) as f:
        return json.load(f)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('default', help='work dir of the default tools/distill.py run')
    parser.add_argument('ablations', nargs='*', help='NAME=WORK_DIR of each ablation run')
    args = parser.parse_args()
    ablations = {}
    for item in args.ablations:
        name, sep, work_dir = item.partition('=')
        if not sep:
            sys.exit(f'error: expected NAME=WORK_DIR, got {item}')
        ablations[name] = load(work_dir)

    def pct(value, sign=''):
        return '–' if value is None else f'{100 * value:{sign}.1f}'

    print('| run | seeds | student | control | student - control | pseudo-label AP |')
    print('|---|---|---|---|---|---|')
    for row in ablation_rows(load(args.default), ablations):
        print(f"| {row['name']} | {row['seeds']} | {pct(row['student'])} | "
              f"{pct(row['control'])} | {pct(row['difference'], '+')} | "
              f"{pct(row['pseudo_label_ap'])} |")


if __name__ == '__main__':
    main()
