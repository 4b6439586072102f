# Ablation: the student trained 4x the teacher's iterations instead of 2x (same schedule shape).
# tools/distill.py derives its same-recipe control.
_base_ = '../student.py'

max_iters = 4 * _base_.max_iters // 2
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=100),
    dict(type='MultiStepLR', begin=0, end=max_iters, by_epoch=False,
         milestones=[int(max_iters * 0.8)], gamma=0.1),
]
default_hooks = dict(checkpoint=dict(interval=max_iters))
