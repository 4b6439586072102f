"""Which test-time views of a top-down pose model are worth their cost as a teacher: its
pseudo-labels of the unlabeled split under several view sets (``TopdownPoseTTAModel`` crop
paddings x flip), scored against the hidden truth, on the same person boxes for every view set.

    python benchmarks/topdown_view_table.py POSE.pth --detector configs/synthetic/teacher.py \
        DET.pth --data-root data/synthetic/seed0 --work-dir work_dirs/topdown_view_table
    python benchmarks/topdown_view_table.py POSE.pth --bbox-file boxes.json \
        --data-root data/synthetic/seed0 --work-dir work_dirs/topdown_view_table

The boxes are computed once: ``--detector`` runs ``tools/detect_persons.py`` over the unlabeled
images into ``WORK_DIR/person_boxes.json`` (reused if there), or ``--bbox-file`` gives them.
Each view set then runs ``tools/pseudo_label.py CONFIG POSE.pth --bbox-file BOXES --out
WORK_DIR/<views>/pseudo_labels.json --cfg-options tta_model.paddings=(...) tta_model.flips=(...)``
in its own process on one thread. View sets (paddings, the first the base crop frame, each
without / with flip): ``single`` (1.25, no flip), ``flip`` (1.25 x flip), ``p3`` (1.25/1.0/1.5 x
flip, the config's), ``p5`` (1.25/1.0/1.125/1.375/1.5 x flip).

Scoring is that of ``tools/distill.py``'s ``pseudo_label_quality.json``
(``score_pseudo_label_file``): the file as the student gets it, i.e. with the thresholds
calibrated to the labeled set's persons per image and keypoints per person, each view set
calibrating its own. The keypoint AP of the pseudo-labels as detections, persons (box IoU >= 0.5)
and keypoints (OKS term >= 0.5 on matched persons) precision/recall, plus the keypoint AP of all
predictions before the thresholds (the shards, as ``benchmarks/pseudo_label_speed.py`` scores
them). Times: the labeling loop's seconds per image (the tool's log) and the process's wall
seconds per image with start-up. ``--data-root`` retargets the configs to that synthetic data
root (as ``tools/distill.py`` does per seed); the truth is its ``annotations/unlabeled_gt.json``.
A view set whose ``WORK_DIR/<views>/row.json`` exists is reused. Prints a markdown table and
writes ``WORK_DIR/results.{json,md}``.
"""
import argparse
import contextlib
import io
import json
import os
import os.path as osp
import shlex
import sys
from typing import Dict, List, Optional, Sequence

from mmengine.config import Config

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)
from mmdistill.engine.pseudo_label_hook import seconds_per_image  # noqa: E402
from mmdistill.evaluation.pseudo_label_quality import score_pseudo_label_file  # noqa: E402
from mmdistill.labeling.pseudo_label_file import file_sha256  # noqa: E402
from mmdistill.utils.config_paths import retarget_data_root  # noqa: E402
from benchmarks.pseudo_label_speed import keypoint_ap  # noqa: E402
from benchmarks.tables import markdown_table, run_logged, write_results  # noqa: E402

DEFAULT_CONFIG = 'configs/topdown/td-hm_res18_synthetic-96x96_pseudo-label.py'
# name -> (crop paddings, the first the base frame; flip states run for every padding)
VIEW_SETS = {
    'single': ((1.25, ), (False, )),
    'flip': ((1.25, ), (False, True)),
    'p3': ((1.25, 1.0, 1.5), (False, True)),
    'p5': ((1.25, 1.0, 1.125, 1.375, 1.5), (False, True)),
}
# (quality key, entry, column)
QUALITY_COLUMNS = (('keypoint_ap', 'AP', 'AP'), ('keypoint_ap', 'AP50', 'AP50'),
                   ('keypoint_ap', 'AP75', 'AP75'), ('keypoint_ap', 'AR', 'AR'),
                   ('persons', 'precision', 'persons P'), ('persons', 'recall', 'persons R'),
                   ('keypoints', 'precision', 'keypoints P'),
                   ('keypoints', 'recall', 'keypoints R'))


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Top-down pseudo-label quality by test-time views')
    parser.add_argument('checkpoint', help='the pose model (top-down teacher) checkpoint')
    parser.add_argument('--config', default=DEFAULT_CONFIG, help='pseudo-label config of the '
                        'pose model (tta_model TopdownPoseTTAModel)')
    boxes = parser.add_mutually_exclusive_group(required=True)
    boxes.add_argument('--detector', nargs=2, metavar=('DET_CONFIG', 'DET_CHECKPOINT'),
                       help='compute the person boxes once with this mmdet detector')
    boxes.add_argument('--bbox-file', help='person boxes made already (mmpose bbox_file)')
    parser.add_argument('--data-root', help='retarget the configs to this synthetic data root')
    parser.add_argument('--truth', help='COCO keypoint file with the truth of the unlabeled '
                        'images (default: the data root\'s annotations/unlabeled_gt.json)')
    parser.add_argument('--views', nargs='+', default=list(VIEW_SETS), choices=list(VIEW_SETS))
    parser.add_argument('--work-dir', default='work_dirs/topdown_view_table')
    return parser.parse_args(argv)


def _tuple(values: Sequence) -> str:
    """A tuple as mmengine's ``--cfg-options`` parses it (the trailing comma keeps 1 item)."""
    return '(' + ','.join(str(value) for value in values) + ',)'


def view_options(name: str) -> List[str]:
    """The ``--cfg-options`` of ``tools/pseudo_label.py`` that select the view set ``name``."""
    paddings, flips = VIEW_SETS[name]
    return [f'tta_model.paddings={_tuple(paddings)}', f'tta_model.flips={_tuple(flips)}']


def num_views(name: str) -> int:
    """Crops the pose model runs per person box."""
    paddings, flips = VIEW_SETS[name]
    return len(paddings) * len(flips)


def retargeted(config: str, data_root: Optional[str], path: str) -> str:
    """``config`` moved to ``data_root`` (written to ``path``), as tools/distill.py writes its
    per-seed configs; the config itself without a data root."""
    if not data_root:
        return config
    cfg = Config.fromfile(config)
    cfg = Config(retarget_data_root(cfg.to_dict(), cfg.data_root, osp.abspath(data_root) + '/'))
    os.makedirs(osp.dirname(path), exist_ok=True)
    cfg.dump(path)
    return path


def person_boxes(args: argparse.Namespace, pose_cfg: Config, commands: List[List[str]]) -> Dict:
    """The fixed person boxes of every view set: ``--bbox-file``, or the detector's, made once."""
    if args.bbox_file:
        return dict(bbox_file=osp.abspath(args.bbox_file), seconds=None)
    out = osp.join(osp.abspath(args.work_dir), 'person_boxes.json')
    det_config = retargeted(args.detector[0], args.data_root,
                            osp.join(args.work_dir, 'configs', 'detector.py'))
    settings = pose_cfg.pseudo_label
    cmd = [sys.executable, 'tools/detect_persons.py', det_config, osp.abspath(args.detector[1]),
           '--images', settings.unlabeled, '--img-prefix', settings.get('img_prefix', ''),
           '--out', out, '--person-label', str(settings.get('person_label', 0)),
           '--work-dir', osp.join(osp.abspath(args.work_dir), 'detector')]
    commands.append(cmd)
    seconds = None
    if osp.isfile(out):
        print(f'[views] reusing the person boxes {out}', flush=True)
    else:
        seconds = run_logged(cmd, osp.join(args.work_dir, 'detect_persons.log'))
        print(f'[views] person boxes: {seconds:.0f} s', flush=True)
    return dict(bbox_file=out, detector_config=det_config,
                detector_checkpoint=osp.abspath(args.detector[1]), seconds=seconds)


def label_and_score(args: argparse.Namespace, name: str, config: str, bbox_file: str,
                    truth: str, commands: List[List[str]]) -> Dict:
    """Pseudo-label under view set ``name`` and score the file (reusing an earlier row)."""
    out_dir = osp.join(osp.abspath(args.work_dir), name)
    out = osp.join(out_dir, 'pseudo_labels.json')
    cmd = [sys.executable, 'tools/pseudo_label.py', config, osp.abspath(args.checkpoint),
           '--bbox-file', bbox_file, '--out', out, '--cfg-options', *view_options(name)]
    commands.append(cmd)
    row_file = osp.join(out_dir, 'row.json')
    if osp.isfile(row_file):
        with open(row_file) as f:
            return dict(json.load(f), reused=True)
    log = osp.join(out_dir, 'pseudo_label.log')
    seconds = run_logged(cmd, log)
    with open(out) as f:
        info = json.load(f)['info']
    paddings, flips = VIEW_SETS[name]
    ran = (tuple(info['tta_model']['paddings']), tuple(info['tta_model']['flips']))
    if ran != (paddings, flips):  # the options did not reach the model
        sys.exit(f'{name}: {out} was made with paddings x flips {ran}, not {(paddings, flips)}')
    quality = score_pseudo_label_file(out, truth)
    with open(osp.join(out_dir, 'pseudo_label_quality.json'), 'w') as f:
        json.dump(quality, f, indent=2)
    with contextlib.redirect_stdout(io.StringIO()):  # COCOeval's summary
        ap_all = keypoint_ap(out + '.shards', truth)
    with open(log) as f:
        loop_seconds = seconds_per_image(f.read())
    row = dict(views=name, paddings=list(paddings), flips=list(flips), crops=num_views(name),
               num_images=info['counts']['images'], seconds=seconds,
               loop_seconds_per_image=loop_seconds,
               thresholds=info['thresholds'], counts=info['counts'], quality=quality,
               ap_before_thresholds=ap_all)
    with open(row_file, 'w') as f:
        json.dump(row, f, indent=2)
    return row


def markdown(rows: List[Dict]) -> str:
    header = ['views', 'crops / box', *(column for _, _, column in QUALITY_COLUMNS),
              'AP before thresholds', 's / image (labeling loop)',
              'wall s / image (with start-up)']

    def pct(value: Optional[float]) -> str:
        return '–' if value is None else f'{100 * value:.1f}'

    return markdown_table(header, [
        [row['views'], row['crops'],
         *(pct(row['quality'][key][entry]) for key, entry, _ in QUALITY_COLUMNS),
         pct(row['ap_before_thresholds']),
         '–' if row['loop_seconds_per_image'] is None else f"{row['loop_seconds_per_image']:.2f}",
         f"{row['seconds'] / row['num_images']:.2f}"]
        for row in rows])


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    os.makedirs(args.work_dir, exist_ok=True)
    config = retargeted(osp.abspath(args.config), args.data_root,
                        osp.join(args.work_dir, 'configs', 'pseudo_label.py'))
    pose_cfg = Config.fromfile(config)
    truth = args.truth or osp.join(pose_cfg.data_root, pose_cfg.unlabeled_gt_ann_file)
    if not osp.isfile(truth):
        sys.exit(f'no truth file {truth}: give --truth or --data-root')
    commands: List[List[str]] = []
    boxes = person_boxes(args, pose_cfg, commands)
    boxes['sha256'] = file_sha256(boxes['bbox_file'])
    rows = []
    for name in args.views:
        rows.append(label_and_score(args, name, config, boxes['bbox_file'], truth, commands))
        print(f"[views] {name}: keypoint AP {100 * rows[-1]['quality']['keypoint_ap']['AP']:.1f} "
              f"({rows[-1]['seconds']:.0f} s{', reused' if rows[-1].get('reused') else ''})",
              flush=True)
    table = markdown(rows)
    write_results(args.work_dir, table, dict(
        config=args.config, checkpoint=osp.abspath(args.checkpoint), data_root=args.data_root,
        truth=truth, person_boxes=boxes, commands=[shlex.join(cmd) for cmd in commands],
        rows=rows))
    print(table)


if __name__ == '__main__':
    main()
