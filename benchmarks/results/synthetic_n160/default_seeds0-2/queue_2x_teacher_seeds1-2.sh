#!/bin/bash
# issue 11: the seed-0 protocol that gave +1.6 (teacher = the strong-aug 2x labeled-only model,
# its pseudo-labels under the default views, the strong-aug 2x student re-trained) on seeds 1 and 2.
# Seed 1 starts when the 4x run ends, seed 2 when its teacher exists. Resumable.
cd /work/bench
PY="env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python"
S=/work/runs/screens
ARGS="--data-root /work/runs/data --skip-arms control oracle --student-config $S/student_strong-aug_2x.py \
      --teacher-checkpoint $S/strong-aug_2x_control/seed{seed}/control/iter_6400.pth --work-dir $S/strong-aug_2x-teacher"
seed_run() {
    while ! [ -f $S/strong-aug_2x_control/seed$1/control/iter_6400.pth ] || pgrep -f "$2" > /dev/null; do sleep 30; done
    $PY tools/distill.py --seeds 1 --first-seed $1 $ARGS > $S/strong-aug_2x-teacher_seed$1.log 2>&1
}
seed_run 1 student_strong-aug_4x &
seed_run 2 "first-seed 2 .*strong-aug_2x_control" &
wait
$PY tools/distill.py --seeds 3 --first-seed 0 $ARGS > $S/strong-aug_2x-teacher_seeds0-2.log 2>&1
