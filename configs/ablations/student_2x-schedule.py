# Ablation: a 2x schedule for the student (180k iterations) instead of s1x (130k).
_base_ = '../student.py'

max_iters = 180000
train_cfg = dict(max_iters=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=1 / 3, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=max_iters, by_epoch=False,
         milestones=[120000, 160000], gamma=0.1),
]
