#!/usr/bin/env bash
# Pseudo-labeling on Slurm: tools/slurm_pseudo_label.sh PARTITION JOB_NAME CONFIG CHECKPOINT [pseudo_label.py args]
exec "$(dirname "$0")/slurm_launch.sh" "$1" "$2" pseudo_label.py "$3" "$4" "${@:5}"
