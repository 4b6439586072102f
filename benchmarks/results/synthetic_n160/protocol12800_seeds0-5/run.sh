#!/bin/bash
# issue 11: the paper's protocol at 12,800 iterations (teacher = the best labeled-only model = the
# student's same-recipe control; student re-trained from scratch for 12,800 iterations) on seeds
# 2-5, and the 12,800-iteration oracles of seeds 0-5. Each training takes 66-80 minutes with
# two side by side, so the runs span sessions: `park` keeps the newest checkpoint of every
# unfinished training (and a finished teacher's weights) in parked/, and the next call on any
# machine resumes from there.
#
#   bash run.sh protocol SEED...   # per seed: data -> teacher -> pseudo-labels -> student
#   bash run.sh oracle SEED...     # per seed: data -> oracle (the student's recipe on the truth)
#   bash run.sh park               # before the session ends: park and archive every run
#
# One call runs its seeds one after another on one thread; start two calls side by side.
# Work dirs: $WORK/p12800_{protocol,oracle}_seed<S>, each with its own data root.
REPO=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/work/runs}
MODE=$1
shift
set -euo pipefail
mkdir -p "$WORK"
cd "$REPO"
bash tools/setup_env.sh > "$WORK/setup_$MODE.log" 2>&1 || {
    echo "set-up failed: $WORK/setup_$MODE.log"; exit 1; }
PY=.venv/bin/python

if [[ $MODE == park ]]; then
    for work in "$WORK"/p12800_*_seed*; do
        name=$(basename "$work")
        $PY benchmarks/park_run.py park "$work" "$HERE/parked/${name#p12800_}"
        $PY benchmarks/archive_run.py "$work" "$HERE/${name#p12800_}" --log "$work.log"
    done
    exit 0
fi

case $MODE in
    protocol) ARMS=(--skip-arms oracle) ;;
    oracle) ARMS=(--only-arms oracle) ;;
    *) echo "usage: run.sh protocol|oracle SEED... | run.sh park"; exit 2 ;;
esac
for seed in "$@"; do
    name=${MODE}_seed$seed
    work=$WORK/p12800_$name
    parked=$HERE/parked/$name
    arms=("${ARMS[@]}")
    if [[ -d $parked ]]; then
        # a parked teacher is given, unless this machine's work dir already recorded one; a
        # given teacher does not count as the control (distill.py cannot see how it trained),
        # so the control is skipped: the teacher's recipe is the control's (run.sh's configs)
        if [[ -f $parked/seed$seed/teacher.pth && ! -f $work/seed$seed/stages.json ]]; then
            arms=(--skip-arms control oracle --teacher-checkpoint "$parked/seed$seed/teacher.pth")
        fi
        $PY benchmarks/park_run.py restore "$parked" "$work" >> "$work.log" 2>&1
    fi
    env OMP_NUM_THREADS=1 $PY tools/distill.py \
        --seeds 1 --first-seed "$seed" --jobs 1 --data-root "$work/data" "${arms[@]}" \
        --teacher-config configs/synthetic/ablations/teacher_2x-schedule.py \
        --student-config configs/synthetic/ablations/student_2x-schedule.py \
        --work-dir "$work" >> "$work.log" 2>&1
done
