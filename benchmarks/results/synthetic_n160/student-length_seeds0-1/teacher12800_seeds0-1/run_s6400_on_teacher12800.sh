#!/bin/bash
# issue 11, session 14: the default 6,400-iteration student (configs/synthetic/student.py) on the
# very labels of the 12,800-iteration teachers (run_students_from_checkpoints.sh's work dir): each
# seed's stages.json is seeded with that run's data, teacher, pseudo-label and teacher-eval stages,
# so only the two students train (about 45 min side by side). The student schedule-length ablation
# of the paper's protocol: is a student as long as the teacher enough?
REPO=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/work/runs}
SRC=$WORK/p12800_students
for seed in 0 1; do
    mkdir -p $WORK/p12800_s6400/seed$seed
    python3 -c "import json, sys; state = json.load(open(sys.argv[1])); json.dump({stage: state[stage] for stage in ('data', 'teacher', 'pseudo_label', 'eval_teacher')}, open(sys.argv[2], 'w'), indent=2)" \
        $SRC/seed$seed/stages.json $WORK/p12800_s6400/seed$seed/stages.json
done
cd "$REPO"
env OMP_NUM_THREADS=1 .venv/bin/python tools/distill.py \
    --seeds 2 --first-seed 0 --jobs 2 --data-root $WORK/data --skip-arms control oracle \
    --teacher-config configs/synthetic/ablations/teacher_2x-schedule.py \
    --teacher-checkpoint "$HERE/checkpoints/teacher12800_seed{seed}.pth" \
    --work-dir $WORK/p12800_s6400 >> $WORK/p12800_s6400.log 2>&1
