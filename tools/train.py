"""Train a model from an mmengine config (teacher, student, oracle, ...)."""
import argparse

from mmdistill.labeling.annotation_file import AnnotationFileError
from mmdistill.utils import build_runner, load_config, parse_runner_args
from mmdistill.utils.annotation_files import check_annotation_files


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a model with mmdistill')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and checkpoints')
    parser.add_argument(
        '--amp', action='store_true',
        help='enable automatic mixed precision (AmpOptimWrapper)')
    parser.add_argument(
        '--auto-scale-lr', action='store_true',
        help='scale the LR by the actual total batch size (needs auto_scale_lr in the config)')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from the given checkpoint; without a path, resume from the latest '
        'checkpoint in the work dir')
    return parse_runner_args(parser)


def main() -> None:
    args = parse_args()
    cfg = load_config(
        args.config,
        work_dir=args.work_dir,
        cfg_options=args.cfg_options,
        launcher=args.launcher,
        amp=args.amp,
        auto_scale_lr=args.auto_scale_lr,
        resume=args.resume)
    try:
        check_annotation_files(cfg)
    except AnnotationFileError as error:
        raise SystemExit(f'error: {error}') from None
    runner = build_runner(cfg)
    runner.train()


if __name__ == '__main__':
    main()
