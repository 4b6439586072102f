#!/usr/bin/env bash
# Distributed training: tools/dist_train.sh CONFIG GPUS [train.py args]
# Without GPUs the processes train on CPU with the gloo backend.
exec "$(dirname "$0")/dist_launch.sh" "$2" train.py "$1" "${@:3}"
