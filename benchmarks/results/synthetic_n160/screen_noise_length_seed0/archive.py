"""Copy a screen run's small outputs into benchmarks/results (no checkpoints, no images).

    python archive.py SRC_WORK_DIR DEST_DIR [--log RUN.log]
"""
import argparse
import glob
import os
import os.path as osp
import shutil

parser = argparse.ArgumentParser()
parser.add_argument('src')
parser.add_argument('dest')
parser.add_argument('--log', nargs='*', default=[])
args = parser.parse_args()
os.makedirs(args.dest, exist_ok=True)
for name in ('results.md', 'results.json', 'results.csv'):
    if osp.exists(osp.join(args.src, name)):
        shutil.copy(osp.join(args.src, name), args.dest)
for log in args.log:  # the driver's own log without the library warnings
    lines = [line for line in open(log) if line.startswith(('[distill]', '|', '-', 'pseudo-labels',
                                                             '{', '}', ' ', '"'))
             and 'Warning' not in line and '_bootstrap' not in line and 'pkg_resources' not in line]
    with open(osp.join(args.dest, osp.basename(log).replace('.log', '') + '_distill.log'
                       if len(args.log) > 1 else 'distill.log'), 'w') as f:
        f.writelines(lines)
for seed_dir in sorted(glob.glob(osp.join(args.src, 'seed*'))):
    out = osp.join(args.dest, osp.basename(seed_dir))
    os.makedirs(osp.join(out, 'configs'), exist_ok=True)
    for path in glob.glob(osp.join(seed_dir, '*.json')):
        if not osp.basename(path).startswith('pseudo_labels'):
            shutil.copy(path, out)
    for path in glob.glob(osp.join(seed_dir, 'configs', '*.py')):
        shutil.copy(path, osp.join(out, 'configs'))
    for arm in ('student', 'control', 'oracle', 'student_r2'):
        metrics = osp.join(seed_dir, arm, 'metrics.json')
        if osp.exists(metrics):
            shutil.copy(metrics, osp.join(out, f'{arm}_metrics.json'))
        log = osp.join(seed_dir, 'logs', f'{arm}.log')
        if osp.exists(log):
            with open(osp.join(out, f'{arm}_final_val.log'), 'w') as f:
                f.writelines(line for line in open(log) if 'Iter(val) [' in line and 'AP' in line)
print('archived', args.src, '->', args.dest)
