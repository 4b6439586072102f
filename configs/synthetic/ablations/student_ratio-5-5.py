# Ablation: labeled : pseudo-labeled = 5 : 5 per global batch instead of the paper's 6 : 4.
_base_ = '../student.py'

source_ratio = [5, 5]
train_dataloader = dict(sampler=dict(source_ratio=source_ratio))
