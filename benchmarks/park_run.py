"""Keep an unfinished tools/distill.py run's newest checkpoints in the repository and put them
back on another machine, so that trainings longer than a session resume where they stopped.

    python benchmarks/park_run.py park WORK_DIR PARKED_DIR     # before the session ends
    python benchmarks/park_run.py restore PARKED_DIR WORK_DIR  # then re-run the same distill.py

``park`` copies, for every ``seed<S>/<arm>/last_checkpoint`` of an arm that stages.json does not
record as finished, the checkpoint it names (model, optimizer, schedulers, iteration) to
``PARKED_DIR/seed<S>/<arm>/``, and the final weights of a finished teacher or detector (the arms
later stages start from; ``--models``), model only, to ``PARKED_DIR/seed<S>/<arm>.pth`` (give
them back to distill.py with ``--teacher-checkpoint`` / ``--detector-checkpoint``), unless the
run was given that model (it is kept where it came from). While the run has not finished (no
``results.json``), every other finished training is kept too, model only, under its own name
in ``PARKED_DIR/seed<S>/<arm>/`` with a ``FINISHED`` mark: the student of round 1 that labels
round 2, an oracle finished beside an unfinished student. An arm parked unfinished and since
finished loses its parked checkpoint.
``restore`` copies the unfinished ones into ``WORK_DIR`` and points their ``last_checkpoint``
at them; the re-run of distill.py then resumes those trainings (``--resume``). It puts the
finished ones back where their training left them, and distill.py takes them as trained.
"""
import argparse
import glob
import json
import os
import os.path as osp
import shutil
from typing import Sequence

import torch

LAST = 'last_checkpoint'
FINISHED = 'FINISHED'  # marks a parked training as finished


def model_only(src: str, dst: str) -> None:
    """Save the weights and meta of a training checkpoint without its optimizer state."""
    ckpt = torch.load(src, map_location='cpu', weights_only=False)
    torch.save(dict(state_dict=ckpt['state_dict'], meta=ckpt.get('meta', {})), dst)


def finished_arms(seed_dir: str) -> dict:
    """``arm -> (final checkpoint, trained here)`` of the models the seed's stages.json records
    (a model given to distill.py is recorded with ``seconds`` None)."""
    state_file = osp.join(seed_dir, 'stages.json')
    if not osp.exists(state_file):
        return {}
    with open(state_file) as f:
        state = json.load(f)
    return {arm: (entry['outputs']['checkpoint'], entry.get('seconds') is not None)
            for arm, entry in state.items() if 'checkpoint' in entry.get('outputs', {})}


def park(work_dir: str, parked_dir: str,
         models: Sequence[str] = ('teacher', 'detector')) -> None:
    run_finished = osp.exists(osp.join(work_dir, 'results.json'))
    for seed_dir in sorted(glob.glob(osp.join(work_dir, 'seed*'))):
        seed = osp.basename(seed_dir)
        finished = finished_arms(seed_dir)
        for arm, (checkpoint, trained_here) in finished.items():
            parked_arm = osp.join(parked_dir, seed, arm)
            if osp.isdir(parked_arm):  # parked while unfinished (resuming would train it again)
                if not osp.exists(osp.join(parked_arm, FINISHED)):
                    print(f'{seed}/{arm}: finished, dropped its parked unfinished checkpoint')
                shutil.rmtree(parked_arm)
            if not osp.exists(checkpoint):
                continue
            if arm in models:
                if trained_here:
                    os.makedirs(osp.join(parked_dir, seed), exist_ok=True)
                    model_only(checkpoint, osp.join(parked_dir, seed, f'{arm}.pth'))
                    print(f'{seed}/{arm}: finished, model only -> {seed}/{arm}.pth')
            elif not run_finished:
                os.makedirs(parked_arm)
                model_only(checkpoint, osp.join(parked_arm, osp.basename(checkpoint)))
                open(osp.join(parked_arm, FINISHED), 'w').close()
                print(f'{seed}/{arm}: finished, model only -> {seed}/{arm}/ (not trained again)')
        for last in sorted(glob.glob(osp.join(seed_dir, '*', LAST))):
            arm = osp.basename(osp.dirname(last))
            if arm in finished:
                continue
            with open(last) as f:
                checkpoint = f.read().strip()
            if not osp.exists(checkpoint):
                raise FileNotFoundError(f'{last} names {checkpoint}, which does not exist')
            out = osp.join(parked_dir, seed, arm)
            shutil.rmtree(out, ignore_errors=True)  # only the newest checkpoint is kept
            os.makedirs(out)
            shutil.copy(checkpoint, out)
            print(f'{seed}/{arm}: unfinished, {osp.basename(checkpoint)} -> {seed}/{arm}/')


def restore(parked_dir: str, work_dir: str) -> None:
    for arm_dir in sorted(glob.glob(osp.join(parked_dir, 'seed*', '*', ''))):
        arm_dir = arm_dir.rstrip('/')
        checkpoints = glob.glob(osp.join(arm_dir, '*.pth'))
        if len(checkpoints) != 1:
            raise ValueError(f'{arm_dir}: expected one parked checkpoint, found {checkpoints}')
        seed, arm = arm_dir.split(os.sep)[-2:]
        out = osp.abspath(osp.join(work_dir, seed, arm))
        target = osp.join(out, osp.basename(checkpoints[0]))
        if osp.exists(osp.join(arm_dir, FINISHED)):
            if not osp.exists(target):
                os.makedirs(out, exist_ok=True)
                shutil.copy(checkpoints[0], target)
            print(f'{seed}/{arm}: finished, {target} (not trained again)')
            continue
        if osp.exists(osp.join(out, LAST)):
            print(f'{seed}/{arm}: {out} already has a {LAST}; left as it is')
            continue
        os.makedirs(out, exist_ok=True)
        shutil.copy(checkpoints[0], target)
        with open(osp.join(out, LAST), 'w') as f:
            f.write(target)
        print(f'{seed}/{arm}: resumes from {target}')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='command', required=True)
    park_parser = sub.add_parser('park', help='copy the newest checkpoints out of a work dir')
    park_parser.add_argument('work_dir')
    park_parser.add_argument('parked_dir')
    park_parser.add_argument('--models', nargs='*', default=['teacher', 'detector'],
                             help='finished arms whose weights are kept (model only)')
    restore_parser = sub.add_parser('restore', help='put parked checkpoints back')
    restore_parser.add_argument('parked_dir')
    restore_parser.add_argument('work_dir')
    args = parser.parse_args()
    if args.command == 'park':
        park(args.work_dir, args.parked_dir, args.models)
    else:
        restore(args.parked_dir, args.work_dir)


if __name__ == '__main__':
    main()
