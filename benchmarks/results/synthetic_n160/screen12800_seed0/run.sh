#!/bin/bash
# issue 11: a seed-0 screen of levers on today's default (the paper's protocol at 12,800
# iterations), each the default student (67.2 on seed 0) with one change, on the same teacher
# (../student-length_seeds0-1/teacher12800_seeds0-1/checkpoints/teacher12800_seed0.pth, 62.2):
#   bash run.sh finetune   # the student fine-tuned from the teacher instead of re-trained
#   bash run.sh 1-view     # pseudo-labels from one view (short side 160) instead of 3 scales x flip
#   bash run.sh ratio-8-2  # labeled : pseudo-labeled 8 : 2 per batch instead of the paper's 6 : 4
#   bash run.sh all-keypoints  # every keypoint of a kept person labeled (no keypoint threshold)
#   bash run.sh pool-2400  # 2,400 unlabeled images instead of 600 (the first 600 are the same)
#   bash run.sh affine-aug # rotation / shift / shear on the student, and its own control beside
#   bash run.sh rounds-2   # a second round: the (re-made) default student labels the pool again
#   bash run.sh park       # before the session ends: every unfinished student -> parked/<lever>/
# One thread each; start two side by side (about 70 min; affine-aug alone is two trainings).
# Work dirs: $WORK/screen12800_<lever>. A lever with a parked/<lever>/ resumes from it on any
# machine (its pseudo-labels are made again: same teacher, same data; a finished round-1
# student of rounds-2 is parked too and labels round 2 again instead of being re-trained).
REPO=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/work/runs}
PY=$REPO/.venv/bin/python
TEACHER=$REPO/benchmarks/results/synthetic_n160/student-length_seeds0-1/teacher12800_seeds0-1/checkpoints/teacher12800_seed0.pth
LEVER=$1
set -euo pipefail
if [[ $LEVER == park ]]; then
    for work in "$WORK"/screen12800_*/; do
        work=${work%/}
        $PY "$REPO/benchmarks/park_run.py" park "$work" "$HERE/parked/${work##*/screen12800_}"
    done
    exit 0
fi
ARMS=(--skip-arms control oracle --jobs 1)  # the default teacher is these levers' control
case $LEVER in
    finetune) OPTION=(--student-config configs/synthetic/ablations/student_finetune-from-teacher.py) ;;
    1-view) OPTION=(--pseudo-label-config configs/synthetic/ablations/pseudo_label_1-view.py) ;;
    ratio-8-2) OPTION=(--student-config configs/synthetic/ablations/student_ratio-8-2.py) ;;
    all-keypoints)
        OPTION=(--pseudo-label-config configs/synthetic/ablations/pseudo_label_all-keypoints.py) ;;
    pool-2400) OPTION=(--num-unlabeled 2400) ;;
    affine-aug) OPTION=(--student-config configs/synthetic/ablations/student_affine-aug.py)
        ARMS=(--skip-arms oracle --jobs 2) ;;  # its labeled-only control has the noise too
    rounds-2) OPTION=(--rounds 2) ;;  # two trainings one after the other (about 2.5 h)
    *) echo "usage: run.sh finetune|1-view|ratio-8-2|all-keypoints|pool-2400|affine-aug|rounds-2|park"
       exit 2 ;;
esac
cd "$REPO"
mkdir -p "$WORK"
bash tools/setup_env.sh > "$WORK/setup_screen12800.log" 2>&1 || {
    echo "set-up failed: $WORK/setup_screen12800.log"; exit 1; }
work=$WORK/screen12800_$LEVER
if [[ -d $HERE/parked/$LEVER ]]; then
    $PY benchmarks/park_run.py restore "$HERE/parked/$LEVER" "$work" >> "$work.log" 2>&1
fi
env OMP_NUM_THREADS=1 $PY tools/distill.py --seeds 1 --first-seed 0 "${ARMS[@]}" \
    --teacher-checkpoint "$TEACHER" --data-root "$work/data" \
    "${OPTION[@]}" --work-dir "$work" >> "$work.log" 2>&1
