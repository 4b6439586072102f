# Ablation (Noisy-Student style): noise on the student — a wider scale range (0.6-1.4x the
# test scale) and photometric distortion — on both sources. tools/distill.py derives its
# same-recipe control (the same augmentation on the labeled images). Resize and flip carry the
# keypoints.
_base_ = '../student.py'

strong_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadKeypointAnnotations', with_bbox=True),
    dict(type='RandomChoiceResize', scales=[(320, s) for s in (96, 128, 160, 192, 224)],
         keep_ratio=True, resize_type='KeypointResize'),
    dict(type='KeypointRandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackKeypointDetInputs'),
]
train_dataloader = dict(dataset=dict(datasets=[
    dict(source, pipeline=strong_train_pipeline)
    for source in _base_.train_dataloader.dataset.datasets
]))
