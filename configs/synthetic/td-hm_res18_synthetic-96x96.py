# SimpleBaseline (ResNet-18 + deconv heatmap head) sized for 2 CPU cores on the synthetic keypoints.
# mmpose's COCO configs carry their own COCO dataloaders, and mmengine forbids duplicate keys
# among bases, so this takes mmpose's runtime and our dataset base and defines the small model
# here. Trained from scratch (init_cfg=None): no pretrained weights offline.
_base_ = ['mmpose::_base_/default_runtime.py', '../_base_/datasets/synthetic_keypoints.py']

# schedule: iteration-based, about 8 min on 2 busy CPU cores (docs/synthetic_data.md)
max_iters = 1000
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=max_iters,
                 val_interval=max_iters)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=2e-3))
param_scheduler = [
    dict(type='LinearLR', begin=0, end=50, start_factor=0.01, by_epoch=False),  # warm-up
    dict(type='MultiStepLR', begin=0, end=max_iters, milestones=[700, 900], gamma=0.1,
         by_epoch=False)
]
default_hooks = dict(
    logger=dict(interval=50),
    # every 200 iterations, the latest kept: an interrupted training resumes
    checkpoint=dict(by_epoch=False, interval=200, max_keep_ckpts=1, save_best='coco/AP',
                    rule='greater'))
log_processor = dict(by_epoch=False)

# codec: 4x down-sampled heatmaps; DARK decoding (unbiased) for sub-pixel keypoints
codec = dict(type='MSRAHeatmap', input_size=(96, 96), heatmap_size=(24, 24), sigma=1,
             unbiased=True, blur_kernel_size=5)

model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    # half-width ResNet-18 and a slim deconv head: about 0.35 CPU-s per batch of 32 here
    backbone=dict(
        type='ResNet', depth=18, stem_channels=32, base_channels=32, init_cfg=None),
    head=dict(
        type='HeatmapHead',
        in_channels=256,
        out_channels=17,
        deconv_out_channels=(128, 64, 64),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=True))

train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
