# Ablation: the teacher trained 2x the default iterations (3,200, the student's and the control's
# length), the same schedule shape. Labeled-only training is still rising at 1,600 iterations
# (README), so this teacher is the better labeled-only model and gives better pseudo-labels.
#   python tools/distill.py --teacher-config configs/synthetic/ablations/teacher_2x-schedule.py
_base_ = '../teacher.py'

max_iters = 2 * _base_.max_iters
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=100),
    dict(type='MultiStepLR', begin=0, end=max_iters, by_epoch=False,
         milestones=[int(max_iters * 0.8)], gamma=0.1),
]
default_hooks = dict(checkpoint=dict(interval=max_iters))
