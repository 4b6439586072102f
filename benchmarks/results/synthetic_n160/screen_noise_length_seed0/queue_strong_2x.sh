#!/bin/bash
# issue 11 screen on seed 0: strong augmentation x 2x schedule (6,400 it), the two arms side by side:
# (a) the strong-aug 2x labeled-only model (same-recipe control);
# (b) the strong-aug 2x student on the strong-aug 3,200-it teacher's pseudo-labels (52.5 AP against
#     the truth; the work dir was pre-seeded with strong-aug-teacher's data/teacher/pseudo_label stages).
# Resumable: re-run this script.
cd /work/bench
PY="env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python"
S=/work/runs/screens
COMMON="--seeds 1 --first-seed 0 --data-root /work/runs/data --student-config $S/student_strong-aug_2x.py"
$PY tools/distill.py $COMMON --skip-arms control oracle \
    --teacher-checkpoint "$S/strong-aug_control/seed{seed}/control/iter_3200.pth" --work-dir $S/strong-aug_2x > $S/strong-aug_2x.log 2>&1 &
$PY $S/control_only.py $COMMON \
    --teacher-checkpoint "/work/runs/distill_n160/seed{seed}/control/iter_3200.pth" --work-dir $S/strong-aug_2x_control > $S/strong-aug_2x_control.log 2>&1 &
wait
