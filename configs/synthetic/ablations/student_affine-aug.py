# Ablation: more geometric noise on the student (and its same-recipe control), Noisy-Student
# style: the default training pipeline plus a random affine warp after the flip (rotation up to
# 20 degrees, shift up to 10 % of the image, shear up to 2 degrees; scale stays with the resize),
# on both sources. Keypoints and boxes follow the pixels (KeypointRandomAffine); the teacher and
# its labels are the default's.
_base_ = '../student.py'

affine_train_pipeline = [
    *_base_.train_pipeline[:4],  # load, annotations, multi-scale resize, flip
    dict(type='KeypointRandomAffine', max_rotate_degree=20.0, max_translate_ratio=0.1,
         scaling_ratio_range=(1.0, 1.0), max_shear_degree=2.0),
    *_base_.train_pipeline[4:],  # photometric distortion, pack
]
train_dataloader = dict(dataset=dict(datasets=[
    dict(source, pipeline=affine_train_pipeline)
    for source in _base_.train_dataloader.dataset.datasets
]))
