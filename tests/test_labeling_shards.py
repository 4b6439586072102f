"""Shards: 2 ranks == 1 rank; interrupted + resumed == uninterrupted."""
from typing import Dict

import pytest

from mmdistill.labeling.shards import (ShardWriter, check_run, clear_shards, done_ids,
                                       iter_merged)

IMAGES = [dict(id=i, value=i * i) for i in (1, 2, 3, 5, 8, 13, 21)]


def _run(shard_dir, world_size: int, stop_after: Dict[int, int] = None) -> None:
    """A simulated run as pseudo-labeling splits the images: all ranks leave out the images
    done before it started, then take every ``world_size``-th from their rank (mmengine's
    ``DefaultSampler(shuffle=False, round_up=False)``); ``stop_after`` 'kills' ranks early."""
    skip = done_ids(str(shard_dir))
    todo = [img for img in IMAGES if img['id'] not in skip]
    for rank in range(world_size):
        with ShardWriter(str(shard_dir), rank, world_size) as writer:
            for i, img in enumerate(todo[rank::world_size]):
                if i == (stop_after or {}).get(rank):
                    break
                writer.write(dict(img))


def test_two_ranks_merge_to_the_single_rank_output(tmp_path):
    _run(tmp_path / 'one', 1)
    _run(tmp_path / 'two', 2)
    single = list(iter_merged(str(tmp_path / 'one')))
    assert single == IMAGES
    assert list(iter_merged(str(tmp_path / 'two'))) == single


def test_interrupted_and_resumed_equals_uninterrupted(tmp_path):
    shard_dir = tmp_path / 'shards'
    _run(shard_dir, 2, stop_after={0: 3, 1: 0})
    # a kill in the middle of writing a line leaves a torn line behind
    torn, = shard_dir.glob('rank00001-*.jsonl')
    with open(torn, 'a') as f:
        f.write('{"id": 2, "val')
    assert done_ids(str(shard_dir)) == {1, 3, 8}
    # the resumed ranks split the rest anew: rank 0 takes 2 and 13, and 2 is below the 8 in
    # its first shard, so every run writes new shards, each in ascending order
    _run(shard_dir, 2)
    assert len(list(shard_dir.glob('*.jsonl'))) == 4
    assert list(iter_merged(str(shard_dir))) == IMAGES


def test_resume_with_another_world_size(tmp_path):
    _run(tmp_path, 2, stop_after={0: 2, 1: 1})
    _run(tmp_path, 1)
    assert list(iter_merged(str(tmp_path))) == IMAGES


def test_shards_take_ascending_ids(tmp_path):
    with ShardWriter(str(tmp_path), 0, 1) as writer:
        writer.write(dict(id=3))
        with pytest.raises(ValueError, match='record id 2 after 3.*ascending'):
            writer.write(dict(id=2))


def test_check_run_refuses_to_mix_runs(tmp_path):
    run = dict(teacher_sha256='abc', views=[[256, True], [256, False]])
    check_run(str(tmp_path), run)
    check_run(str(tmp_path), dict(run))  # the same run resumes
    _run(tmp_path, 1)
    (tmp_path / 'run.log').write_text('kept')
    assert list(iter_merged(str(tmp_path))) == IMAGES  # run.json is not a shard
    with pytest.raises(ValueError, match=r'run\.json: cannot resume.*teacher_sha256'):
        check_run(str(tmp_path), dict(run, teacher_sha256='def'))
    clear_shards(str(tmp_path))  # a fresh run: shards and run record go, other files stay
    assert sorted(p.name for p in tmp_path.iterdir()) == ['run.log']
    check_run(str(tmp_path), dict(run, teacher_sha256='def'))
