#!/bin/bash
# top-down view table on seed 0: waits for the pose teacher, then labels the unlabeled split under
# four view sets on the detector's fixed boxes (the seed-0 3,200-it Keypoint R-CNN, its views)
while [ ! -f /work/runs/topdown_views/pose_teacher/iter_1000.pth ] || pgrep -f pose_teacher.py > /dev/null; do sleep 20; done
cd /work/bench
env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python benchmarks/topdown_view_table.py \
    /work/runs/topdown_views/pose_teacher/iter_1000.pth \
    --detector configs/synthetic/teacher.py /work/runs/distill_n160/seed0/control/iter_3200.pth \
    --data-root /work/runs/data/seed0 --work-dir /work/runs/topdown_views/table \
    > /work/runs/topdown_views/table.log 2>&1
