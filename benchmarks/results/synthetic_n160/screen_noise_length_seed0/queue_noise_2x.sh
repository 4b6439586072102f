#!/bin/bash
# issue 11 screen on seed 0: noise on the student (strong-aug) and the 2x student, each with its
# same-recipe control, four trainings side by side. The seed-0 teacher is the 3,200-it labeled-only
# model; every work dir was pre-seeded with the default run's data/teacher/pseudo_label stages
# (/work/runs/screen_teacher3200/seed0), so all four use the very same pseudo-labels. Resumable.
cd /work/bench
PY="env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python"
COMMON="--seeds 1 --first-seed 0 --data-root /work/runs/data --teacher-checkpoint /work/runs/distill_n160/seed{seed}/control/iter_3200.pth"
S=/work/runs/screens
A=configs/synthetic/ablations
$PY tools/distill.py $COMMON --skip-arms control oracle --student-config $A/student_strong-aug.py --work-dir $S/strong-aug > $S/strong-aug.log 2>&1 &
$PY $S/control_only.py $COMMON --student-config $A/student_strong-aug.py --work-dir $S/strong-aug_control > $S/strong-aug_control.log 2>&1 &
$PY tools/distill.py $COMMON --skip-arms control oracle --student-config $A/student_2x-schedule.py --work-dir $S/2x-schedule > $S/2x-schedule.log 2>&1 &
$PY $S/control_only.py $COMMON --student-config $A/student_2x-schedule.py --work-dir $S/2x-schedule_control > $S/2x-schedule_control.log 2>&1 &
wait
# (the two students were relaunched by hand after linking seed0/pseudo_labels.json to the default
# run's file: distill.py's pseudo_label stage reads the file at its own path, not the recorded one)
