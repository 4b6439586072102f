#!/bin/bash
# issue 11, session 11: seed 0, the default student (6,400 it) on the very labels of the 12,800-it
# student of run_s12800.sh (its stages.json seeded with that run's data, teacher and pseudo-label
# stages); starts when that student ends, so that the 2 cores hold two trainings.
while pgrep -f "work-dir /work/runs/s12800$" > /dev/null; do sleep 30; done
cd /work/bench
env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python tools/distill.py \
    --seeds 1 --first-seed 0 --data-root /work/runs/data --skip-arms control oracle \
    --work-dir /work/runs/s6400 >> /work/runs/s6400.log 2>&1
