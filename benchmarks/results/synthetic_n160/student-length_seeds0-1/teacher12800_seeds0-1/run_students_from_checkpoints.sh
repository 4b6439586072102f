#!/bin/bash
# issue 11: the students of run_p12800.sh on a machine without that run's work dir. The teachers'
# weights are kept in checkpoints/ (model only, from iter_12800.pth), so only the pseudo-labels
# (about 4 min) and the two 12,800-iteration students (about 80 min side by side) are left to run.
# The teacher's recipe is the student's control recipe, so student - teacher = student - control.
# SKIP_ARMS=control re-runs it with the 12,800-iteration oracle: the same work dir, so the
# pseudo-labels and the students are reused and only the oracles train (about 80 min side by side).
REPO=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/work/runs}
SKIP_ARMS=${SKIP_ARMS:-control oracle}
mkdir -p $WORK
cd "$REPO"
bash tools/setup_env.sh > $WORK/setup.log 2>&1 || { echo "set-up failed: $WORK/setup.log"; exit 1; }
env OMP_NUM_THREADS=1 .venv/bin/python tools/distill.py \
    --seeds 2 --first-seed 0 --jobs 2 --data-root $WORK/data --skip-arms $SKIP_ARMS \
    --teacher-config configs/synthetic/ablations/teacher_2x-schedule.py \
    --teacher-checkpoint "$HERE/checkpoints/teacher12800_seed{seed}.pth" \
    --student-config configs/synthetic/ablations/student_2x-schedule.py \
    --work-dir $WORK/p12800_students >> $WORK/p12800_students.log 2>&1
