"""Multi-transform inference of a teacher on unlabeled images -> a COCO pseudo-label file.

    python tools/pseudo_label.py CONFIG CHECKPOINT --out pseudo.json [--resume]
    tools/dist_pseudo_label.sh CONFIG CHECKPOINT GPUS --out pseudo.json
    tools/slurm_pseudo_label.sh PARTITION JOB_NAME CONFIG CHECKPOINT --out pseudo.json

An mmengine ``Runner.test`` run: the test dataloader becomes the unlabeled images
(``UnlabeledImageDataset`` through the config's ``tta_pipeline``, split over ranks by
``DefaultSampler``), the model the config's ``tta_model`` around its ``model``, and
``PseudoLabelHook`` streams each image's merged prediction into ``OUT.shards/`` and writes OUT
atomically at the end. The ``pseudo_label`` dict of the config gives the unlabeled images, the
labeled file (keypoint category, calibration targets) and the thresholds; ``--resume``
continues a killed run from its shards. Logs go to ``OUT.shards/`` unless ``--work-dir``.

A top-down pose model (``tta_model`` ``TopdownPoseTTAModel``) labels person boxes:

    python tools/pseudo_label.py POSE_CONFIG POSE.pth --detector DET_CONFIG DET.pth --out pseudo.json
    python tools/pseudo_label.py POSE_CONFIG POSE.pth --bbox-file boxes.json --out pseudo.json

``--detector`` first runs the mmdet detector over the unlabeled images (under its own
``tta_model`` views if its config has one) and writes its person boxes to
``OUT.shards/person_boxes.json`` (mmpose's ``bbox_file`` format; ``--resume`` reuses it);
``--bbox-file`` takes such a file instead. Each unlabeled image then carries its boxes scoring at
least ``pseudo_label.bbox_thr`` (``--bbox-thr``) into the pose model's views.
"""
import argparse
import os.path as osp
from typing import Optional, Tuple

from mmengine.config import Config, ConfigDict

from mmdistill.labeling.annotation_file import AnnotationFileError, load_keypoint_annotations
from mmdistill.labeling.pseudo_label_file import file_sha256, keypoint_categories
from mmdistill.labeling.selection import labeled_statistics
from mmdistill.models.tta import TopdownPoseTTAModel
from mmdistill.utils import build_runner, load_config, parse_runner_args, use_tta
from mmdistill.utils.person_detection import (detect_persons, keypoint_metainfo,
                                              unlabeled_dataloader)
from mmdistill.utils.weights import load_weights_strictly, require_checkpoint


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Pseudo-label unlabeled images with a teacher')
    parser.add_argument('config', help='config with model, tta_model, tta_pipeline, pseudo_label')
    parser.add_argument('checkpoint', help='teacher checkpoint')
    parser.add_argument('--out', required=True, help='pseudo-label COCO JSON file to write')
    parser.add_argument('--unlabeled', help='COCO image-info file or folder of images')
    parser.add_argument('--labeled', help='labeled COCO keypoint file (categories, calibration)')
    parser.add_argument('--score-thr', type=float, help='fixed person score threshold')
    parser.add_argument('--kpt-thr', type=float, help='fixed keypoint score threshold')
    boxes = parser.add_mutually_exclusive_group()
    boxes.add_argument('--detector', nargs=2, metavar=('DET_CONFIG', 'DET_CHECKPOINT'),
                       help='top-down models: the mmdet person detector giving the boxes')
    boxes.add_argument('--bbox-file', help='top-down models: person boxes as a COCO '
                       'detection-results file (mmpose bbox_file) instead of --detector')
    parser.add_argument('--bbox-thr', type=float,
                        help='top-down models: drop boxes scoring below (default 0: keep all)')
    parser.add_argument('--resume', action='store_true',
                        help='continue from the shards of an interrupted run')
    parser.add_argument('--work-dir', help='where the logs go (default: OUT.shards)')
    return parse_runner_args(parser)


def pseudo_label_inputs(cfg: Config, args: argparse.Namespace) -> ConfigDict:
    """The ``pseudo_label`` settings of ``cfg`` with the command line's on top, and what the
    labeled file gives: its keypoint ``categories`` and calibration ``targets``."""
    settings = ConfigDict(cfg.get('pseudo_label', {}))
    for key in ('unlabeled', 'labeled', 'score_thr', 'kpt_thr', 'bbox_thr'):
        if getattr(args, key) is not None:
            settings[key] = getattr(args, key)
    if settings.get('unlabeled') is None or settings.get('labeled') is None:
        raise SystemExit('error: give --unlabeled and --labeled or pseudo_label.unlabeled / '
                         '.labeled in the config (the labeled file gives the keypoint category)')
    topdown = cfg.get('tta_model', {}).get('type') == TopdownPoseTTAModel.__name__
    if topdown != bool(args.detector or args.bbox_file):
        raise SystemExit(f'error: {args.config}: ' + (
            'a top-down model labels person boxes: give --detector DET_CONFIG DET_CHECKPOINT '
            'or --bbox-file' if topdown else
            '--detector / --bbox-file are for top-down models (tta_model TopdownPoseTTAModel)'))
    coco = load_keypoint_annotations(settings.labeled)
    settings.categories = keypoint_categories(coco, settings.labeled)
    settings.targets = labeled_statistics(coco)
    return settings


def person_boxes(args: argparse.Namespace, settings: ConfigDict,
                 shard_dir: str) -> Tuple[Optional[str], dict]:
    """The person box file of a top-down run (``None`` for other models) and its provenance:
    ``--bbox-file``, or ``--detector`` run over the unlabeled images into ``shard_dir`` (an
    earlier run's boxes are reused with ``--resume``)."""
    if args.bbox_file:
        return args.bbox_file, dict(bbox_file=osp.abspath(args.bbox_file),
                                    bbox_file_sha256=file_sha256(args.bbox_file))
    if not args.detector:
        return None, {}
    config, checkpoint = args.detector
    require_checkpoint(checkpoint)
    out = osp.join(shard_dir, 'person_boxes.json')
    if not (args.resume and osp.isfile(out)):
        detect_persons(
            config, checkpoint, settings.unlabeled, out,
            img_prefix=settings.get('img_prefix', ''),
            metainfo=keypoint_metainfo(settings.categories),
            person_label=settings.get('person_label', 0),
            num_workers=settings.get('num_workers', 0),
            launcher=args.launcher,
            work_dir=osp.join(args.work_dir or shard_dir, 'detector'))
    det_cfg = Config.fromfile(config)
    views = (dict(detector_tta_model=det_cfg.tta_model.to_dict(),
                  detector_tta_pipeline=[t.to_dict() for t in det_cfg.tta_pipeline])
             if 'tta_model' in det_cfg else dict(detector_tta_model=None))  # one view
    return out, dict(detector_config=osp.abspath(config),
                     detector_checkpoint=osp.abspath(checkpoint),
                     detector_checkpoint_sha256=file_sha256(checkpoint), **views)


def pseudo_label_config(cfg: Config, args: argparse.Namespace, settings: ConfigDict,
                        bbox_file: Optional[str] = None, boxes_from: Optional[dict] = None
                        ) -> Config:
    """``cfg`` set up for ``Runner.test`` over the unlabeled images with the hook (in place);
    a top-down model gets the person boxes of ``bbox_file``, made as ``boxes_from`` says
    (:func:`person_boxes`)."""
    shard_dir = args.out + '.shards'
    run = dict(teacher_checkpoint_sha256=file_sha256(args.checkpoint),
               tta_model=cfg.tta_model.to_dict(),
               tta_pipeline=[t.to_dict() for t in cfg.tta_pipeline])
    box_args = {}
    if bbox_file:
        box_args = dict(bbox_file=bbox_file, bbox_thr=settings.get('bbox_thr', 0.0))
        run.update(boxes_from or {}, bbox_thr=box_args['bbox_thr'])
    cfg.test_dataloader = unlabeled_dataloader(
        settings.unlabeled, settings.get('img_prefix', ''), settings.get('num_workers', 0),
        skip_done_in=shard_dir if args.resume else None,
        metainfo=keypoint_metainfo(settings.categories), **box_args)
    cfg.test_evaluator = []  # the hook writes the output
    use_tta(cfg)
    hook = dict(
        type='PseudoLabelHook',
        out=args.out,
        categories=settings.categories,
        targets=settings.targets,
        score_thr=settings.get('score_thr'),
        kpt_thr=settings.get('kpt_thr'),
        resume=args.resume,
        shard_dir=shard_dir,
        run=run,
        info=dict(teacher_config=osp.abspath(args.config),
                  teacher_checkpoint=osp.abspath(args.checkpoint),
                  unlabeled=osp.abspath(settings.unlabeled),
                  labeled=osp.abspath(settings.labeled)))
    cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [hook]
    return cfg


def main() -> None:
    args = parse_args()
    require_checkpoint(args.checkpoint)
    cfg = load_config(args.config, work_dir=args.work_dir or args.out + '.shards',
                      cfg_options=args.cfg_options, launcher=args.launcher)
    try:
        settings = pseudo_label_inputs(cfg, args)
        bbox_file, boxes_from = person_boxes(args, settings, args.out + '.shards')
        runner = build_runner(pseudo_label_config(cfg, args, settings, bbox_file, boxes_from))
        load_weights_strictly(runner, args.checkpoint)
        runner.test()
    except AnnotationFileError as error:  # the labeled, image-info or person box file
        raise SystemExit(f'error: {error}') from None


if __name__ == '__main__':
    main()
