"""Runs over unlabeled images: the shared test dataloader, and the person-detector stage of the
top-down family (an mmdet detector's boxes -> mmpose's ``bbox_file``)."""
from typing import List, Optional

from mmengine.config import ConfigDict

from .runner_builder import build_runner, load_config, use_tta
from .weights import load_weights_strictly


def unlabeled_dataloader(images: str, img_prefix: str = '', num_workers: int = 0,
                         **dataset_kwargs) -> dict:
    """A test dataloader over :class:`~mmdistill.datasets.UnlabeledImageDataset` (``images``:
    an image-info file or a folder; more dataset arguments in ``dataset_kwargs``), one image per
    batch, split over ranks in ascending ids, each image once."""
    return dict(
        batch_size=1,
        num_workers=num_workers,
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
        dataset=dict(type='UnlabeledImageDataset', ann_file=images,
                     data_prefix=dict(img=img_prefix), **dataset_kwargs))


def keypoint_metainfo(categories: List[dict]) -> dict:
    """``UnlabeledImageDataset`` metainfo from the first keypoint category of a COCO file."""
    return dict(keypoint_names=categories[0]['keypoints'],
                skeleton=categories[0].get('skeleton', []))


def without_annotation_loading(transforms: List) -> List:
    """``transforms`` without the ``*LoadAnnotations`` steps of mmdet's test pipelines (also
    inside ``TestTimeAug``'s view lists): unlabeled images have no annotations to load; mmdet's
    ``DetInferencer`` drops them too."""
    kept = []
    for transform in transforms:
        if isinstance(transform, list):  # one stage of TestTimeAug's views
            transform = without_annotation_loading(transform)
            if not transform:
                continue
        elif transform.get('type', '').endswith('LoadAnnotations'):
            continue
        elif 'transforms' in transform:
            transform = dict(transform,
                             transforms=without_annotation_loading(transform['transforms']))
        kept.append(transform)
    return kept


def detect_persons(config: str,
                   checkpoint: str,
                   images: str,
                   out: str,
                   img_prefix: str = '',
                   metainfo: Optional[dict] = None,
                   person_label: int = 0,
                   num_workers: int = 0,
                   launcher: str = 'none',
                   work_dir: Optional[str] = None,
                   cfg_options: Optional[dict] = None) -> None:
    """Write the person boxes of an mmdet detector on ``images`` to ``out`` (a COCO
    detection-results file, :class:`~mmdistill.evaluation.PersonBoxFileMetric`).

    One mmengine ``Runner.test`` of the detector config (weights loaded strictly). With a
    ``tta_model`` in the config the detector runs under its own test-time views, merged by that
    model (``KeypointRCNNTTAModel``, ``PersonBoxTTAModel``: NMS + box voting over all views);
    without one, on its ``test_dataloader``'s pipeline. ``metainfo`` goes to the dataset (the
    keypoint names give flipped views their ``flip_indices``).
    """
    cfg = load_config(config, work_dir=work_dir, cfg_options=cfg_options, launcher=launcher)
    cfg.test_dataloader = ConfigDict(unlabeled_dataloader(
        images, img_prefix, num_workers, metainfo=metainfo,
        pipeline=cfg.test_dataloader.dataset.pipeline))
    if 'tta_model' in cfg:
        use_tta(cfg)
    dataset = cfg.test_dataloader.dataset
    dataset.pipeline = without_annotation_loading(dataset.pipeline)
    cfg.test_evaluator = dict(type='PersonBoxFileMetric', out=out, person_label=person_label)
    runner = build_runner(cfg)
    load_weights_strictly(runner, checkpoint)
    runner.test()
