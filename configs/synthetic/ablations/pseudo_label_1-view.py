# Ablation: pseudo-labels from one view (the test scale, no flip) instead of the TTA views.
_base_ = '../pseudo_label.py'

tta_scales = [160]
tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TestTimeAug', transforms=[
        [dict(type='KeypointResize', scale=(320, s), keep_ratio=True) for s in tta_scales],
        [dict(type='KeypointRandomFlip', prob=0.)],
        _base_.tta_pipeline[1].transforms[2],  # pack
    ])
]
