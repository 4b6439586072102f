#!/bin/bash
# 2026-11-30 session 4: the lever runs lost at last session's end, then the threshold + pool combination
cd /work/bench
PY="env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python"
# 1. keypoint threshold 0.2 on the confirmation seeds 3-5
$PY tools/distill.py --seeds 3 --first-seed 3 --jobs 3 --skip-arms control oracle \
    --teacher-checkpoint '/work/runs/confirm_t2x/seed{seed}/teacher/iter_3200.pth' \
    --data-root /work/runs/data --work-dir /work/runs/screens/kpt-thr-0.2_seeds3-5 \
    --pseudo-label-config configs/synthetic/ablations/pseudo_label_kpt-thr-0.2.py \
    > /work/runs/screens/kpt-thr-0.2_seeds3-5.log 2>&1
# 2. the 2,400-image pool on seeds 1-2, beside the top-down view table's pose teacher
(cd /work/main && $PY tools/train.py /work/runs/topdown_views/configs/pose_teacher.py \
    --work-dir /work/runs/topdown_views/pose_teacher --resume > /work/runs/topdown_views/pose_teacher.log 2>&1) &
$PY tools/distill.py --seeds 3 --first-seed 0 --jobs 2 --skip-arms control oracle \
    --teacher-checkpoint '/work/runs/distill_n160/seed{seed}/control/iter_3200.pth' \
    --data-root /work/runs/data_un2400 --num-unlabeled 2400 --work-dir /work/runs/screens/unlabeled-2400 \
    > /work/runs/screens/unlabeled-2400_seeds1-2.log 2>&1
wait
# 3. threshold 0.2 + pool 2,400 on seeds 0-2 (the pool's shards: predictions before any threshold)
$PY tools/distill.py --seeds 3 --first-seed 0 --jobs 3 --skip-arms control oracle \
    --teacher-checkpoint '/work/runs/distill_n160/seed{seed}/control/iter_3200.pth' \
    --data-root /work/runs/data_un2400 --num-unlabeled 2400 --work-dir /work/runs/screens/combo \
    --pseudo-label-config configs/synthetic/ablations/pseudo_label_kpt-thr-0.2.py \
    > /work/runs/screens/combo.log 2>&1
