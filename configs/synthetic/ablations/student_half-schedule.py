# Ablation: the student trained half the teacher's iterations (6,400, the default length until
# 2026-12-07), the same schedule shape; tools/distill.py derives its same-recipe control, as
# long. On the labels of the default 12,800-iteration teachers of seeds 0 / 1 it scored 64.7 /
# 65.6, against 67.2 / 70.0 for the default student and 62.2 / 68.0 for the teachers: the
# student must be as long as its teacher (docs/synthetic_results.md, "The paper's protocol at
# 12,800 iterations").
_base_ = '../student.py'

max_iters = _base_.max_iters // 2
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
