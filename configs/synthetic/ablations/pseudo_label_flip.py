# Ablation: pseudo-labels from the test scale with and without flip (2 views) instead of the
# three scales x flip of ../pseudo_label.py: only the scales of its TestTimeAug change.
_base_ = '../pseudo_label.py'

tta_pipeline = [
    _base_.tta_pipeline[0],
    dict(_base_.tta_pipeline[1], transforms=[
        [dict(type='KeypointResize', scale=(320, 160), keep_ratio=True)],
        *_base_.tta_pipeline[1].transforms[1:],  # flip / no flip, pack
    ]),
]
