#!/bin/bash
# 2026-11-30 session 4 (reordered): after the threshold on seeds 3-5, the threshold + pool
# combination on seeds 0-2, then the pool alone on seeds 1-2 beside the top-down pose teacher
while pgrep -f "kpt-thr-0.2_seeds3-5" > /dev/null; do sleep 20; done
cd /work/bench
PY="env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python"
# threshold 0.2 + pool 2,400 on seeds 0-2 (the pool's shards: predictions before any threshold)
$PY tools/distill.py --seeds 3 --first-seed 0 --jobs 3 --skip-arms control oracle \
    --teacher-checkpoint '/work/runs/distill_n160/seed{seed}/control/iter_3200.pth' \
    --data-root /work/runs/data_un2400 --num-unlabeled 2400 --work-dir /work/runs/screens/combo \
    --pseudo-label-config configs/synthetic/ablations/pseudo_label_kpt-thr-0.2.py \
    > /work/runs/screens/combo.log 2>&1
(cd /work/main && $PY tools/train.py /work/runs/topdown_views/configs/pose_teacher.py \
    --work-dir /work/runs/topdown_views/pose_teacher --resume > /work/runs/topdown_views/pose_teacher.log 2>&1) &
$PY tools/distill.py --seeds 3 --first-seed 0 --jobs 2 --skip-arms control oracle \
    --teacher-checkpoint '/work/runs/distill_n160/seed{seed}/control/iter_3200.pth' \
    --data-root /work/runs/data_un2400 --num-unlabeled 2400 --work-dir /work/runs/screens/unlabeled-2400 \
    > /work/runs/screens/unlabeled-2400_seeds1-2.log 2>&1
wait
