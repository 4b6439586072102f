# Pseudo-labels on the synthetic unlabeled split (CPU): the synthetic teacher with 3 scales x flip
# (the COCO setting, configs/pseudo_label.py, uses 9 scales x flip). Run:
#   python tools/pseudo_label.py configs/synthetic/pseudo_label.py TEACHER.pth --out pseudo.json
_base_ = ['./teacher.py']

data_root = 'data/synthetic/'
tta_scales = [224, 256, 288]  # short sides; the teacher tests at 256
tta_model = dict(
    type='KeypointRCNNTTAModel',
    nms_iou_thr=0.5,
    vote_iou_thr=0.8,
    max_per_img=100,
    scale_size_dep=False,
    base_scale=256,
    area_thr=64**2,
    cache_features=True)  # small images: keep the views' features instead of recomputing
tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='TestTimeAug',
        transforms=[
            [dict(type='KeypointResize', scale=(512, s), keep_ratio=True) for s in tta_scales],
            [dict(type='KeypointRandomFlip', prob=1.),
             dict(type='KeypointRandomFlip', prob=0.)],
            [dict(type='PackKeypointDetInputs',
                  meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor',
                             'flip', 'flip_direction', 'flip_indices', 'scale'))],
        ])
]
# what tools/pseudo_label.py reads; --unlabeled / --labeled / --score-thr / --kpt-thr override
pseudo_label = dict(
    unlabeled=data_root + 'annotations/unlabeled_images.json',  # image-info file or folder
    img_prefix=data_root + 'images/',  # where an image-info file's file_name are
    labeled=data_root + 'annotations/labeled.json',  # categories + calibration targets
    score_thr=None,  # None: calibrate persons/image to the labeled set's
    kpt_thr=None,  # None: calibrate keypoints/person to the labeled set's
    num_workers=0)
