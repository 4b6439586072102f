auto_scale_lr = dict(base_batch_size=16, enable=False)
backend = 'pillow'
backend_args = None
custom_imports = dict(
    allow_failed_imports=False, imports=[
        'mmdistill',
    ])
data_root = '/work/runs/screen12800_pool-2400/data/seed0/'
dataset_type = 'CocoKeypointDetDataset'
default_hooks = dict(
    checkpoint=dict(
        _scope_='mmdet',
        by_epoch=False,
        interval=400,
        max_keep_ckpts=1,
        rule='greater',
        save_best='keypoints/AP',
        type='CheckpointHook'),
    logger=dict(_scope_='mmdet', interval=25, type='LoggerHook'),
    param_scheduler=dict(_scope_='mmdet', type='ParamSchedulerHook'),
    sampler_seed=dict(_scope_='mmdet', type='DistSamplerSeedHook'),
    timer=dict(_scope_='mmdet', type='IterTimerHook'),
    visualization=dict(_scope_='mmdet', type='DetVisualizationHook'))
default_scope = 'mmdet'
env_cfg = dict(
    cudnn_benchmark=False,
    dist_cfg=dict(backend='nccl'),
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0))
load_from = None
log_level = 'INFO'
log_processor = dict(
    _scope_='mmdet', by_epoch=False, type='LogProcessor', window_size=50)
max_iter = 90000
max_iters = 12800
model = dict(
    _scope_='mmdet',
    backbone=dict(
        base_channels=16,
        depth=18,
        frozen_stages=-1,
        init_cfg=None,
        norm_cfg=dict(requires_grad=True, type='BN'),
        norm_eval=False,
        num_stages=4,
        out_indices=(
            0,
            1,
            2,
            3,
        ),
        style='pytorch',
        type='ResNet'),
    data_preprocessor=dict(
        bgr_to_rgb=True,
        mean=[
            123.675,
            116.28,
            103.53,
        ],
        pad_size_divisor=32,
        std=[
            58.395,
            57.12,
            57.375,
        ],
        type='DetDataPreprocessor'),
    neck=dict(
        in_channels=[
            16,
            32,
            64,
            128,
        ],
        num_outs=5,
        out_channels=32,
        type='FPN'),
    roi_head=dict(
        bbox_head=dict(
            bbox_coder=dict(
                target_means=[
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                ],
                target_stds=[
                    0.1,
                    0.1,
                    0.2,
                    0.2,
                ],
                type='DeltaXYWHBBoxCoder'),
            fc_out_channels=128,
            in_channels=32,
            loss_bbox=dict(loss_weight=1.0, type='L1Loss'),
            loss_cls=dict(
                loss_weight=1.0, type='CrossEntropyLoss', use_sigmoid=False),
            num_classes=1,
            reg_class_agnostic=False,
            roi_feat_size=7,
            type='Shared2FCBBoxHead'),
        bbox_roi_extractor=dict(
            featmap_strides=[
                4,
                8,
                16,
                32,
            ],
            out_channels=32,
            roi_layer=dict(output_size=7, sampling_ratio=0, type='RoIAlign'),
            type='SingleRoIExtractor'),
        keypoint_head=dict(
            conv_out_channels=32,
            heatmap_size=28,
            in_channels=32,
            loss_weight=1.0,
            num_convs=4,
            num_keypoints=17,
            type='KeypointRCNNHead'),
        keypoint_roi_extractor=dict(
            featmap_strides=[
                4,
                8,
                16,
                32,
            ],
            out_channels=32,
            roi_layer=dict(output_size=7, sampling_ratio=2, type='RoIAlign'),
            type='SingleRoIExtractor'),
        type='KeypointRoIHead'),
    rpn_head=dict(
        anchor_generator=dict(
            ratios=[
                0.5,
                1.0,
                2.0,
            ],
            scales=[
                8,
            ],
            strides=[
                4,
                8,
                16,
                32,
                64,
            ],
            type='AnchorGenerator'),
        bbox_coder=dict(
            target_means=[
                0.0,
                0.0,
                0.0,
                0.0,
            ],
            target_stds=[
                1.0,
                1.0,
                1.0,
                1.0,
            ],
            type='DeltaXYWHBBoxCoder'),
        feat_channels=32,
        in_channels=32,
        loss_bbox=dict(loss_weight=1.0, type='L1Loss'),
        loss_cls=dict(
            loss_weight=1.0, type='CrossEntropyLoss', use_sigmoid=True),
        type='RPNHead'),
    test_cfg=dict(
        rcnn=dict(
            max_per_img=100,
            nms=dict(iou_threshold=0.5, type='nms'),
            score_thr=0.05),
        rpn=dict(
            max_per_img=100,
            min_bbox_size=0,
            nms=dict(iou_threshold=0.7, type='nms'),
            nms_pre=1000)),
    train_cfg=dict(
        rcnn=dict(
            assigner=dict(
                ignore_iof_thr=-1,
                match_low_quality=False,
                min_pos_iou=0.5,
                neg_iou_thr=0.5,
                pos_iou_thr=0.5,
                type='MaxIoUAssigner'),
            debug=False,
            pos_weight=-1,
            sampler=dict(
                add_gt_as_proposals=True,
                neg_pos_ub=-1,
                num=64,
                pos_fraction=0.25,
                type='RandomSampler')),
        rpn=dict(
            allowed_border=-1,
            assigner=dict(
                ignore_iof_thr=-1,
                match_low_quality=True,
                min_pos_iou=0.3,
                neg_iou_thr=0.3,
                pos_iou_thr=0.7,
                type='MaxIoUAssigner'),
            debug=False,
            pos_weight=-1,
            sampler=dict(
                add_gt_as_proposals=False,
                neg_pos_ub=-1,
                num=256,
                pos_fraction=0.5,
                type='RandomSampler')),
        rpn_proposal=dict(
            max_per_img=100,
            min_bbox_size=0,
            nms=dict(iou_threshold=0.7, type='nms'),
            nms_pre=1000)),
    type='FasterRCNN')
optim_wrapper = dict(
    _scope_='mmdet',
    clip_grad=dict(max_norm=10.0),
    optimizer=dict(lr=0.002, type='AdamW', weight_decay=0.0001),
    type='OptimWrapper')
param_scheduler = [
    dict(begin=0, by_epoch=False, end=100, start_factor=0.01, type='LinearLR'),
    dict(
        by_epoch=False,
        fractions=[
            0.8,
        ],
        gamma=0.1,
        type='FractionalMultiStepLR'),
]
randomness = dict(seed=0)
resume = False
test_cfg = dict(_scope_='mmdet', type='TestLoop')
test_dataloader = dict(
    batch_size=1,
    dataset=dict(
        _scope_='mmdet',
        ann_file='annotations/val.json',
        backend_args=None,
        data_prefix=dict(img='images/'),
        data_root='/work/runs/screen12800_pool-2400/data/seed0/',
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                320,
                160,
            ), type='KeypointResize'),
            dict(
                meta_keys=(
                    'img_id',
                    'img_path',
                    'ori_shape',
                    'img_shape',
                    'scale_factor',
                ),
                type='PackKeypointDetInputs'),
        ],
        test_mode=True,
        type='CocoKeypointDetDataset'),
    drop_last=False,
    num_workers=1,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(_scope_='mmdet', shuffle=False, type='DefaultSampler'))
test_evaluator = dict(
    ann_file='/work/runs/screen12800_pool-2400/data/seed0/annotations/val.json',
    type='CocoKeypointMetric')
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(keep_ratio=True, scale=(
        320,
        160,
    ), type='KeypointResize'),
    dict(
        meta_keys=(
            'img_id',
            'img_path',
            'ori_shape',
            'img_shape',
            'scale_factor',
        ),
        type='PackKeypointDetInputs'),
]
train_cfg = dict(
    _scope_='mmdet',
    max_iters=12800,
    type='IterBasedTrainLoop',
    val_interval=12800)
train_dataloader = dict(
    batch_sampler=dict(_scope_='mmdet', type='AspectRatioBatchSampler'),
    batch_size=4,
    dataset=dict(
        _scope_='mmdet',
        ann_file='annotations/labeled.json',
        backend_args=None,
        data_prefix=dict(img='images/'),
        data_root='/work/runs/screen12800_pool-2400/data/seed0/',
        filter_cfg=dict(
            filter_empty_gt=True, min_size=32, min_visible_keypoints=1),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadKeypointAnnotations', with_bbox=True),
            dict(
                keep_ratio=True,
                resize_type='KeypointResize',
                scales=[
                    (
                        320,
                        96,
                    ),
                    (
                        320,
                        128,
                    ),
                    (
                        320,
                        160,
                    ),
                    (
                        320,
                        192,
                    ),
                    (
                        320,
                        224,
                    ),
                ],
                type='RandomChoiceResize'),
            dict(prob=0.5, type='KeypointRandomFlip'),
            dict(type='PhotoMetricDistortion'),
            dict(type='PackKeypointDetInputs'),
        ],
        type='CocoKeypointDetDataset'),
    num_workers=1,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(_scope_='mmdet', shuffle=True, type='InfiniteSampler'))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadKeypointAnnotations', with_bbox=True),
    dict(
        keep_ratio=True,
        resize_type='KeypointResize',
        scales=[
            (
                320,
                96,
            ),
            (
                320,
                128,
            ),
            (
                320,
                160,
            ),
            (
                320,
                192,
            ),
            (
                320,
                224,
            ),
        ],
        type='RandomChoiceResize'),
    dict(prob=0.5, type='KeypointRandomFlip'),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackKeypointDetInputs'),
]
tta_model = dict(
    area_thr=2304,
    base_scale=160,
    cache_features=True,
    max_per_img=100,
    nms_iou_thr=0.5,
    scale_size_dep=False,
    type='KeypointRCNNTTAModel',
    vote_iou_thr=0.8)
tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        transforms=[
            [
                dict(
                    keep_ratio=True, scale=(
                        320,
                        128,
                    ), type='KeypointResize'),
                dict(
                    keep_ratio=True, scale=(
                        320,
                        160,
                    ), type='KeypointResize'),
                dict(
                    keep_ratio=True, scale=(
                        320,
                        192,
                    ), type='KeypointResize'),
            ],
            [
                dict(prob=1.0, type='KeypointRandomFlip'),
                dict(prob=0.0, type='KeypointRandomFlip'),
            ],
            [
                dict(
                    meta_keys=(
                        'img_id',
                        'img_path',
                        'ori_shape',
                        'img_shape',
                        'scale_factor',
                        'flip',
                        'flip_direction',
                        'flip_indices',
                        'scale',
                    ),
                    type='PackKeypointDetInputs'),
            ],
        ],
        type='TestTimeAug'),
]
tta_scales = [
    128,
    160,
    192,
]
val_cfg = dict(_scope_='mmdet', type='ValLoop')
val_dataloader = dict(
    batch_size=1,
    dataset=dict(
        _scope_='mmdet',
        ann_file='annotations/val.json',
        backend_args=None,
        data_prefix=dict(img='images/'),
        data_root='/work/runs/screen12800_pool-2400/data/seed0/',
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                320,
                160,
            ), type='KeypointResize'),
            dict(
                meta_keys=(
                    'img_id',
                    'img_path',
                    'ori_shape',
                    'img_shape',
                    'scale_factor',
                ),
                type='PackKeypointDetInputs'),
        ],
        test_mode=True,
        type='CocoKeypointDetDataset'),
    drop_last=False,
    num_workers=1,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(_scope_='mmdet', shuffle=False, type='DefaultSampler'))
val_evaluator = dict(
    ann_file='/work/runs/screen12800_pool-2400/data/seed0/annotations/val.json',
    type='CocoKeypointMetric')
vis_backends = [
    dict(_scope_='mmdet', type='LocalVisBackend'),
]
visualizer = dict(
    _scope_='mmdet',
    name='visualizer',
    type='KeypointDetLocalVisualizer',
    vis_backends=[
        dict(type='LocalVisBackend'),
    ])
width = 32
