"""Multi-transform inference of a teacher on unlabeled images -> a COCO pseudo-label file.

    python tools/pseudo_label.py CONFIG CHECKPOINT --out pseudo.json [--resume]
    tools/dist_pseudo_label.sh CONFIG CHECKPOINT GPUS --out pseudo.json

The config gives the teacher (``model``), the views (``tta_model``, ``tta_pipeline``) and the
``pseudo_label`` settings (unlabeled images, labeled file for calibration, thresholds). Each rank
streams its images' predictions into ``OUT.shards/``; ``--resume`` continues a killed run from
there. Rank 0 then chooses the thresholds and writes OUT atomically.
"""
import argparse
import json
import os
import os.path as osp
import shutil
import time
import warnings
from typing import Dict, List, Optional, Tuple

import torch
import torch.distributed as dist
from mmcv.transforms import Compose
from mmengine.config import ConfigDict, DictAction
from mmengine.dataset import pseudo_collate
from mmengine.logging import print_log
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import load_checkpoint
from mmengine.utils import ProgressBar
from torch.utils.data import DataLoader, Dataset

from mmdistill.engine.pseudo_label_writer import (PseudoLabelWriter, choose_thresholds,
                                                  write_pseudo_labels)
from mmdistill.labeling import flip_indices_from_names
from mmdistill.labeling.pseudo_label_file import (file_sha256, keypoint_categories,
                                                  load_unlabeled_images)
from mmdistill.labeling.selection import labeled_statistics
from mmdistill.labeling.shards import check_run, done_ids, split_for_rank
from mmdistill.models.tta import KeypointRCNNTTAModel  # noqa: F401  (registers it)
from mmdistill.utils import load_config


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
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, e.g. pseudo_label.num_workers=4')
    parser.add_argument('--launcher', choices=['none', 'pytorch'], default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


class _UnlabeledImages(Dataset):
    """The views of each image (``None`` for an unreadable one) for a prefetching DataLoader.

    The pipeline's first transform loads the image: any error there (missing file, bad bytes)
    marks the image unreadable; errors of the later transforms are real errors and propagate.
    """

    def __init__(self, images: List[Dict], img_prefix: str, flip_indices: List[int],
                 pipeline: List[dict]) -> None:
        if 'Load' not in pipeline[0]['type']:
            raise ValueError(f'tta_pipeline must start by loading the image, got {pipeline[0]}')
        self.images, self.img_prefix, self.flip_indices = images, img_prefix, flip_indices
        self.load, self.views = Compose(pipeline[:1]), Compose(pipeline[1:])

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> Tuple[Dict, Optional[dict]]:
        image = self.images[index]
        results = dict(img_path=osp.join(self.img_prefix, image['file_name']),
                       img_id=image['id'], flip_indices=self.flip_indices)
        try:
            results = self.load(results)
        except Exception as error:  # noqa: BLE001  (any loading failure = unreadable)
            warnings.warn(f'skipping unreadable image {image["file_name"]} (id {image["id"]}): '
                          f'{error}')
            return image, None
        return image, self.views(results)


def _init_dist(launcher: str) -> None:
    if launcher != 'none' and not dist.is_initialized():
        if torch.cuda.is_available():
            torch.cuda.set_device(int(os.environ['LOCAL_RANK']))  # nccl uses the current device
        dist.init_process_group('nccl' if torch.cuda.is_available() else 'gloo')


def _rank_world() -> tuple:
    return (dist.get_rank(), dist.get_world_size()) if dist.is_initialized() else (0, 1)


def _barrier() -> None:
    if dist.is_initialized():
        dist.barrier()


def _build_model(cfg, checkpoint: str, device: torch.device) -> torch.nn.Module:
    model = MODELS.build(dict(cfg.tta_model, module=cfg.model))
    load_checkpoint(model.module, checkpoint, map_location='cpu', strict=True, logger='current')
    return model.to(device).eval()


def _setting(args: argparse.Namespace, settings: ConfigDict, key: str) -> Optional[object]:
    value = getattr(args, key)
    return settings.get(key) if value is None else value


def main() -> None:
    args = parse_args()
    cfg = load_config(args.config, cfg_options=args.cfg_options, launcher=args.launcher)
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    settings = cfg.get('pseudo_label', ConfigDict())
    unlabeled, labeled = _setting(args, settings, 'unlabeled'), _setting(args, settings, 'labeled')
    if unlabeled is None or labeled is None:
        raise ValueError('give --unlabeled and --labeled or pseudo_label.unlabeled / .labeled '
                         'in the config (the labeled file gives the keypoint category)')
    img_prefix = unlabeled if osp.isdir(unlabeled) else settings.get('img_prefix', '')
    _init_dist(args.launcher)
    rank, world_size = _rank_world()
    device = torch.device(f'cuda:{os.environ.get("LOCAL_RANK", 0)}'
                          if torch.cuda.is_available() else 'cpu')

    with open(labeled) as f:
        labeled_data = json.load(f)
    categories = keypoint_categories(labeled_data, labeled)
    targets = labeled_statistics(labeled_data)
    del labeled_data
    images = load_unlabeled_images(unlabeled)
    shard_dir = args.out + '.shards'
    run = dict(teacher_checkpoint_sha256=file_sha256(args.checkpoint),
               tta_model=cfg.tta_model.to_dict(),
               tta_pipeline=[t.to_dict() for t in cfg.tta_pipeline])
    if rank == 0:
        if not args.resume and osp.isdir(shard_dir):
            shutil.rmtree(shard_dir)
        check_run(shard_dir, run)
    _barrier()
    done = done_ids(shard_dir) if args.resume else set()
    todo = [img for img in split_for_rank(images, rank, world_size) if img['id'] not in done]
    print_log(f'rank {rank}/{world_size}: {len(todo)} images to label '
              f'({len(images)} in total, {len(done)} done before)', logger='current')

    model = _build_model(cfg, args.checkpoint, device)
    dataset = _UnlabeledImages(todo, img_prefix,
                               flip_indices_from_names(categories[0]['keypoints']),
                               cfg.tta_pipeline)
    loader = DataLoader(dataset, batch_size=None, num_workers=settings.get('num_workers', 0),
                        collate_fn=lambda item: item)
    progress = ProgressBar(len(todo)) if rank == 0 else None
    start, unreadable = time.time(), 0
    with PseudoLabelWriter(shard_dir, rank, world_size) as writer, torch.no_grad():
        for image, views in loader:
            if views is None:
                unreadable += 1
                writer.add(image, None)
            else:
                pred = model.test_step(pseudo_collate([views]))[0].pred_instances
                writer.add(image, pred.cpu())
            if progress:
                progress.update()
    seconds_per_image = (time.time() - start) / max(len(todo), 1)
    _barrier()
    if rank != 0:
        return

    thresholds = choose_thresholds(shard_dir, targets, _setting(args, settings, 'score_thr'),
                                   _setting(args, settings, 'kpt_thr'))
    provenance = dict(
        teacher_config=osp.abspath(args.config),
        teacher_checkpoint=osp.abspath(args.checkpoint),
        unlabeled=osp.abspath(unlabeled),
        labeled=osp.abspath(labeled),
        labeled_statistics=targets,
        world_size=world_size,
        **run)
    info = write_pseudo_labels(shard_dir, args.out, categories, thresholds, provenance)
    counts = info['counts']
    print_log(
        f'\npseudo-labels written to {args.out}\n'
        f'  images: {counts["images"]} ({counts["unreadable_images"]} unreadable and skipped, '
        f'{unreadable} of them in this run)\n'
        f'  persons kept: {counts["persons"]} ({counts["persons_per_image"]:.2f} per readable '
        f'image; labeled set {targets["persons_per_image"]:.2f} non-crowd persons per image)\n'
        f'  keypoints annotated: {counts["keypoints"]} ({counts["keypoints_per_image"]:.2f} per '
        f'image, {counts["keypoints_per_person"]:.2f} per kept person; labeled set '
        f'{targets["keypoints_per_image"]:.2f} and {targets["keypoints_per_person"]:.2f})\n'
        f'  thresholds: person score {thresholds["person_score"]["value"]:.4f} '
        f'({thresholds["person_score"]["how"]}), keypoint score '
        f'{thresholds["keypoint_score"]["value"]:.4f} ({thresholds["keypoint_score"]["how"]})\n'
        f'  time per image (rank 0): {seconds_per_image:.3f} s', logger='current')


if __name__ == '__main__':
    main()
