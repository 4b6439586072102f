#!/bin/bash
# issue 11 screen on seed 0, after queue_strong_2x.sh (strong-aug 2x labeled-only 62.1, its
# student on the 3,200-it strong-aug teacher's labels 59.0):
# (a) the strong-aug 2x labeled-only model (62.1) as the teacher -> pseudo-labels (default views)
#     -> strong-aug 2x student; its same-recipe control is the teacher itself;
# (b) the strong-aug 4x labeled-only model (12,800 it): does labeled-only training peak yet?
# Resumable: re-run this script.
cd /work/bench
PY="env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python"
S=/work/runs/screens
COMMON="--seeds 1 --first-seed 0 --data-root /work/runs/data"
$PY tools/distill.py $COMMON --skip-arms control oracle --student-config $S/student_strong-aug_2x.py \
    --teacher-checkpoint "$S/strong-aug_2x_control/seed{seed}/control/iter_6400.pth" --work-dir $S/strong-aug_2x-teacher > $S/strong-aug_2x-teacher.log 2>&1 &
$PY $S/control_only.py $COMMON --student-config $S/student_strong-aug_4x.py \
    --teacher-checkpoint "/work/runs/distill_n160/seed{seed}/control/iter_3200.pth" --work-dir $S/strong-aug_4x_control > $S/strong-aug_4x_control.log 2>&1 &
wait
