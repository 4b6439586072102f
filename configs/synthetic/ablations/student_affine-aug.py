# Ablation: more geometric noise on the student (and its same-recipe control), Noisy-Student
# style: the default training pipeline plus a random affine warp right after the flip (rotation
# up to 10 degrees and shear up to 2 degrees about the image centre, shift up to 10 % of the
# image; scale stays with the resize), on both sources. Keypoints and boxes follow the pixels
# (KeypointRandomAffine); boxes grow to the enclosing box of the turned box. The teacher and its
# labels are the default's.
_base_ = '../student.py'

_after_flip = [step['type'] for step in _base_.train_pipeline].index('KeypointRandomFlip') + 1
affine_train_pipeline = [
    *_base_.train_pipeline[:_after_flip],
    dict(type='KeypointRandomAffine', max_rotate_degree=10.0, max_translate_ratio=0.1,
         scaling_ratio_range=(1.0, 1.0), max_shear_degree=2.0),
    *_base_.train_pipeline[_after_flip:],
]
train_dataloader = dict(dataset=dict(datasets=[
    dict(source, pipeline=affine_train_pipeline)
    for source in _base_.train_dataloader.dataset.datasets
]))
