#!/usr/bin/env bash
# torchrun wrapper shared by the dist_*.sh scripts: tools/dist_launch.sh NPROC SCRIPT [args]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT. PYTHON picks the interpreter.
set -e
NPROC=$1
SCRIPT=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
PYTHON=${PYTHON:-python}

PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH \
exec "$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$NPROC" \
    --master_port="$PORT" \
    "$(dirname "$0")/$SCRIPT" "${@:3}" --launcher pytorch
