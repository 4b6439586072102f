"""Which test-time views are worth their cost: keypoint AP of one checkpoint on the val split
under several view sets (``tools/test.py --tta``), with seconds per image.

    python benchmarks/view_table.py configs/synthetic/teacher.py TEACHER.pth \
        --data-root data/synthetic/seed0 --base-scale 160 --work-dir work_dirs/view_table

View sets (short sides as multiples of ``--base-scale``, the plain test scale): ``single``
(1 view, no TTA path), ``flip``, ``s3-narrow`` (0.8/1/1.2 x flip), ``s3`` (0.5/1/1.5 x flip),
``s5`` (0.5..1.5 x flip), ``s9`` (0.5..1.5 in 9 steps x flip). Each runs in its own process on
one thread. Prints a markdown table and writes ``WORK_DIR/results.{json,md}``.
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import Dict, List, Optional

from mmengine.config import Config

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)
from mmdistill.models.tta.views import keypoint_rcnn_views  # noqa: E402
from mmdistill.utils.config_paths import retarget_data_root  # noqa: E402
from benchmarks.tables import markdown_table, run_logged, write_results  # noqa: E402

# name -> (scale factors relative to the base scale, flip); None: plain test without --tta
VIEW_SETS = {
    'single': None,
    'flip': ([1.0], True),
    's3-narrow': ([0.8, 1.0, 1.2], True),
    's3': ([0.5, 1.0, 1.5], True),
    's5': ([0.5, 0.75, 1.0, 1.25, 1.5], True),
    's9': ([0.5 + 0.125 * i for i in range(9)], True),
}
METRICS = ('keypoints/AP', 'keypoints/AP50', 'keypoints/AP75', 'keypoints/AR', 'bbox/mAP')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Keypoint AP by test-time views')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--data-root', help='retarget the config to this synthetic data root')
    parser.add_argument('--base-scale', type=int, default=160)
    parser.add_argument('--views', nargs='+', default=list(VIEW_SETS), choices=list(VIEW_SETS))
    parser.add_argument('--work-dir', default='work_dirs/view_table')
    return parser.parse_args()


def view_config(args: argparse.Namespace, name: str) -> str:
    """The config with this view set as its ``tta_pipeline`` (data retargeted)."""
    cfg = Config.fromfile(args.config)
    if args.data_root:
        cfg = Config(retarget_data_root(cfg.to_dict(), cfg.data_root,
                                        osp.abspath(args.data_root) + '/'))
    if VIEW_SETS[name] is not None:
        factors, flip = VIEW_SETS[name]
        scales = [round(args.base_scale * f) for f in factors]
        cfg.tta_pipeline = keypoint_rcnn_views(scales, flip)
        cfg.tta_model = dict(cfg.get('tta_model', {}), base_scale=args.base_scale)
    path = osp.join(osp.abspath(args.work_dir), name, 'config.py')
    os.makedirs(osp.dirname(path), exist_ok=True)
    cfg.dump(path)
    return path


def evaluate(args: argparse.Namespace, name: str, config: str) -> Dict:
    out_dir = osp.dirname(config)
    metrics_file = osp.join(out_dir, 'metrics.json')
    cmd = [sys.executable, 'tools/test.py', config, osp.abspath(args.checkpoint), '--work-dir',
           out_dir, '--out', metrics_file]
    if VIEW_SETS[name] is not None:
        cmd.append('--tta')
    seconds = run_logged(cmd, osp.join(out_dir, 'test.log'))
    with open(metrics_file) as f:
        metrics = json.load(f)
    return dict(views=name, seconds=seconds, metrics=metrics)


def markdown(rows: List[Dict], num_images: Optional[int]) -> str:
    header = ['views', *METRICS, 'wall s / image (with start-up)' if num_images else 'wall s']
    return markdown_table(header, [
        [row['views'], *(f"{100 * row['metrics'][m]:.1f}" for m in METRICS),
         f"{row['seconds'] / num_images if num_images else row['seconds']:.2f}"]
        for row in rows])


def main() -> None:
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    configs = {name: view_config(args, name) for name in args.views}
    rows = []
    for name in args.views:
        rows.append(evaluate(args, name, configs[name]))
        print(f"[views] {name}: keypoint AP {100 * rows[-1]['metrics']['keypoints/AP']:.1f} "
              f"({rows[-1]['seconds']:.0f} s)", flush=True)
    ann_file = Config.fromfile(configs[args.views[0]]).test_evaluator.ann_file
    with open(ann_file) as f:
        num_images = len(json.load(f)['images'])
    table = markdown(rows, num_images)
    write_results(args.work_dir, table,
                  dict(config=args.config, checkpoint=args.checkpoint, rows=rows))
    print(table)


if __name__ == '__main__':
    main()
