"""Shards: 2 ranks == 1 rank; interrupted + resumed == uninterrupted."""
import pytest

from mmdistill.labeling.shards import (ShardWriter, check_run, done_ids, iter_merged,
                                       shard_path, split_for_rank)

IMAGES = [dict(id=i, value=i * i) for i in (1, 2, 3, 5, 8, 13, 21)]


def _run(shard_dir, rank: int, world_size: int, stop_after: int = None) -> None:
    """A simulated rank: process its images not yet done, optionally 'killed' early."""
    skip = done_ids(str(shard_dir))
    todo = [img for img in split_for_rank(IMAGES, rank, world_size) if img['id'] not in skip]
    with ShardWriter(shard_path(str(shard_dir), rank, world_size)) as writer:
        for i, img in enumerate(todo):
            if i == stop_after:
                return
            writer.write(dict(img))


def test_two_ranks_merge_to_the_single_rank_output(tmp_path):
    _run(tmp_path / 'one', 0, 1)
    _run(tmp_path / 'two', 1, 2)
    _run(tmp_path / 'two', 0, 2)
    single = list(iter_merged(str(tmp_path / 'one')))
    assert single == IMAGES
    assert list(iter_merged(str(tmp_path / 'two'))) == single


def test_interrupted_and_resumed_equals_uninterrupted(tmp_path):
    shard_dir = tmp_path / 'shards'
    _run(shard_dir, 0, 2, stop_after=2)
    _run(shard_dir, 1, 2, stop_after=0)
    # a kill in the middle of writing a line leaves a torn line behind
    with open(shard_path(str(shard_dir), 1, 2), 'a') as f:
        f.write('{"id": 2, "val')
    assert done_ids(str(shard_dir)) == {1, 3}
    _run(shard_dir, 0, 2)
    _run(shard_dir, 1, 2)
    assert list(iter_merged(str(shard_dir))) == IMAGES


def test_resume_with_another_world_size(tmp_path):
    _run(tmp_path, 0, 2, stop_after=3)
    _run(tmp_path, 0, 1)
    assert list(iter_merged(str(tmp_path))) == IMAGES


def test_check_run_refuses_to_mix_runs(tmp_path):
    run = dict(teacher_sha256='abc', views=[[256, True], [256, False]])
    check_run(str(tmp_path), run)
    check_run(str(tmp_path), dict(run))  # the same run resumes
    _run(tmp_path, 0, 1)
    assert list(iter_merged(str(tmp_path))) == IMAGES  # run.json is not a shard
    with pytest.raises(ValueError, match=r'run\.json: cannot resume.*teacher_sha256'):
        check_run(str(tmp_path), dict(run, teacher_sha256='def'))
