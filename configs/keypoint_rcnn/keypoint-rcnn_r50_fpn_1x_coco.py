# Keypoint R-CNN R-50-FPN (Mask R-CNN's keypoint variant), Detectron's 1x schedule
# (e2e_keypoint_rcnn_R-50-FPN_1x): 90k iterations at 16 images per batch (8 GPUs x 2), SGD with
# LR 0.02, linear warm-up over 500 iterations from 1/3, LR x0.1 at 60k and 80k; short side 640-800
# in training, 800 in testing. Detectron: 64.1 keypoint AP on COCO minival.
# Model, schedule and runtime come from mmdet's zoo; this adds the keypoint branch and data.
_base_ = [
    'mmdet::_base_/models/faster-rcnn_r50_fpn.py',
    'mmdet::common/ms-90k_coco.py',
]
custom_imports = dict(imports=['mmdistill'], allow_failed_imports=False)
default_scope = 'mmdet'

model = dict(
    roi_head=dict(
        type='KeypointRoIHead',
        bbox_head=dict(num_classes=1),
        keypoint_roi_extractor=dict(
            type='SingleRoIExtractor',
            roi_layer=dict(type='RoIAlign', output_size=14, sampling_ratio=2),
            out_channels=256,
            featmap_strides=[4, 8, 16, 32]),
        keypoint_head=dict(
            type='KeypointRCNNHead',
            num_keypoints=17,
            in_channels=256,
            num_convs=8,
            conv_out_channels=512,
            heatmap_size=56,
            loss_weight=1.0)))

# data: COCO person keypoints, boxes and keypoints per person
dataset_type = 'CocoKeypointDetDataset'
data_root = 'data/coco/'
backend_args = None
train_pipeline = [
    dict(type='LoadImageFromFile', backend_args=backend_args),
    dict(type='LoadKeypointAnnotations', with_bbox=True),
    dict(
        type='RandomChoiceResize',
        scales=[(1333, short) for short in range(640, 801, 32)],
        keep_ratio=True,
        resize_type='KeypointResize'),
    dict(type='KeypointRandomFlip', prob=0.5),
    dict(type='PackKeypointDetInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile', backend_args=backend_args),
    dict(type='KeypointResize', scale=(1333, 800), keep_ratio=True),
    dict(
        type='PackKeypointDetInputs',
        meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor')),
]
train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/person_keypoints_train2017.json',
        data_prefix=dict(img='train2017/'),
        # Detectron trains only on images with at least one labeled keypoint
        filter_cfg=dict(filter_empty_gt=True, min_size=32, min_visible_keypoints=1),
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/person_keypoints_val2017.json',
        data_prefix=dict(img='val2017/'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(
    _delete_=True,
    type='CocoKeypointMetric',
    ann_file=data_root + 'annotations/person_keypoints_val2017.json')
test_evaluator = val_evaluator
# mmdet's DetLocalVisualizer draws boxes only; this also draws keypoints and skeletons
# (tools/test.py --show-dir)
visualizer = dict(type='KeypointDetLocalVisualizer')

# Detectron's warm-up: linear from LR/3 over 500 iterations
param_scheduler = [
    dict(type='LinearLR', start_factor=1 / 3, by_epoch=False, begin=0, end=500),
    dict(
        type='MultiStepLR',
        begin=0,
        end={{_base_.max_iter}},
        by_epoch=False,
        milestones=[60000, 80000],
        gamma=0.1),
]
