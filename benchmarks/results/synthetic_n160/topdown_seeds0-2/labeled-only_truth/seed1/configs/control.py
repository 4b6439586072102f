_labeled = dict(
    ann_file='annotations/labeled.json',
    data_mode='topdown',
    data_prefix=dict(img='images/'),
    data_root='/work/runs/data/seed1/',
    pipeline=[
        dict(type='LoadImage'),
        dict(type='GetBBoxCenterScale'),
        dict(direction='horizontal', type='RandomFlip'),
        dict(type='RandomHalfBody'),
        dict(type='RandomBBoxTransform'),
        dict(input_size=(
            96,
            96,
        ), type='TopdownAffine'),
        dict(
            encoder=dict(
                blur_kernel_size=5,
                heatmap_size=(
                    24,
                    24,
                ),
                input_size=(
                    96,
                    96,
                ),
                sigma=1,
                type='MSRAHeatmap',
                unbiased=True),
            type='GenerateTarget'),
        dict(type='PackPoseInputs'),
    ],
    type='CocoDataset')
backend_args = dict(backend='local')
batch_size = 32
codec = dict(
    blur_kernel_size=5,
    heatmap_size=(
        24,
        24,
    ),
    input_size=(
        96,
        96,
    ),
    sigma=1,
    type='MSRAHeatmap',
    unbiased=True)
custom_hooks = [
    dict(_scope_='mmpose', type='SyncBuffersHook'),
]
data_mode = 'topdown'
data_prefix = dict(img='images/')
data_root = '/work/runs/data/seed1/'
dataset_type = 'CocoDataset'
default_hooks = dict(
    badcase=dict(
        _scope_='mmpose',
        badcase_thr=5,
        enable=False,
        metric_type='loss',
        out_dir='badcase',
        type='BadCaseAnalysisHook'),
    checkpoint=dict(
        _scope_='mmpose',
        by_epoch=False,
        interval=200,
        max_keep_ckpts=1,
        rule='greater',
        save_best='coco/AP',
        type='CheckpointHook'),
    logger=dict(_scope_='mmpose', interval=50, type='LoggerHook'),
    param_scheduler=dict(_scope_='mmpose', type='ParamSchedulerHook'),
    sampler_seed=dict(_scope_='mmpose', type='DistSamplerSeedHook'),
    timer=dict(_scope_='mmpose', type='IterTimerHook'),
    visualization=dict(
        _scope_='mmpose', enable=False, type='PoseVisualizationHook'))
default_scope = 'mmpose'
env_cfg = dict(
    cudnn_benchmark=False,
    dist_cfg=dict(backend='nccl'),
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0))
labeled_ann_file = 'annotations/labeled.json'
load_from = None
log_level = 'INFO'
log_processor = dict(
    _scope_='mmpose',
    by_epoch=False,
    num_digits=6,
    type='LogProcessor',
    window_size=50)
max_iters = 2000
model = dict(
    backbone=dict(
        base_channels=32,
        depth=18,
        init_cfg=None,
        stem_channels=32,
        type='ResNet'),
    data_preprocessor=dict(
        bgr_to_rgb=True,
        mean=[
            123.675,
            116.28,
            103.53,
        ],
        std=[
            58.395,
            57.12,
            57.375,
        ],
        type='PoseDataPreprocessor'),
    head=dict(
        decoder=dict(
            blur_kernel_size=5,
            heatmap_size=(
                24,
                24,
            ),
            input_size=(
                96,
                96,
            ),
            sigma=1,
            type='MSRAHeatmap',
            unbiased=True),
        deconv_out_channels=(
            128,
            64,
            64,
        ),
        in_channels=256,
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        out_channels=17,
        type='HeatmapHead'),
    test_cfg=dict(flip_mode='heatmap', flip_test=True, shift_heatmap=True),
    type='TopdownPoseEstimator')
optim_wrapper = dict(optimizer=dict(lr=0.002, type='Adam'))
param_scheduler = [
    dict(begin=0, by_epoch=False, end=50, start_factor=0.01, type='LinearLR'),
    dict(
        begin=0,
        by_epoch=False,
        end=2000,
        gamma=0.1,
        milestones=[
            1400,
            1800,
        ],
        type='MultiStepLR'),
]
pseudo_label_file = None
randomness = dict(seed=1)
resume = False
source_ratio = [
    1,
]
test_cfg = dict()
test_dataloader = dict(
    batch_size=32,
    dataset=dict(
        ann_file='annotations/val.json',
        bbox_file=None,
        data_mode='topdown',
        data_prefix=dict(img='images/'),
        data_root='/work/runs/data/seed1/',
        pipeline=[
            dict(type='LoadImage'),
            dict(type='GetBBoxCenterScale'),
            dict(input_size=(
                96,
                96,
            ), type='TopdownAffine'),
            dict(type='PackPoseInputs'),
        ],
        test_mode=True,
        type='CocoDataset'),
    drop_last=False,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(round_up=False, shuffle=False, type='DefaultSampler'))
test_evaluator = dict(
    ann_file='/work/runs/data/seed1/annotations/val.json', type='CocoMetric')
train_cfg = dict(
    max_iters=2000, type='StreamResumeIterBasedTrainLoop', val_interval=2000)
train_dataloader = dict(
    batch_size=32,
    dataset=dict(
        datasets=[
            dict(
                ann_file='annotations/labeled.json',
                data_mode='topdown',
                data_prefix=dict(img='images/'),
                data_root='/work/runs/data/seed1/',
                pipeline=[
                    dict(type='LoadImage'),
                    dict(type='GetBBoxCenterScale'),
                    dict(direction='horizontal', type='RandomFlip'),
                    dict(type='RandomHalfBody'),
                    dict(type='RandomBBoxTransform'),
                    dict(input_size=(
                        96,
                        96,
                    ), type='TopdownAffine'),
                    dict(
                        encoder=dict(
                            blur_kernel_size=5,
                            heatmap_size=(
                                24,
                                24,
                            ),
                            input_size=(
                                96,
                                96,
                            ),
                            sigma=1,
                            type='MSRAHeatmap',
                            unbiased=True),
                        type='GenerateTarget'),
                    dict(type='PackPoseInputs'),
                ],
                type='CocoDataset'),
        ],
        type='ConcatDataset'),
    num_workers=1,
    persistent_workers=True,
    sampler=dict(
        batch_size=32, source_ratio=[
            1,
        ], type='RatioMultiSourceSampler'))
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(direction='horizontal', type='RandomFlip'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform'),
    dict(input_size=(
        96,
        96,
    ), type='TopdownAffine'),
    dict(
        encoder=dict(
            blur_kernel_size=5,
            heatmap_size=(
                24,
                24,
            ),
            input_size=(
                96,
                96,
            ),
            sigma=1,
            type='MSRAHeatmap',
            unbiased=True),
        type='GenerateTarget'),
    dict(type='PackPoseInputs'),
]
unlabeled_gt_ann_file = 'annotations/unlabeled_gt.json'
unlabeled_images_dataset = dict(
    ann_file='annotations/unlabeled_images.json',
    data_mode='bottomup',
    data_prefix=dict(img='images/'),
    data_root='/work/runs/data/seed1/',
    test_mode=True,
    type='CocoDataset')
unlabeled_images_file = 'annotations/unlabeled_images.json'
val_ann_file = 'annotations/val.json'
val_cfg = dict()
val_dataloader = dict(
    batch_size=32,
    dataset=dict(
        ann_file='annotations/val.json',
        bbox_file=None,
        data_mode='topdown',
        data_prefix=dict(img='images/'),
        data_root='/work/runs/data/seed1/',
        pipeline=[
            dict(type='LoadImage'),
            dict(type='GetBBoxCenterScale'),
            dict(input_size=(
                96,
                96,
            ), type='TopdownAffine'),
            dict(type='PackPoseInputs'),
        ],
        test_mode=True,
        type='CocoDataset'),
    drop_last=False,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(round_up=False, shuffle=False, type='DefaultSampler'))
val_evaluator = dict(
    ann_file='/work/runs/data/seed1/annotations/val.json', type='CocoMetric')
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(input_size=(
        96,
        96,
    ), type='TopdownAffine'),
    dict(type='PackPoseInputs'),
]
vis_backends = [
    dict(_scope_='mmpose', type='LocalVisBackend'),
]
visualizer = dict(
    _scope_='mmpose',
    name='visualizer',
    type='PoseLocalVisualizer',
    vis_backends=[
        dict(type='LocalVisBackend'),
    ])
