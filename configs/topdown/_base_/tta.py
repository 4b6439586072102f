# Test-time views of a top-down heatmap model (TopdownPoseTTAModel): every person box of an
# image cropped at each padding (the first is the base frame) x without / with a horizontal flip;
# heatmaps averaged in the base frame and decoded once by the model's codec.
# The boxes come with each image sample (``bbox`` and ``bbox_score`` in the pipeline results).
tta_model = dict(type='TopdownPoseTTAModel', paddings=(1.25, 1.0, 1.5), flips=(False, True))
tta_pipeline = [
    dict(type='LoadImage'),
    dict(type='PackPoseInputs', meta_keys=('id', 'img_id', 'img_path', 'ori_shape', 'img_shape',
                                           'flip_indices'))
]
