"""What the top-down TTA tests share: the packed image sample, the TTA model, and the check that
the base views are mmpose's own inference."""
from collections import defaultdict
from typing import Sequence

import numpy as np
import torch
from mmcv.transforms import Compose
from mmengine.dataset import pseudo_collate

from mmdistill.models.tta import TopdownPoseTTAModel

IMAGE_PIPELINE = [dict(type='LoadImage'),
                  dict(type='PackPoseInputs', meta_keys=('img_id', 'img_path', 'flip_indices'))]


def tta(model, **kwargs) -> TopdownPoseTTAModel:
    return TopdownPoseTTAModel(module=model, **kwargs).eval()


def image_sample(dataset, img_path, bboxes, img=None, bbox_scores=None) -> dict:
    """One image with all its boxes, as the ``tta_pipeline`` packs it."""
    if bbox_scores is None:
        bbox_scores = np.ones(len(bboxes))
    results = dict(img_path=img_path, bbox=np.asarray(bboxes, dtype=np.float32),
                   bbox_score=np.asarray(bbox_scores, dtype=np.float32),
                   flip_indices=dataset.metainfo['flip_indices'])
    if img is None:
        return Compose(IMAGE_PIPELINE)(results)
    return Compose(IMAGE_PIPELINE[1:])(dict(results, img=img))


def by_image(dataset) -> dict:
    """Dataset indices (one box each) grouped by image; some images hold several persons."""
    images = defaultdict(list)
    for index in range(len(dataset)):
        images[dataset.get_data_info(index)['img_path']].append(index)
    assert max(len(v) for v in images.values()) > 1
    return images


def assert_base_views_are_mmpose_inference(model, dataset, flips: Sequence[bool]) -> None:
    """The base padding (with ``flips``) over all boxes of an image equals the model's own
    ``test_step`` on each box (with its ``test_cfg.flip_test`` set to match), exactly."""
    for img_path, indices in by_image(dataset).items():
        with torch.no_grad():
            plain = model.test_step(pseudo_collate([dataset[i] for i in indices]))
        bboxes = np.concatenate([dataset.get_data_info(i)['bbox'] for i in indices])
        [merged] = tta(model, paddings=(1.25, ), flips=tuple(flips)).test_step(
            pseudo_collate([image_sample(dataset, img_path, bboxes)]))
        pred = merged.pred_instances
        expected = np.concatenate([p.pred_instances.keypoints for p in plain])
        expected_scores = np.concatenate([p.pred_instances.keypoint_scores for p in plain])
        assert np.array_equal(pred.keypoints.numpy(), expected)
        assert np.array_equal(pred.keypoint_scores.numpy(), expected_scores)
        assert torch.equal(pred.scores, pred.keypoint_scores.mean(1))
        assert np.array_equal(pred.bboxes.numpy(), bboxes)
