"""Streaming per-rank result shards with resume, merged in image-id order.

Each rank appends one JSON line per finished image to its own shard file and flushes it, so a
run holds no results in memory and a killed run loses at most the image in flight. On resume the
images already in any shard are skipped and a torn last line (a kill mid-write) is cut off.
Merging reads all shards lazily in image-id order, so the merged output does not depend on the
number of ranks or on interruptions.

No mm* imports.
"""
import glob
import heapq
import json
import os
import os.path as osp
from typing import Iterator, List, Sequence, Set, TypeVar

T = TypeVar('T')


def shard_path(shard_dir: str, rank: int, world_size: int) -> str:
    """The shard file of ``rank`` in a run of ``world_size`` processes."""
    return osp.join(shard_dir, f'rank{rank:05d}-of-{world_size:05d}.jsonl')


def split_for_rank(items: Sequence[T], rank: int, world_size: int) -> List[T]:
    """Every ``world_size``-th item from ``rank``: balanced and order-preserving."""
    return list(items[rank::world_size])


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


class ShardWriter:
    """Append records (dicts with an int ``id``) to a shard file, one flushed JSON line each.

    Opening an existing shard (a resumed run) first cuts off a torn last line.
    """

    def __init__(self, path: str) -> None:
        os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
        if osp.exists(path):
            _truncate_torn_line(path)
        self._file = open(path, 'a')

    def write(self, record: dict) -> None:
        self._file.write(json.dumps(record) + '\n')
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> 'ShardWriter':
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _truncate_torn_line(path: str) -> None:
    with open(path, 'rb+') as f:
        data = f.read()
        if data and not data.endswith(b'\n'):
            f.truncate(data.rfind(b'\n') + 1)


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

    Each shard must be in ascending id order (as :func:`split_for_rank` of sorted images and
    :class:`ShardWriter` produce); shards are read lazily (a k-way merge).
    """
    streams = [_read_records(path) for path in _shard_files(shard_dir)]
    last_id = None
    for record in heapq.merge(*streams, key=lambda record: record['id']):
        if record['id'] != last_id:
            yield record
        last_id = record['id']
