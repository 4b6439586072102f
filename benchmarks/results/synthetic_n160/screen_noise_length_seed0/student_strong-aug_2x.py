# Archived run config: its _base_ resolves at commit 92c6901 (before ablations/student_strong-aug.py
# became the default augmentation). The same recipe today: configs/synthetic/student.py.
# issue 11 screen: strong augmentation x 2x schedule (6,400 it). mmengine refuses two _base_ files
# that share keys, so this inherits the strong-aug student and doubles its schedule in place
# (the same lines as ablations/student_2x-schedule.py). distill.py derives the same-recipe control.
_base_ = '../../../../configs/synthetic/ablations/student_strong-aug.py'

max_iters = 2 * _base_.max_iters
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=100),
    dict(type='MultiStepLR', begin=0, end=max_iters, by_epoch=False,
         milestones=[int(max_iters * 0.8)], gamma=0.1),
]
