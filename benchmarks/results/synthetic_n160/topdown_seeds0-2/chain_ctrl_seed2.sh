#!/bin/bash
# wait for the seeds 0-1 ctrl-teacher run and for seed 2's control, then run all three seeds
# (seeds 0-1 reuse their recorded stages) so that results.md holds the 3-seed table
while pgrep -f "topdown_ctrl-teacher " >/dev/null || pgrep -f "work-dir /work/runs/topdown_ctrl-teacher" >/dev/null; do sleep 20; done
until python3 -c "import json,sys; sys.exit('control' not in json.load(open('/work/runs/topdown_seeds0-2/seed2/stages.json')))" 2>/dev/null; do sleep 20; done
echo "=== seeds 0-2 $(date)" >> /work/runs/topdown_ctrl-teacher.log
bash /work/runs/run_topdown_ctrl.sh 3 0
