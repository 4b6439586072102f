"""Benchmark tools/pseudo_label.py: time per image and peak memory by number of views, peak
memory by number of images (it must not grow: results stream to shards), and pseudo-label
quality (keypoint AP of all TTA predictions against the hidden ground truth of the unlabeled
split) for 1 view, 1 view + flip and the config's views. Prints tables.

    python benchmarks/pseudo_label_speed.py configs/synthetic/pseudo_label.py TEACHER.pth \
        --data-root data/synthetic/ [--speed-images 8] [--memory-images 200 2000] \
        [--views single flip config paper18]

Each measurement runs the real tool (``Runner.test`` with ``PseudoLabelHook``) in a fresh
process (one thread), so its peak RSS is its own. The memory runs list the unlabeled images
cyclically under new ids (no new data needed) and use one view. Needs
``annotations/unlabeled_gt.json`` (the synthetic generator's) for AP. A table without rows
(e.g. with an empty ``--quality-views``) is not printed.
"""
import argparse
import json
import os
import os.path as osp
import re
import subprocess
import sys
import tempfile
from typing import Dict, List, Sequence

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)
from mmdistill.engine.pseudo_label_hook import seconds_per_image  # noqa: E402
from mmdistill.models.tta.views import keypoint_rcnn_views  # noqa: E402
# views: short sides (None = --base-scale) and flip; None = the config's own tta_pipeline
VIEWS = dict(
    single=([None], False),
    flip=([None], True),
    config=None,
    paper18=(list(range(400, 1201, 100)), True))
RUN = ('import atexit, resource, runpy, sys; atexit.register(lambda: print("MAXRSS_KB", '
       'resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)); '
       'sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__")')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Benchmark pseudo-labeling')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--data-root', default='data/synthetic/')
    parser.add_argument('--base-scale', type=int, default=160, help='short side of 1 view')
    parser.add_argument('--max-size', type=int, default=2000, help='long-side cap of views')
    parser.add_argument('--speed-images', type=int, default=8)
    parser.add_argument('--memory-images', type=int, nargs='*', default=[200, 2000])
    parser.add_argument('--views', nargs='+', default=['single', 'flip', 'config', 'paper18'],
                        choices=list(VIEWS))
    parser.add_argument('--quality-views', nargs='*', default=['single', 'flip', 'config'],
                        choices=list(VIEWS))
    parser.add_argument('--quality-images', type=int, default=None,
                        help='evaluate on the first N unlabeled images (default: all)')
    parser.add_argument('--work-dir', default=None)
    return parser.parse_args()


def view_config(base: str, name: str, base_scale: int, max_size: int, folder: str) -> str:
    """A config inheriting ``base`` with the views ``name`` (the base itself for 'config')."""
    if VIEWS[name] is None:
        return base
    scales, flip = VIEWS[name]
    pipeline = keypoint_rcnn_views([base_scale if s is None else s for s in scales], flip,
                                   max_size)
    path = osp.join(folder, f'views_{name}.py')
    with open(path, 'w') as f:
        f.write(f'_base_ = [{osp.abspath(base)!r}]\n'
                f'tta_model = dict(base_scale={base_scale})\n'
                f'tta_pipeline = {pipeline!r}\n')
    return path


def cyclic_images(info_file: str, num: int, out: str, keep_ids: bool = False) -> str:
    """An image-info file of ``num`` images cycling over those of ``info_file`` (under new ids
    unless ``keep_ids``, which needs ``num`` <= their number)."""
    with open(info_file) as f:
        images = json.load(f)['images']
    cycled = [dict(images[i % len(images)], **({} if keep_ids else dict(id=i + 1)))
              for i in range(num)]
    with open(out, 'w') as f:
        json.dump(dict(images=cycled), f)
    return out


def run_tool(config: str, checkpoint: str, out: str, unlabeled: str, labeled: str,
             img_prefix: str) -> Dict[str, float]:
    """Run tools/pseudo_label.py; its time per image (s) and peak RSS (MB)."""
    cmd = [sys.executable, '-c', RUN, 'tools/pseudo_label.py', config, checkpoint, '--out', out,
           '--unlabeled', unlabeled, '--labeled', labeled,
           '--cfg-options', f'pseudo_label.img_prefix={img_prefix}']
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', PYTHONWARNINGS='ignore')
    proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    if proc.returncode:
        raise RuntimeError(f'{" ".join(cmd)} failed:\n{output[-3000:]}')
    return dict(seconds_per_image=seconds_per_image(output),
                peak_mb=int(re.search(r'MAXRSS_KB (\d+)', output)[1]) / 1024)


def keypoint_ap(shard_dir: str, gt_file: str) -> float:
    """COCO keypoint AP of every TTA prediction (the shards: before any threshold)."""
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    from mmdistill.labeling import keypoints_to_coco
    from mmdistill.labeling.shards import iter_merged
    results = [
        dict(image_id=r['id'], category_id=1, score=p['score'],
             keypoints=keypoints_to_coco(p['keypoints'], [1.0] * len(p['keypoints'])))
        for r in iter_merged(shard_dir) for p in r['persons']]
    gt = COCO(gt_file)
    evaluator = COCOeval(gt, gt.loadRes(results), 'keypoints')
    evaluator.params.imgIds = [r['id'] for r in iter_merged(shard_dir)]
    evaluator.evaluate()
    evaluator.accumulate()
    evaluator.summarize()
    return float(evaluator.stats[0])


def table(title: str, header: Sequence[str], rows: List[Sequence]) -> None:
    if not rows:
        return
    print(f'\n{title}\n| ' + ' | '.join(header) + ' |\n|' + '---|' * len(header))
    for row in rows:
        print('| ' + ' | '.join(str(v) for v in row) + ' |')


def main() -> None:
    args = parse_args()
    work_dir = args.work_dir or tempfile.mkdtemp(prefix='pseudo_label_bench_')
    os.makedirs(work_dir, exist_ok=True)
    ann = osp.join(args.data_root, 'annotations')
    labeled, unlabeled = osp.join(ann, 'labeled.json'), osp.join(ann, 'unlabeled_images.json')
    img_prefix = osp.abspath(osp.join(args.data_root, 'images'))
    configs = {name: view_config(args.config, name, args.base_scale, args.max_size, work_dir)
               for name in set(args.views + args.quality_views)}

    speed_images = cyclic_images(unlabeled, args.speed_images,
                                 osp.join(work_dir, f'images_{args.speed_images}.json'))
    rows = []
    for name in args.views:
        stats = run_tool(configs[name], args.checkpoint, osp.join(work_dir, f'speed_{name}.json'),
                         speed_images, labeled, img_prefix)
        rows.append([name, f'{stats["seconds_per_image"]:.3f}', f'{stats["peak_mb"]:.0f}'])
        print(rows[-1], flush=True)
    table(f'Time per image ({args.speed_images} images, 1 CPU thread)',
          ['views', 's / image', 'peak RSS (MB)'], rows)

    rows = []
    for num in args.memory_images:
        images = cyclic_images(unlabeled, num, osp.join(work_dir, f'images_{num}.json'))
        stats = run_tool(configs['single'] if 'single' in configs else args.config,
                         args.checkpoint, osp.join(work_dir, f'memory_{num}.json'), images,
                         labeled, img_prefix)
        rows.append([num, f'{stats["peak_mb"]:.0f}', f'{stats["seconds_per_image"]:.3f}'])
        print(rows[-1], flush=True)
    table('Peak memory by number of images (1 view)', ['images', 'peak RSS (MB)', 's / image'],
          rows)

    rows = []
    gt_file = osp.join(ann, 'unlabeled_gt.json')
    if args.quality_images:
        unlabeled = cyclic_images(unlabeled, args.quality_images,
                                  osp.join(work_dir, 'quality_images.json'), keep_ids=True)
    for name in args.quality_views:
        out = osp.join(work_dir, f'quality_{name}.json')
        run_tool(configs[name], args.checkpoint, out, unlabeled, labeled, img_prefix)
        rows.append([name, f'{100 * keypoint_ap(out + ".shards", gt_file):.1f}'])
        print(rows[-1], flush=True)
    table('Pseudo-label quality: keypoint AP of the TTA predictions vs the unlabeled GT',
          ['views', 'AP'], rows)


if __name__ == '__main__':
    main()
