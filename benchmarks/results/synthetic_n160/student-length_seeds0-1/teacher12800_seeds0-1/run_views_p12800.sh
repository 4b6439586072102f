#!/bin/bash
# issue 11, session 13: the 12,800-iteration teachers (= the best labeled-only models measured =
# the 12,800 students' same-recipe controls) under the pseudo-label config's views (3 scales x
# flip) on val: the level their students are expected to reach. Starts when both teachers exist.
cd /work/bench
for s in 0 1; do
    while [ ! -f /work/runs/p12800/seed$s/teacher/iter_12800.pth ]; do sleep 20; done
done
sleep 60  # the teachers' own val evaluation
for s in 0 1; do
    env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python benchmarks/view_table.py \
        configs/synthetic/ablations/teacher_2x-schedule.py /work/runs/p12800/seed$s/teacher/iter_12800.pth \
        --data-root /work/runs/data/seed$s --base-scale 160 --views s3-narrow \
        --work-dir /work/runs/view_table_p12800_seed$s >> /work/runs/views_p12800.log 2>&1 &
done
wait
