# Ablation: train the student from ImageNet initialisation (the backbone's init_cfg) instead of
# fine-tuning from the teacher checkpoint.
_base_ = '../student.py'

load_from = None
