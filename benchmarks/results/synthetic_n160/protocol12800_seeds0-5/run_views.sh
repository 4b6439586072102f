#!/bin/bash
# issue 11: the 12,800-iteration teachers of seeds 2-5 under the pseudo-label config's views
# (3 scales x flip) on val, to compare each student with its teacher's ensemble (seeds 0-1:
# ../student-length_seeds0-1/teacher12800_seeds0-1/). Teachers: parked/protocol_seed<S>/;
# data: any work dir of the seed under $WORK (the generator is deterministic).
#   WORK=/work/runs bash run_views.sh 2 3 4 5
#   WORK=/work/runs bash run_views.sh --run labeled-25600 0 1   # the 25,600 labeled-only models
REPO=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/work/runs}
RUN=protocol
if [[ ${1:-} == --run ]]; then RUN=$2; shift 2; fi
set -euo pipefail
case $RUN in
    protocol) MODEL=teacher; OUT=view_table ;;
    labeled-25600) MODEL=control; OUT=view_table_$RUN ;;
    *) echo "usage: run_views.sh [--run protocol|labeled-25600] SEED..."; exit 2 ;;
esac
cd "$REPO"
for seed in "$@"; do
    data=$(ls -d "$WORK"/p12800_*_seed"$seed"/data/seed"$seed" | head -1)
    env OMP_NUM_THREADS=1 .venv/bin/python benchmarks/view_table.py configs/synthetic/teacher.py \
        "$HERE/parked/${RUN}_seed$seed/seed$seed/$MODEL.pth" --data-root "$data" \
        --base-scale 160 --views s3-narrow --work-dir "$HERE/${OUT}_seed$seed"
done
