#!/bin/bash
# issue 11, session 11: the fresh teachers of seeds 0 and 1 under the pseudo-label config's views
# (3 scales x flip), to compare the 12,800-it students with their teachers' ensembles; starts when
# the seed-1 run ends.
while pgrep -f "work-dir /work/runs/s12800_seed1$" > /dev/null; do sleep 20; done
cd /work/bench
for s in 0 1; do
    W=/work/runs/s12800; [ $s = 1 ] && W=/work/runs/s12800_seed1
    env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python benchmarks/view_table.py \
        configs/synthetic/teacher.py $W/seed$s/teacher/iter_6400.pth --data-root /work/runs/data/seed$s \
        --base-scale 160 --views s3-narrow --work-dir /work/runs/view_table_seed$s >> /work/runs/views.log 2>&1
done
