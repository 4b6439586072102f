# Ablation: pseudo-labels from one view (the test scale, no flip) instead of the TTA views.
_base_ = '../pseudo_label.py'

tta_scales = [160]
tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TestTimeAug', transforms=[
        [dict(type='KeypointResize', scale=(320, s), keep_ratio=True) for s in tta_scales],
        [dict(type='KeypointRandomFlip', prob=0.)],
        [dict(type='PackKeypointDetInputs',
              meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
                         'flip_direction', 'flip_indices', 'scale'))],
    ])
]
