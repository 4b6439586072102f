"""UnlabeledImageDataset: image-info file or folder, resume skip-list, unreadable images marked."""
import json

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.dataset import DefaultSampler
from mmengine.registry import DATASETS, init_default_scope

from mmdistill.datasets import UnlabeledImageDataset
from mmdistill.datasets.unlabeled_images import PLACEHOLDER_SHAPE
from mmdistill.synthetic.skeleton import KEYPOINT_NAMES
from .conftest import REPO_ROOT

PIPELINE = [dict(type='LoadImageFromFile'),
            dict(type='PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape'))]


def _encode(ext: str, height: int = 12, width: int = 20) -> bytes:
    image = np.random.default_rng(0).integers(0, 255, (height, width, 3), np.uint8)
    return cv2.imencode(ext, image)[1].tobytes()


@pytest.fixture
def folder(tmp_path):
    """Good images with extensions in any case, and every kind of unreadable one."""
    files = {
        'a.jpg': _encode('.jpg'),
        'b.PNG': _encode('.png', 8, 6),
        'c.JPEG': _encode('.jpg'),
        'd_empty.png': b'',
        'e_truncated.jpg': _encode('.jpg')[:300],  # OpenCV decodes it silently
        'f_text.png': b'not an image',
        'notes.txt': b'not listed',
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def _dataset(ann_file, **kwargs) -> UnlabeledImageDataset:
    init_default_scope('mmdet')
    return DATASETS.build(dict(type='UnlabeledImageDataset', ann_file=str(ann_file),
                               pipeline=PIPELINE, **kwargs))


def test_folder_any_extension_case_and_unreadable_images_marked(folder):
    dataset = _dataset(folder)
    names = ['a.jpg', 'b.PNG', 'c.JPEG', 'd_empty.png', 'e_truncated.jpg', 'f_text.png']
    assert [dataset.get_data_info(i)['image_info']['file_name'] for i in range(len(dataset))
            ] == names
    with pytest.warns(UserWarning) as warned:
        samples = [dataset[i] for i in range(len(dataset))]
    assert [str(w.message).split(':')[0] for w in warned] == [
        f'skipping unreadable image {name} (id {i})' for i, name in
        ((4, 'd_empty.png'), (5, 'e_truncated.jpg'), (6, 'f_text.png'))]
    metas = [sample['data_samples'].metainfo for sample in samples]
    assert [meta['readable'] for meta in metas] == [True] * 3 + [False] * 3
    assert [meta['image_info'] for meta in metas[:2]] == [
        dict(id=1, file_name='a.jpg', width=20, height=12),
        dict(id=2, file_name='b.PNG', width=6, height=8)]
    assert metas[1]['ori_shape'] == (8, 6)
    # an unreadable image: the model sees a black placeholder, the sample says so
    assert metas[5]['ori_shape'] == PLACEHOLDER_SHAPE[:2]
    assert not samples[5]['inputs'].any()


def test_image_info_file_with_a_missing_image_and_resume_skip_list(folder, tmp_path):
    info = tmp_path / 'info.json'
    info.write_text(json.dumps(dict(images=[
        dict(id=9, file_name='a.jpg', width=20, height=12),
        dict(id=3, file_name='gone.jpg', width=5, height=5),
        dict(id=7, file_name='b.PNG', width=6, height=8)])))
    dataset = _dataset(info, data_prefix=dict(img=str(folder)))
    assert [dataset.get_data_info(i)['img_id'] for i in range(len(dataset))] == [3, 7, 9]
    with pytest.warns(UserWarning, match=r'gone\.jpg \(id 3\).*No such file'):
        assert not dataset[0]['data_samples'].readable
    assert dataset[1]['data_samples'].readable

    shards = tmp_path / 'shards'  # an interrupted run's shard (mmdistill.labeling.shards)
    shards.mkdir()
    (shards / 'rank00000-of-00001-part00000.jsonl').write_text('{"id": 3}\n{"id": 9}\n')
    resumed = _dataset(info, data_prefix=dict(img=str(folder)), skip_done_in=str(shards))
    assert [resumed.get_data_info(i)['img_id'] for i in range(len(resumed))] == [7]
    (shards / 'rank00000-of-00001-part00001.jsonl').write_text('{"id": 7}\n')
    assert len(_dataset(info, skip_done_in=str(shards))) == 0  # all done: only write the file


def test_ranks_split_by_default_sampler_in_ascending_order(folder, monkeypatch):
    dataset = _dataset(folder)
    per_rank = []
    for rank in range(4):
        monkeypatch.setattr('mmengine.dataset.sampler.get_dist_info', lambda: (rank, 4))
        per_rank.append(list(DefaultSampler(dataset, shuffle=False, round_up=False)))
    assert sorted(i for indices in per_rank for i in indices) == list(range(len(dataset)))
    assert all(indices == sorted(indices) for indices in per_rank)


def test_tta_views_all_marked_and_given_flip_indices(tiny_synthetic):
    cfg = Config.fromfile(REPO_ROOT / 'configs/synthetic/teacher.py')
    init_default_scope('mmdet')
    dataset = DATASETS.build(dict(
        type='UnlabeledImageDataset', ann_file=str(tiny_synthetic / 'images' / 'unlabeled'),
        pipeline=cfg.tta_pipeline, metainfo=dict(keypoint_names=list(KEYPOINT_NAMES))))
    views = dataset[0]['data_samples']
    assert len(views) == 6  # 3 scales x flip
    assert all(view.readable and view.image_info['id'] == 1 for view in views)
    assert views[0].flip_indices[1:3] == [2, 1]  # left_eye <-> right_eye
