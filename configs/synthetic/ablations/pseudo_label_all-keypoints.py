# Ablation: annotate every keypoint of a kept person (no keypoint threshold) instead of
# calibrating the keypoint threshold to the labeled set's keypoints per person.
_base_ = '../pseudo_label.py'

pseudo_label = dict(kpt_thr=0.0)
