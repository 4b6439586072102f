#!/bin/bash
# issue 11: the oracle arm (the default student's recipe with the hidden truth) of the default
# recipe on seeds 0 and 1, side by side, reusing every other stage of strong-aug_2x-teacher/.
# Resumable: re-run this script (add seed 2 with --seeds 3).
cd /work/bench
PY="env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python"
S=/work/runs/screens
$PY tools/distill.py --seeds 2 --first-seed 0 --jobs 2 --data-root /work/runs/data --skip-arms control \
    --student-config $S/student_strong-aug_2x.py --teacher-checkpoint "$S/strong-aug_2x_control/seed{seed}/control/iter_6400.pth" \
    --work-dir $S/strong-aug_2x-teacher > $S/strong-aug_2x-teacher_oracle_seeds0-1.log 2>&1
