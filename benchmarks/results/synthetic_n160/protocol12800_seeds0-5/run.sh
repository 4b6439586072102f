#!/bin/bash
# issue 11: the paper's protocol at 12,800 iterations (teacher = the best labeled-only model = the
# student's same-recipe control; student re-trained from scratch for 12,800 iterations) on seeds
# 2-5, and the 12,800-iteration oracles of seeds 0-5. Each training takes 66-80 minutes with
# two side by side, so the runs span sessions: `park` keeps the newest checkpoint of every
# unfinished training (and the weights of the finished ones: a teacher's, and while the run is
# unfinished every other) in parked/, and the next call on any machine resumes from there.
#
#   bash run.sh protocol SEED...   # per seed: data -> teacher -> pseudo-labels -> student
#   bash run.sh oracle SEED...     # per seed: data -> oracle (the student's recipe on the truth)
#   bash run.sh labeled-25600 SEED...  # per seed: data -> labeled-only for 25,600 iterations (is
#                                  # the 12,800 teacher the best labeled-only model?)
#   bash run.sh protocol-25600 SEED... # the protocol one length up: the parked labeled-25600
#                                  # model is the teacher (and control) -> pseudo-labels -> a
#                                  # 25,600-iteration student
#   bash run.sh oracle-25600 SEED...   # per seed: data -> the 25,600-iteration oracle
#   bash run.sh park               # before the session ends: park and archive every run
#
# The 12,800-iteration recipe is the synthetic default since 2026-12-07 (configs/synthetic/
# teacher.py, student.py); the runs before used configs/synthetic/ablations/{teacher,student}_
# 2x-schedule.py, which were that recipe then and are twice as long now.
#
# One call runs its seeds one after another on one thread; start two calls side by side.
# Work dirs: $WORK/p12800_<mode>_seed<S>, each with its own data root.
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
        # a finished labeled-only control is kept too: a 25,600 one may be the next teacher
        $PY benchmarks/park_run.py park "$work" "$HERE/parked/${name#p12800_}" \
            --models teacher control
        $PY benchmarks/archive_run.py "$work" "$HERE/${name#p12800_}" --log "$work.log"
    done
    exit 0
fi

TWICE=(--student-config configs/synthetic/ablations/student_2x-schedule.py)
TEACHER_RUN=  # the parked run whose labeled-only control is the teacher
case $MODE in
    protocol) ARMS=(--skip-arms oracle); RECIPE=() ;;
    oracle) ARMS=(--only-arms oracle); RECIPE=() ;;
    # the control of the 25,600-iteration student: labeled-only training at twice the default
    labeled-25600) ARMS=(--only-arms control); RECIPE=("${TWICE[@]}") ;;
    protocol-25600) ARMS=(--skip-arms control oracle); RECIPE=("${TWICE[@]}")
                    TEACHER_RUN=labeled-25600 ;;
    oracle-25600) ARMS=(--only-arms oracle); RECIPE=("${TWICE[@]}") ;;
    *) echo "usage: run.sh protocol|oracle|labeled-25600|protocol-25600|oracle-25600 SEED..." \
            "| run.sh park"; exit 2 ;;
esac
for seed in "$@"; do
    name=${MODE}_seed$seed
    work=$WORK/p12800_$name
    parked=$HERE/parked/$name
    arms=("${ARMS[@]}")
    teacher=()
    if [[ -n $TEACHER_RUN ]]; then
        teacher=(--teacher-checkpoint "$HERE/parked/${TEACHER_RUN}_seed$seed/seed$seed/control.pth")
        [[ -f ${teacher[1]} ]] || { echo "no parked teacher: ${teacher[1]}"; exit 1; }
    fi
    if [[ -d $parked ]]; then
        # a parked teacher is given, unless this machine's work dir already recorded one; a
        # given teacher does not count as the control (distill.py cannot see how it trained),
        # so the control is skipped: the teacher's recipe is the control's (run.sh's configs)
        if [[ -f $parked/seed$seed/teacher.pth && ! -f $work/seed$seed/stages.json ]]; then
            arms=(--skip-arms control oracle)
            teacher=(--teacher-checkpoint "$parked/seed$seed/teacher.pth")
        fi
        $PY benchmarks/park_run.py restore "$parked" "$work" >> "$work.log" 2>&1
    fi
    env OMP_NUM_THREADS=1 $PY tools/distill.py \
        --seeds 1 --first-seed "$seed" --jobs 1 --data-root "$work/data" "${arms[@]}" \
        "${teacher[@]}" "${RECIPE[@]}" --work-dir "$work" >> "$work.log" 2>&1
done
