#!/usr/bin/env bash
# Distributed pseudo-labeling: tools/dist_pseudo_label.sh CONFIG CHECKPOINT GPUS [pseudo_label.py args]
exec "$(dirname "$0")/dist_launch.sh" "$3" pseudo_label.py "$1" "$2" "${@:4}"
