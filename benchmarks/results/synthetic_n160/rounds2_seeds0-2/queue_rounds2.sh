#!/bin/bash
# iterated distillation on seeds 0-2: round 1 is the default-student run (copied from
# /work/runs/screen_teacher3200), round 2 = its students label the pool under the same views
while pgrep -f "unlabeled-2400 " > /dev/null || pgrep -f queue_day4b.sh > /dev/null; do sleep 20; done
cd /work/bench
env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python tools/distill.py \
    --seeds 3 --first-seed 0 --jobs 3 --rounds 2 --skip-arms control oracle \
    --teacher-checkpoint '/work/runs/distill_n160/seed{seed}/control/iter_3200.pth' \
    --data-root /work/runs/data --work-dir /work/runs/screens/rounds2 \
    > /work/runs/screens/rounds2.log 2>&1
