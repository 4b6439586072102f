#!/bin/bash
# issue 11, session 13: the paper's protocol at twice the default length, seeds 0-1, in one run.
# Teacher = the best labeled-only model measured = labeled-only for 12,800 iterations
# (ablations/teacher_2x-schedule.py), which is also the student's same-recipe control
# (arms.trains_like), -> its pseudo-labels (default views) -> a student re-trained from scratch
# for 12,800 iterations (ablations/student_2x-schedule.py). No oracle (session time). Resumable.
cd /work/bench
env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python tools/distill.py \
    --seeds 2 --first-seed 0 --jobs 2 --data-root /work/runs/data --skip-arms oracle \
    --teacher-config configs/synthetic/ablations/teacher_2x-schedule.py \
    --student-config configs/synthetic/ablations/student_2x-schedule.py \
    --work-dir /work/runs/p12800 >> /work/runs/p12800.log 2>&1
