"""Streaming per-rank result shards with resume, merged in image-id order.

Each rank appends one JSON line per finished image to its own shard file and flushes it, so a
run holds no results in memory and a killed run loses at most the image in flight. Every run
(also a resumed one) writes new shard files, one per rank, each in ascending image-id order; the
images already in any shard are left out of a resumed run, and a torn last line (a kill
mid-write) is ignored. Merging reads all shards lazily in image-id order, so the merged output
depends neither on the number of ranks nor on interruptions.

No mm* imports.
"""
import glob
import heapq
import json
import os
import os.path as osp
from typing import Iterator, List, Set


def _shard_files(shard_dir: str) -> List[str]:
    return sorted(glob.glob(osp.join(shard_dir, '*.jsonl')))


def _read_records(path: str) -> Iterator[dict]:
    """The complete records of a shard (a torn last line is ignored)."""
    with open(path) as f:
        for line in f:
            if not line.endswith('\n'):
                return
            yield json.loads(line)


def done_ids(shard_dir: str) -> Set[int]:
    """Ids of the images already in any shard of ``shard_dir``."""
    return {record['id'] for path in _shard_files(shard_dir) for record in _read_records(path)}


def clear_shards(shard_dir: str) -> None:
    """Remove the shards and the run record of ``shard_dir`` (other files stay)."""
    for path in _shard_files(shard_dir) + glob.glob(osp.join(shard_dir, 'run.json')):
        os.remove(path)


def shard_path(shard_dir: str, rank: int, world_size: int, part: int) -> str:
    """Shard file number ``part`` of ``rank`` in a run of ``world_size`` processes."""
    return osp.join(shard_dir, f'rank{rank:05d}-of-{world_size:05d}-part{part:05d}.jsonl')


class ShardWriter:
    """Write records (dicts with an int ``id``, ascending) to a new shard file of ``rank``.

    The file is :func:`shard_path` with the next free part number: an earlier (interrupted)
    run's shards are never appended to.
    """

    def __init__(self, shard_dir: str, rank: int, world_size: int) -> None:
        os.makedirs(shard_dir, exist_ok=True)
        part = 0
        while osp.exists(shard_path(shard_dir, rank, world_size, part)):
            part += 1
        self.path = shard_path(shard_dir, rank, world_size, part)
        self._file = open(self.path, 'x')
        self._last_id = None

    def write(self, record: dict) -> None:
        if self._last_id is not None and record['id'] <= self._last_id:
            raise ValueError(f'{self.path}: record id {record["id"]} after {self._last_id}; a '
                             'shard takes ascending ids (DefaultSampler(shuffle=False, '
                             'round_up=False) over images sorted by id)')
        self._last_id = record['id']
        self._file.write(json.dumps(record) + '\n')
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> 'ShardWriter':
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def check_run(shard_dir: str, run: dict) -> None:
    """Record what makes the shards (``run``: JSON-able, e.g. the teacher's hash and views) in
    ``shard_dir``, or, if already recorded, refuse to resume a different run (``ValueError``)."""
    path = osp.join(shard_dir, 'run.json')
    run = json.loads(json.dumps(run))  # as it reads back
    if osp.exists(path):
        with open(path) as f:
            recorded = json.load(f)
        if recorded != run:
            changed = sorted(k for k in set(run) | set(recorded) if run.get(k) != recorded.get(k))
            raise ValueError(f'{path}: cannot resume, the shards were made with other '
                             f'{", ".join(changed)}; start afresh without --resume')
        return
    os.makedirs(shard_dir, exist_ok=True)
    with open(path, 'w') as f:
        json.dump(run, f)


def iter_merged(shard_dir: str) -> Iterator[dict]:
    """All records of all shards, in ascending ``id`` order, each id once.

    Each shard is in ascending id order (:class:`ShardWriter` checks it); shards are read
    lazily (a k-way merge).
    """
    streams = [_read_records(path) for path in _shard_files(shard_dir)]
    last_id = None
    for record in heapq.merge(*streams, key=lambda record: record['id']):
        if record['id'] != last_id:
            yield record
        last_id = record['id']
