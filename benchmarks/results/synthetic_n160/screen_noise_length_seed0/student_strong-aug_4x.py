# Archived run config: its _base_ resolves at commit 92c6901 (before ablations/student_strong-aug.py
# became the default augmentation). The same recipe today: configs/synthetic/ablations/student_2x-schedule.py.
# issue 11 screen: strong augmentation x 4x schedule (12,800 it): where does labeled-only training
# with strong augmentation peak? (3,200 it: 54.8, 6,400 it: 62.1 on seed 0)
_base_ = '../../../../configs/synthetic/ablations/student_strong-aug.py'

max_iters = 4 * _base_.max_iters
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=100),
    dict(type='MultiStepLR', begin=0, end=max_iters, by_epoch=False,
         milestones=[int(max_iters * 0.8)], gamma=0.1),
]
