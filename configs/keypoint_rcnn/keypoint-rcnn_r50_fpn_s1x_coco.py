# Keypoint R-CNN R-50-FPN, Detectron's s1x schedule (e2e_keypoint_rcnn_R-50-FPN_s1x): 130k
# iterations, LR x0.1 at 100k and 120k. Detectron: 65.5 keypoint AP on COCO minival.
_base_ = './keypoint-rcnn_r50_fpn_1x_coco.py'

max_iter = 130000
train_cfg = dict(max_iters=max_iter)
param_scheduler = [
    dict(type='LinearLR', start_factor=1 / 3, by_epoch=False, begin=0, end=500),
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_iter,
        by_epoch=False,
        milestones=[100000, 120000],
        gamma=0.1),
]
