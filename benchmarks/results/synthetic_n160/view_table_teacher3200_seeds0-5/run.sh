#!/bin/bash
# val keypoint AP of the 3,200-iteration labeled-only teachers (seeds 0-2) under the config's views and five scales
cd /work/bench
for s in 0 1 2; do
  env OMP_NUM_THREADS=1 PYTHONPATH=/work/bench nice -n 5 /work/main/.venv/bin/python benchmarks/view_table.py \
      configs/synthetic/teacher.py /work/runs/distill_n160/seed$s/control/iter_3200.pth \
      --data-root /work/runs/data/seed$s --base-scale 160 --views single s3-narrow s5 \
      --work-dir /work/runs/views3200/seed$s > /work/runs/views3200/seed$s.log 2>&1
done
