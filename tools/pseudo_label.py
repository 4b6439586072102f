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
"""
import argparse
import os.path as osp

from mmengine.config import Config, ConfigDict

from mmdistill.labeling.annotation_file import AnnotationFileError, load_keypoint_annotations
from mmdistill.labeling.pseudo_label_file import file_sha256, keypoint_categories
from mmdistill.labeling.selection import labeled_statistics
from mmdistill.utils import build_runner, load_config, parse_runner_args, use_tta
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
    parser.add_argument('--resume', action='store_true',
                        help='continue from the shards of an interrupted run')
    parser.add_argument('--work-dir', help='where the logs go (default: OUT.shards)')
    return parse_runner_args(parser)


def pseudo_label_config(cfg: Config, args: argparse.Namespace) -> Config:
    """``cfg`` set up for ``Runner.test`` over the unlabeled images with the hook (in place)."""
    settings = cfg.get('pseudo_label', ConfigDict())

    def setting(key: str):
        value = getattr(args, key)
        return settings.get(key) if value is None else value

    unlabeled, labeled = setting('unlabeled'), setting('labeled')
    if unlabeled is None or labeled is None:
        raise SystemExit('error: give --unlabeled and --labeled or pseudo_label.unlabeled / '
                         '.labeled in the config (the labeled file gives the keypoint category)')
    coco = load_keypoint_annotations(labeled)
    categories, targets = keypoint_categories(coco, labeled), labeled_statistics(coco)
    del coco
    shard_dir = args.out + '.shards'
    run = dict(teacher_checkpoint_sha256=file_sha256(args.checkpoint),
               tta_model=cfg.tta_model.to_dict(),
               tta_pipeline=[t.to_dict() for t in cfg.tta_pipeline])
    cfg.test_dataloader = dict(
        batch_size=1,
        num_workers=settings.get('num_workers', 0),
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
        dataset=dict(
            type='UnlabeledImageDataset',
            ann_file=unlabeled,
            data_prefix=dict(img=settings.get('img_prefix', '')),
            skip_done_in=shard_dir if args.resume else None,
            metainfo=dict(keypoint_names=categories[0]['keypoints'],
                          skeleton=categories[0].get('skeleton', []))))
    cfg.test_evaluator = []  # the hook writes the output
    use_tta(cfg)
    hook = dict(
        type='PseudoLabelHook',
        out=args.out,
        categories=categories,
        targets=targets,
        score_thr=setting('score_thr'),
        kpt_thr=setting('kpt_thr'),
        resume=args.resume,
        shard_dir=shard_dir,
        run=run,
        info=dict(teacher_config=osp.abspath(args.config),
                  teacher_checkpoint=osp.abspath(args.checkpoint),
                  unlabeled=osp.abspath(unlabeled),
                  labeled=osp.abspath(labeled)))
    cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [hook]
    return cfg


def main() -> None:
    args = parse_args()
    require_checkpoint(args.checkpoint)
    cfg = load_config(args.config, work_dir=args.work_dir or args.out + '.shards',
                      cfg_options=args.cfg_options, launcher=args.launcher)
    try:
        runner = build_runner(pseudo_label_config(cfg, args))
        load_weights_strictly(runner, args.checkpoint)
        runner.test()
    except AnnotationFileError as error:  # the labeled or the image-info file
        raise SystemExit(f'error: {error}') from None


if __name__ == '__main__':
    main()
