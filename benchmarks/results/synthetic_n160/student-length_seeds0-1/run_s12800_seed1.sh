#!/bin/bash
# issue 11, session 11: seed 1, the default teacher (6,400 it) -> its pseudo-labels -> a student
# re-trained for 12,800 iterations (ablations/student_2x-schedule.py); no control/oracle arm
# (12,800-iteration labeled-only models of seed 0 were measured in earlier sessions). Resumable.
cd /work/bench
env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python tools/distill.py \
    --seeds 1 --first-seed 1 --data-root /work/runs/data --skip-arms control oracle \
    --student-config configs/synthetic/ablations/student_2x-schedule.py \
    --work-dir /work/runs/s12800_seed1 >> /work/runs/s12800_seed1.log 2>&1
