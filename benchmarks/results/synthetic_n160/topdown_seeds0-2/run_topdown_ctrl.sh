#!/bin/bash
# issue 14, the protocol of the Keypoint R-CNN family: teacher = the best labeled-only model
# measured = the same-recipe control (2,000 it) of topdown_seeds0-2; its labels on that run's
# detector's boxes; the re-trained student (2,000 it). Usage: run_topdown_ctrl.sh SEEDS FIRST_SEED
cd /work/bench2
export PYTHONPATH=/work/bench2 OMP_NUM_THREADS=1
R=/work/runs/topdown_seeds0-2
/work/main/.venv/bin/python tools/distill.py --family topdown --seeds $1 --first-seed $2 --jobs 1 --skip-arms control oracle \
    --detector-config configs/synthetic/ablations/teacher_half-schedule.py \
    --detector-checkpoint "$R/seed{seed}/detector/iter_3200.pth" \
    --teacher-checkpoint "$R/seed{seed}/control/iter_2000.pth" \
    --data-root /work/runs/data --work-dir /work/runs/topdown_ctrl-teacher >> /work/runs/topdown_ctrl-teacher.log 2>&1
