#!/bin/bash
# waits for the seeds 3-5 confirmation, then screens three levers on seed 0 side by side
while kill -0 14593 2>/dev/null; do sleep 20; done
cd /work/bench
PY="env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python"
COMMON="--seeds 1 --first-seed 0 --skip-arms control oracle --teacher-checkpoint /work/runs/distill_n160/seed{seed}/control/iter_3200.pth"
$PY tools/distill.py $COMMON --data-root /work/runs/data --work-dir /work/runs/screens/kpt-thr-0.2 \
    --pseudo-label-config configs/synthetic/ablations/pseudo_label_kpt-thr-0.2.py > /work/runs/screens/kpt-thr-0.2.log 2>&1 &
$PY tools/distill.py $COMMON --data-root /work/runs/data --work-dir /work/runs/screens/ratio-5-5 \
    --student-config configs/synthetic/ablations/student_ratio-5-5.py > /work/runs/screens/ratio-5-5.log 2>&1 &
$PY tools/distill.py $COMMON --data-root /work/runs/data_un2400 --num-unlabeled 2400 --work-dir /work/runs/screens/unlabeled-2400 \
    > /work/runs/screens/unlabeled-2400.log 2>&1 &
wait
