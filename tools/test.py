"""Evaluate a checkpoint with the config's test_dataloader/test_evaluator.

    python tools/test.py CONFIG CHECKPOINT [--out metrics.json] [--tta]

``--tta`` evaluates with test-time views as mmdet's and mmpose's ``tools/test.py`` do: the
config's ``model`` is wrapped in its ``tta_model`` and the test dataset's pipeline becomes
``tta_pipeline``.
"""
import argparse

from mmengine.fileio import dump

from mmdistill.utils import build_runner, load_config, parse_runner_args, use_tta


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
    return parse_runner_args(parser)


def main() -> None:
    args = parse_args()
    cfg = load_config(
        args.config,
        work_dir=args.work_dir,
        cfg_options=args.cfg_options,
        launcher=args.launcher,
        load_from=args.checkpoint)
    if args.tta:
        use_tta(cfg)
    runner = build_runner(cfg)
    metrics = runner.test()
    if args.out and runner.rank == 0:
        dump(metrics, args.out, indent=2)
        runner.logger.info(f'metrics written to {args.out}')


if __name__ == '__main__':
    main()
