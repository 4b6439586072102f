"""FractionalMultiStepLR: LR steps at fractions of the training, which follow its length."""
from collections import Counter

import pytest
import torch
from mmengine.config import Config
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch import nn

from mmdistill.engine import FractionalMultiStepLR, fraction_milestones

from .conftest import REPO_ROOT, lr_steps


def test_fraction_milestones_round_down_within_begin_end():
    assert fraction_milestones(0, 12800, [0.8]) == [10240]
    assert fraction_milestones(100, 1100, [0.5, 0.9]) == [600, 1000]
    assert fraction_milestones(0, 7, [0.5]) == [3]
    for fractions in ([], [0.0], [1.0], [0.9, 0.5], [0.5, 0.5]):
        with pytest.raises(ValueError, match='fractions must rise strictly'):
            fraction_milestones(0, 100, fractions)
    with pytest.raises(ValueError, match='begin < end'):
        fraction_milestones(10, 10, [0.5])


def _optimizer(lr: float = 1.0) -> torch.optim.Optimizer:
    return torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=lr)


def test_lr_drops_by_gamma_at_each_fraction():
    optimizer = _optimizer()
    scheduler = FractionalMultiStepLR(optimizer, fractions=[0.5, 0.8], end=10, by_epoch=False)
    lrs = []
    for _ in range(10):
        lrs.append(optimizer.param_groups[0]['lr'])
        optimizer.step()
        scheduler.step()
    assert lrs == pytest.approx([1.0] * 5 + [0.1] * 3 + [0.01] * 2)


def test_needs_the_length_of_the_training():
    with pytest.raises(ValueError, match='needs the length of the training'):
        FractionalMultiStepLR(_optimizer(), fractions=[0.8], by_epoch=False)


def test_epoch_config_converts_to_iterations():
    scheduler = FractionalMultiStepLR.build_iter_from_epoch(
        _optimizer(), fractions=[0.6], begin=0, end=5, epoch_length=4)
    assert scheduler.milestones == Counter({12: 1}) and not scheduler.by_epoch


class _Scalar(BaseModel):
    """One weight pulled towards the inputs: enough for a Runner to train."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))

    def forward(self, inputs, data_samples=None, mode='tensor'):
        return dict(loss=(self.weight - inputs).pow(2).sum())


def test_runner_sets_the_end_to_the_train_loop_length(tmp_path):
    runner = Runner(
        model=_Scalar(),
        work_dir=str(tmp_path),
        train_dataloader=dict(
            dataset=[dict(inputs=torch.ones(1))] * 4,
            sampler=dict(type='InfiniteSampler', shuffle=False),
            batch_size=1,
            collate_fn=dict(type='default_collate')),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=1.0)),
        param_scheduler=[dict(type='FractionalMultiStepLR', fractions=[0.5], by_epoch=False)],
        train_cfg=dict(by_epoch=False, max_iters=10),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=100)))
    runner.train()
    assert runner.param_schedulers[0].milestones == Counter({5: 1})
    assert runner.optim_wrapper.get_lr()['lr'] == pytest.approx([0.1])


@pytest.mark.parametrize('config, length', [
    ('synthetic/teacher.py', 12800),
    ('synthetic/student.py', 12800),
    ('synthetic/ablations/teacher_2x-schedule.py', 25600),
    ('synthetic/ablations/student_half-schedule.py', 6400),
    ('topdown/keypoint-rcnn_synthetic_person-boxes.py', 3200),
])
def test_synthetic_configs_step_at_80_percent_of_their_length(config, length):
    cfg = Config.fromfile(REPO_ROOT / 'configs' / config)
    assert cfg.train_cfg.max_iters == length
    assert lr_steps(cfg.to_dict()) == [int(0.8 * length)]
    # a length changed from the command line moves the step with it
    cfg.merge_from_dict({'train_cfg.max_iters': 1000})
    assert lr_steps(cfg.to_dict()) == [800]
