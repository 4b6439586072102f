"""Sweep the labeled-only schedule: train one config for several lengths, evaluate each (no TTA).

    python benchmarks/teacher_schedule.py --data-root data/synthetic/seed0 --seed 0 \
        --iters 800 1600 3200 --jobs 2 --work-dir work_dirs/teacher_schedule

The best length is the paper's teacher and "best labeled-only" baseline. Each run is one
process with one thread (``--jobs`` of them side by side); LR steps move with the length
(:func:`mmdistill.utils.schedules.iter_schedule`). Prints a table and writes
``WORK_DIR/results.{json,md}``; a finished length is reused on a re-run.
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Dict

from mmengine.config import Config

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)
from mmdistill.utils.config_paths import retarget_data_root  # noqa: E402
from mmdistill.utils.schedules import iter_schedule  # noqa: E402

METRICS = ('keypoints/AP', 'keypoints/AP50', 'keypoints/AP75', 'keypoints/AR', 'bbox/mAP')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Sweep the labeled-only schedule length')
    parser.add_argument('--config', default='configs/synthetic/teacher.py')
    parser.add_argument('--data-root', required=True, help='synthetic data of one seed')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--iters', type=int, nargs='+', default=[800, 1600, 3200])
    parser.add_argument('--jobs', type=int, default=2)
    parser.add_argument('--work-dir', default='work_dirs/teacher_schedule')
    return parser.parse_args()


def run(cmd, log: str) -> float:
    start = time.time()
    with open(log, 'a') as f:
        proc = subprocess.run(cmd, cwd=REPO_ROOT, stdout=f, stderr=subprocess.STDOUT,
                              env=dict(os.environ, OMP_NUM_THREADS='1'))
    if proc.returncode:
        sys.exit(f'{" ".join(cmd)} failed, see {log}')
    return time.time() - start


def write_config(args: argparse.Namespace, iters: int) -> str:
    """The config of one length (written before any job starts: config parsing is not
    thread-safe)."""
    out_dir = osp.abspath(osp.join(args.work_dir, f'iters{iters}'))
    os.makedirs(out_dir, exist_ok=True)
    cfg = Config.fromfile(osp.join(REPO_ROOT, args.config))
    root = osp.abspath(args.data_root) + '/'
    cfg = Config(retarget_data_root(cfg.to_dict(), cfg.data_root, root))
    cfg.merge_from_dict(dict(iter_schedule(iters), randomness=dict(seed=args.seed)))
    config = osp.join(out_dir, 'config.py')
    cfg.dump(config)
    return config


def train_and_test(args: argparse.Namespace, iters: int, config: str) -> Dict:
    out_dir = osp.dirname(config)
    result_file = osp.join(out_dir, 'result.json')
    if osp.exists(result_file):
        with open(result_file) as f:
            return json.load(f)
    print(f'[schedule] {iters} iterations: training (log {out_dir}/train.log)', flush=True)
    resume = ['--resume'] if osp.exists(osp.join(out_dir, 'last_checkpoint')) else []
    seconds = run([sys.executable, 'tools/train.py', config, '--work-dir', out_dir, *resume],
                  osp.join(out_dir, 'train.log'))
    metrics_file = osp.join(out_dir, 'metrics.json')
    run([sys.executable, 'tools/test.py', config, osp.join(out_dir, f'iter_{iters}.pth'),
         '--work-dir', osp.join(out_dir, 'test'), '--out', metrics_file],
        osp.join(out_dir, 'test.log'))
    with open(metrics_file) as f:
        result = dict(iters=iters, train_seconds=seconds, metrics=json.load(f))
    with open(result_file, 'w') as f:
        json.dump(result, f, indent=2)
    print(f'[schedule] {iters} iterations: keypoint AP '
          f'{100 * result["metrics"]["keypoints/AP"]:.1f}', flush=True)
    return result


def main() -> None:
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    configs = [write_config(args, iters) for iters in args.iters]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda n, c: train_and_test(args, n, c), args.iters, configs))
    lines = ['| iterations | ' + ' | '.join(METRICS) + ' | train time (s) |',
             '|---' * (len(METRICS) + 2) + '|']
    for result in results:
        cells = [f"{100 * result['metrics'][m]:.1f}" for m in METRICS]
        lines.append(f"| {result['iters']} | " + ' | '.join(cells) +
                     f" | {result['train_seconds']:.0f} |")
    table = '\n'.join(lines)
    with open(osp.join(args.work_dir, 'results.json'), 'w') as f:
        json.dump(dict(config=args.config, seed=args.seed, data_root=args.data_root,
                       results=results), f, indent=2)
    with open(osp.join(args.work_dir, 'results.md'), 'w') as f:
        f.write(table + '\n')
    print(table)


if __name__ == '__main__':
    main()
