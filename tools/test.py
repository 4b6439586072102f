"""Evaluate a checkpoint with the config's test_dataloader/test_evaluator.

    python tools/test.py CONFIG CHECKPOINT [--out metrics.json] [--tta] [--show-dir DIR]

``--tta`` evaluates with test-time views as mmdet's and mmpose's ``tools/test.py`` do: the
config's ``model`` is wrapped in its ``tta_model`` and the test dataset's pipeline becomes
``tta_pipeline``. ``--show-dir`` draws the predictions (boxes, keypoints, skeletons) on every
test image into DIR through the config's visualization hook.
"""
import argparse

from mmengine.fileio import dump

from mmdistill.labeling.annotation_file import AnnotationFileError
from mmdistill.utils import build_runner, load_config, parse_runner_args, use_show_dir, use_tta
from mmdistill.utils.annotation_files import check_annotation_files
from mmdistill.utils.weights import load_weights_strictly


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (evaluate) a model with mmdistill')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir', help='the dir to save logs and evaluation results')
    parser.add_argument(
        '--out', help='dump the metrics to this JSON file (besides the log)')
    parser.add_argument(
        '--tta', action='store_true',
        help='test with the views of the config\'s tta_model and tta_pipeline')
    parser.add_argument(
        '--show-dir', help='draw the predictions on the test images into this folder')
    return parse_runner_args(parser)


def main() -> None:
    args = parse_args()
    cfg = load_config(
        args.config,
        work_dir=args.work_dir,
        cfg_options=args.cfg_options,
        launcher=args.launcher)
    try:
        check_annotation_files(cfg, ('test', ), image_info=True)
    except AnnotationFileError as error:
        raise SystemExit(f'error: {error}') from None
    if args.tta:
        use_tta(cfg)
    if args.show_dir:
        use_show_dir(cfg, args.show_dir)
    runner = build_runner(cfg)
    load_weights_strictly(runner, args.checkpoint)
    metrics = runner.test()
    if args.out and runner.rank == 0:
        dump(metrics, args.out, indent=2)
        runner.logger.info(f'metrics written to {args.out}')


if __name__ == '__main__':
    main()
