#!/bin/bash
# issue 11, session 12: seed 0, the 12,800-iteration same-recipe control (labeled-only) of
# ablations/student_2x-schedule.py, trained in the work dir of run_s12800.sh (its data,
# teacher, labels and student reused from stages.json). Rewritten from that session's notes after
# the machine and its /work/runs were lost; the arguments are those of the run.
cd /work/bench
env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python tools/distill.py \
    --seeds 1 --first-seed 0 --data-root /work/runs/data --skip-arms oracle \
    --student-config configs/synthetic/ablations/student_2x-schedule.py \
    --work-dir /work/runs/s12800 >> /work/runs/s12800.ctl.log 2>&1
