#!/bin/bash
# issue 11: the default teachers of seeds 1 and 2 under the pseudo-label config's views (s3-narrow)
# and five scales x flip (s5), as for seed 0 (view_table_strong-aug_2x-teacher/).
cd /work/main
for s in 1 2; do
  OMP_NUM_THREADS=1 .venv/bin/python benchmarks/view_table.py configs/synthetic/teacher.py \
      /work/runs/screens/strong-aug_2x_control/seed$s/control/iter_6400.pth --data-root /work/runs/data/seed$s \
      --base-scale 160 --views s3-narrow s5 --work-dir /work/runs/screens/view_table_default_seed$s \
      > /work/runs/screens/view_table_default_seed$s.log 2>&1
done
