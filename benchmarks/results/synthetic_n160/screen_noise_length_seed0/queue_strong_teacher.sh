#!/bin/bash
# issue 11: the strong-augmentation labeled-only model is the better teacher (seed 0: 54.8 vs 48.5).
# (a) seed 0: that model as teacher -> pseudo-labels (default views) -> strong-aug student; its
#     same-recipe control is the teacher itself (strong-aug_control/seed0);
# (b) seeds 1, 2: the strong-aug labeled-only model (is +6.3 more than seed 0's luck?).
cd /work/bench
PY="env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python"
COMMON="--seeds 1 --data-root /work/runs/data"
S=/work/runs/screens
A=configs/synthetic/ablations
$PY tools/distill.py $COMMON --first-seed 0 --skip-arms control oracle --student-config $A/student_strong-aug.py \
    --teacher-checkpoint "$S/strong-aug_control/seed{seed}/control/iter_3200.pth" --work-dir $S/strong-aug-teacher > $S/strong-aug-teacher.log 2>&1 &
for seed in 1 2; do
  $PY $S/control_only.py $COMMON --first-seed $seed --student-config $A/student_strong-aug.py \
      --teacher-checkpoint "/work/runs/distill_n160/seed{seed}/control/iter_3200.pth" --work-dir $S/strong-aug_control > $S/strong-aug_control_seed$seed.log 2>&1 &
done
wait
