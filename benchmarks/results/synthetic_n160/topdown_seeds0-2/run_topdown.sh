#!/bin/bash
# issue 14: the top-down 3-seed table (resumable: re-run this script to continue).
# Since 2026-12-01 08:05 only the labeled-only / truth arms here (the students on the 1,000-it
# teacher's labels were dropped); the students are in run_topdown_ctrl.sh (teacher = control).
cd /work/bench2
export PYTHONPATH=/work/bench2 OMP_NUM_THREADS=1
/work/main/.venv/bin/python tools/distill.py --family topdown --seeds 3 --jobs 1 --only-arms control oracle \
    --detector-config configs/synthetic/ablations/teacher_half-schedule.py \
    --data-root /work/runs/data --work-dir /work/runs/topdown_seeds0-2 >> /work/runs/topdown_seeds0-2.log 2>&1
