#!/bin/bash
# issue 11: the strong-aug 2x labeled-only model on seed 2 (the teacher = same-recipe control of the
# strong-aug 2x student protocol that gave +1.6 on seed 0). Resumable.
cd /work/bench
PY="env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python"
S=/work/runs/screens
$PY $S/control_only.py --seeds 1 --first-seed 2 --data-root /work/runs/data --student-config $S/student_strong-aug_2x.py \
    --teacher-checkpoint "/work/runs/distill_n160/seed{seed}/control/iter_3200.pth" --work-dir $S/strong-aug_2x_control > $S/strong-aug_2x_control_seed2.log 2>&1
