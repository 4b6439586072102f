# Ablation: pseudo-labels from the test scale with and without flip (2 views) instead of the
# three scales x flip of ../pseudo_label.py.
_base_ = '../pseudo_label.py'

tta_scales = [160]
tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TestTimeAug', transforms=[
        [dict(type='KeypointResize', scale=(320, s), keep_ratio=True) for s in tta_scales],
        _base_.tta_pipeline[1].transforms[1],  # flip, no flip
        _base_.tta_pipeline[1].transforms[2],  # pack
    ])
]
