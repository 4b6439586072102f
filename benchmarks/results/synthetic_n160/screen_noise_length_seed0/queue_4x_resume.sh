#!/bin/bash
# issue 11: resume the strong-aug 4x (12,800 it) labeled-only run on seed 0 (from iter_10000.pth).
cd /work/bench
PY="env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python"
S=/work/runs/screens
$PY $S/control_only.py --seeds 1 --first-seed 0 --data-root /work/runs/data --student-config $S/student_strong-aug_4x.py \
    --teacher-checkpoint "/work/runs/distill_n160/seed{seed}/control/iter_3200.pth" --work-dir $S/strong-aug_4x_control >> $S/strong-aug_4x_control.log 2>&1
