"""Person boxes of an mmdet detector on a set of images -> a COCO detection-results file, the
``bbox_file`` of mmpose's top-down datasets.

    python tools/detect_persons.py DET_CONFIG DET.pth --images IMAGES --out boxes.json
    tools/dist_launch.sh GPUS detect_persons.py DET_CONFIG DET.pth --images IMAGES --out boxes.json

IMAGES is a COCO file (its ``images``; e.g. a val keypoint file) or a folder. Use the file to
evaluate a top-down model on detected boxes (``--cfg-options
test_dataloader.dataset.bbox_file=boxes.json``, mmpose's protocol) or to give
``tools/pseudo_label.py --bbox-file`` boxes made once. An mmengine ``Runner.test`` of the
detector (under its ``tta_model`` views if the config has one) with ``PersonBoxFileMetric``.
"""
import argparse
import os.path as osp

from mmdistill.labeling.annotation_file import AnnotationFileError, read_json
from mmdistill.utils import parse_runner_args
from mmdistill.utils.person_detection import detect_persons, keypoint_metainfo
from mmdistill.utils.weights import require_checkpoint


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Write the person boxes of an mmdet detector')
    parser.add_argument('config', help='mmdet detector config')
    parser.add_argument('checkpoint', help='detector checkpoint')
    parser.add_argument('--images', required=True, help='COCO image-info/annotation file or '
                        'folder of images')
    parser.add_argument('--img-prefix', default='', help="folder of a file's file_name")
    parser.add_argument('--out', required=True, help='COCO detection-results JSON to write')
    parser.add_argument('--person-label', type=int, default=0,
                        help="the detector's label of the person class (default 0, COCO)")
    parser.add_argument('--work-dir', help='where the logs go')
    return parse_runner_args(parser)


def main() -> None:
    args = parse_args()
    require_checkpoint(args.checkpoint)
    try:
        # a keypoint file's names give flipped views of a Keypoint R-CNN their left/right swap
        data = read_json(args.images) if osp.isfile(args.images) else {}
        categories = [c for c in data.get('categories', []) if c.get('keypoints')
                      ] if isinstance(data, dict) else []
        detect_persons(args.config, args.checkpoint, args.images, args.out,
                       img_prefix=args.img_prefix, person_label=args.person_label,
                       metainfo=keypoint_metainfo(categories) if categories else None,
                       launcher=args.launcher, work_dir=args.work_dir,
                       cfg_options=args.cfg_options)
    except AnnotationFileError as error:  # the image file
        raise SystemExit(f'error: {error}') from None


if __name__ == '__main__':
    main()
