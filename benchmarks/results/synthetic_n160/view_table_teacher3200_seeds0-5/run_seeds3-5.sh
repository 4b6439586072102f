#!/bin/bash
# the confirmation teachers (seeds 3-5) under the pseudo-label views, after the rounds-2 run
while pgrep -f queue_rounds2.sh > /dev/null; do sleep 20; done
cd /work/bench
for s in 3 4 5; do
  env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench /work/main/.venv/bin/python benchmarks/view_table.py \
      configs/synthetic/teacher.py /work/runs/confirm_t2x/seed$s/teacher/iter_3200.pth \
      --data-root /work/runs/data/seed$s --base-scale 160 --views s3-narrow \
      --work-dir /work/runs/views3200/seed$s > /work/runs/views3200/seed$s.log 2>&1
done
