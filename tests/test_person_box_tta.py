"""PersonBoxTTAModel: any mmdet detector's person boxes over test-time views (flips undone,
other classes dropped, NMS + box voting), and the COCO top-down detector config using it."""
from typing import List, Sequence

import mmcv
import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from mmdet.models import FasterRCNN
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData
from torch import nn

from mmdistill.models.tta import PersonBoxTTAModel
from mmdistill.utils.person_detection import without_annotation_loading

from .conftest import REPO_ROOT

COCO_DETECTOR_CONFIG = REPO_ROOT / 'configs/topdown/faster-rcnn_r50_fpn_1x_coco_person-boxes.py'
WIDTH = 200


class StubDetector(nn.Module):
    """Gives the fixed detections (boxes in the original image) of each view in turn, as mmdet's
    ``test_step`` does: rescaled to the original image, mirrored in a flipped view."""

    def __init__(self, views: Sequence[dict]) -> None:
        super().__init__()
        self.views = iter(views)

    def test_step(self, data: dict) -> List[DetDataSample]:
        dets = next(self.views)
        boxes = torch.tensor(dets['bboxes'], dtype=torch.float32).reshape(-1, 4)
        [sample] = data['data_samples']
        if sample.flip:
            boxes = torch.stack([WIDTH - boxes[:, 2], boxes[:, 1], WIDTH - boxes[:, 0],
                                 boxes[:, 3]], dim=1)
        result = DetDataSample(metainfo=sample.metainfo)
        result.pred_instances = InstanceData(bboxes=boxes, scores=torch.tensor(dets['scores']),
                                             labels=torch.tensor(dets['labels']))
        return [result]


def run(views: Sequence[dict], flips: Sequence[bool], direction: str = 'horizontal',
        **kwargs) -> InstanceData:
    """The merged prediction of one image seen in ``len(views)`` views."""
    tta = PersonBoxTTAModel(module=StubDetector(views), **kwargs)
    samples = [[DetDataSample(metainfo=dict(
        img_id=7, ori_shape=(100, WIDTH), flip=flip, flip_direction=direction if flip else None))]
        for flip in flips]
    data = dict(inputs=[[torch.zeros(3, 100, WIDTH)] for _ in flips], data_samples=samples)
    [result] = tta.test_step(data)
    assert result.img_id == 7 and result.flip == flips[0]  # the first view's sample
    return result.pred_instances


# person boxes A and B, and a higher-scoring car (label 2) that must not suppress or vote
DETECTIONS = dict(bboxes=[[10., 20., 50., 80.], [100., 10., 150., 60.], [110., 30., 170., 90.]],
                  scores=[0.9, 0.95, 0.6], labels=[0, 2, 0])


def test_flipped_view_comes_back_exactly_and_other_classes_are_dropped():
    pred = run([DETECTIONS], flips=[True])
    assert torch.equal(pred.bboxes, torch.tensor([[10., 20., 50., 80.], [110., 30., 170., 90.]]))
    assert pred.bboxes.dtype == torch.float32
    assert torch.equal(pred.scores, torch.tensor([0.9, 0.6]))
    assert torch.equal(pred.labels, torch.tensor([0, 0]))
    # the car's label as the person label: only the car is kept, under that label
    car = run([DETECTIONS], flips=[True], person_label=2)
    assert torch.equal(car.bboxes, torch.tensor([[100., 10., 150., 60.]]))
    assert torch.equal(car.labels, torch.tensor([2]))


def test_views_merge_by_nms_and_box_voting():
    # two identical views (one flipped): NMS keeps one copy of each box, voting leaves it
    pred = run([DETECTIONS, DETECTIONS], flips=[False, True])
    assert torch.equal(pred.bboxes, torch.tensor([[10., 20., 50., 80.], [110., 30., 170., 90.]]))
    assert torch.equal(pred.scores, torch.tensor([0.9, 0.6]))
    # a third view sees A shifted by 2 px (IoU 0.905 >= 0.8) and B by 25 px (IoU 0.41: kept by
    # NMS, no vote): A becomes (0.9 A + 0.9 A + 0.7 A') / 2.5, B' and B stay as they are
    shifted = dict(bboxes=[[12., 20., 52., 80.], [135., 30., 195., 90.]], scores=[0.7, 0.8],
                   labels=[0, 0])
    pred = run([DETECTIONS, DETECTIONS, shifted], flips=[False, True, True])
    assert torch.equal(pred.bboxes, torch.tensor([
        [10.56, 20., 50.56, 80.], [135., 30., 195., 90.], [110., 30., 170., 90.]]))
    assert torch.equal(pred.scores, torch.tensor([0.9, 0.8, 0.6]))
    # NMS alone: the best box of each cluster as it is; max_per_img keeps the best
    pred = run([DETECTIONS, DETECTIONS, shifted], flips=[False, True, True], vote_iou_thr=None,
               max_per_img=2)
    assert torch.equal(pred.bboxes, torch.tensor([[10., 20., 50., 80.], [135., 30., 195., 90.]]))


def test_image_without_persons_gets_empty_predictions():
    cars = dict(bboxes=[[100., 10., 150., 60.]], scores=[0.95], labels=[2])
    empty = dict(bboxes=[], scores=[], labels=[])
    pred = run([cars, empty], flips=[False, True])
    assert pred.bboxes.shape == (0, 4) and pred.scores.shape == (0, )
    assert pred.labels.dtype == torch.long


def test_vertical_flip_is_refused():
    with pytest.raises(ValueError, match='only horizontal flips are supported, got vertical'):
        run([DETECTIONS, DETECTIONS], flips=[False, True], direction='vertical')


def test_coco_detector_config_builds_its_tta_model_and_views(tmp_path):
    cfg = Config.fromfile(COCO_DETECTOR_CONFIG)
    init_default_scope('mmdet')
    tta = MODELS.build(dict(**cfg.tta_model, module=cfg.model))  # random init, no weights
    assert isinstance(tta, PersonBoxTTAModel) and isinstance(tta.module, FasterRCNN)
    assert tta.module.roi_head.bbox_head.num_classes == 80
    assert (tta.person_label, tta.nms_iou_thr, tta.vote_iou_thr, tta.max_per_img) == (
        0, 0.5, 0.8, 100)
    # nothing for the detector stage to drop; 3 scales x flip on a 160 x 120 image
    assert without_annotation_loading(cfg.tta_pipeline) == cfg.tta_pipeline
    image = tmp_path / 'image.png'
    mmcv.imwrite(np.zeros((120, 160, 3), np.uint8), str(image))
    views = Compose(cfg.tta_pipeline)(dict(img_path=str(image), img_id=3))
    metas = [sample.metainfo for sample in views['data_samples']]
    assert [(m['img_shape'], m['flip'], m['flip_direction']) for m in metas] == [
        ((640, 853), True, 'horizontal'), ((640, 853), False, None),
        ((800, 1067), True, 'horizontal'), ((800, 1067), False, None),
        ((960, 1280), True, 'horizontal'), ((960, 1280), False, None)]
    assert all(m['ori_shape'] == (120, 160) and m['img_id'] == 3 for m in metas)
    assert [tuple(inputs.shape) for inputs in views['inputs'][::2]] == [
        (3, 640, 853), (3, 800, 1067), (3, 960, 1280)]
