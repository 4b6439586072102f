"""Copy a tools/distill.py run's small outputs into benchmarks/results (no checkpoints, no
images, no pseudo-label files): the results table, the driver's log without library warnings,
and per seed its stages.json, pseudo-label quality, the configs that ran, and each arm's metrics
and final val line.

    python benchmarks/archive_run.py SRC_WORK_DIR DEST_DIR [--log RUN.log ...]
"""
import argparse
import glob
import os
import os.path as osp
import shutil

# the lines tools/distill.py prints (stage progress, the table) and the warnings to drop
DRIVER_LINES = ('[distill]', '|', '-', 'pseudo-labels', '{', '}', ' ', '"')
LIBRARY_NOISE = ('Warning', '_bootstrap', 'pkg_resources')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='the tools/distill.py work dir')
    parser.add_argument('dest', help='a folder under benchmarks/results/')
    parser.add_argument('--log', nargs='*', default=[], help="the driver's stdout logs")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    os.makedirs(args.dest, exist_ok=True)
    for name in ('results.md', 'results.json', 'results.csv'):
        if osp.exists(osp.join(args.src, name)):
            shutil.copy(osp.join(args.src, name), args.dest)
    for log in args.log:  # the driver's own log without the library warnings
        kept = [line for line in open(log) if line.startswith(DRIVER_LINES)
                and not any(noise in line for noise in LIBRARY_NOISE)]
        name = 'distill.log' if len(args.log) == 1 else osp.basename(log)[:-4] + '_distill.log'
        with open(osp.join(args.dest, name), 'w') as f:
            f.writelines(kept)
    for seed_dir in sorted(glob.glob(osp.join(args.src, 'seed*'))):
        out = osp.join(args.dest, osp.basename(seed_dir))
        os.makedirs(osp.join(out, 'configs'), exist_ok=True)
        for path in glob.glob(osp.join(seed_dir, '*.json')):
            if not osp.basename(path).startswith('pseudo_labels'):
                shutil.copy(path, out)
        for path in glob.glob(osp.join(seed_dir, 'configs', '*.py')):
            shutil.copy(path, osp.join(out, 'configs'))
        for metrics in sorted(glob.glob(osp.join(seed_dir, '*', 'metrics.json'))):
            arm = osp.basename(osp.dirname(metrics))
            shutil.copy(metrics, osp.join(out, f'{arm}_metrics.json'))
            log = osp.join(seed_dir, 'logs', f'{arm}.log')
            if osp.exists(log):
                with open(osp.join(out, f'{arm}_final_val.log'), 'w') as f:
                    f.writelines(line for line in open(log)
                                 if 'Iter(val) [' in line and 'AP' in line)
    print('archived', args.src, '->', args.dest)


if __name__ == '__main__':
    main()
