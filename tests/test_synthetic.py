"""Tests of the synthetic COCO person-keypoint generator (tools/make_synthetic.py)."""
import json
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from mmdistill.synthetic import (ANNOTATION_FILES, FLIP_PAIRS, KEYPOINT_NAMES, SKELETON, SPLITS,
                                 UNLABELED_IMAGES_FILE, Knobs, dataset_is_current, make_knobs,
                                 render_image, sample_figure, write_dataset)
from mmdistill.synthetic.scene import keypoint_visibility
from mmdistill.synthetic.skeleton import KPT
from .conftest import load_tool

REPO = Path(__file__).resolve().parents[1]
ALL_FILES = [*ANNOTATION_FILES.values(), UNLABELED_IMAGES_FILE]


def generate(root: Path, sizes: dict, seed: int = 0) -> Path:
    write_dataset(str(root), sizes, seed=seed)
    return root


def load(root: Path, name: str) -> dict:
    return json.loads((root / 'annotations' / name).read_text())


def read_images(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): cv2.imread(str(p), cv2.IMREAD_UNCHANGED)
            for p in sorted((root / 'images').rglob('*.png'))}


def split_sizes(root: Path) -> dict:
    return {split: len(load(root, ANNOTATION_FILES[split])['images']) for split in SPLITS}


@pytest.fixture(scope='module')
def data(tiny_synthetic) -> Path:
    """The conftest's tiny dataset, written by the CLI with its defaults (seed 0, medium)."""
    return tiny_synthetic


def test_same_seed_gives_identical_files(data, tmp_path):
    """The library reproduces the CLI's files: identical JSON bytes and pixels."""
    sizes = split_sizes(data)
    again = generate(tmp_path / 'again', sizes)
    for name in ALL_FILES:
        assert (data / 'annotations' / name).read_bytes() == \
            (again / 'annotations' / name).read_bytes(), name
    first, second = read_images(data), read_images(again)
    assert sorted(first) == sorted(second) and len(first) == sum(sizes.values())
    for name in first:
        np.testing.assert_array_equal(first[name], second[name], err_msg=name)


def test_other_seed_gives_other_data(data, tmp_path):
    other = generate(tmp_path / 'other', split_sizes(data), seed=1)
    assert load(other, 'labeled.json')['annotations'] != load(data, 'labeled.json')['annotations']
    first, second = read_images(data), read_images(other)
    assert all(first[n].shape != second[n].shape or not np.array_equal(first[n], second[n])
               for n in first)


def test_image_depends_only_on_seed_split_index(data, tmp_path):
    """Images are seeded per (seed, split, index): split sizes do not change them."""
    small, full = read_images(generate(tmp_path / 'small', dict(val=2))), read_images(data)
    for index in range(2):
        name = f'images/val/{index:06d}.png'
        np.testing.assert_array_equal(small[name], full[name])
    image, anns = render_image(0, 'val', 1, Knobs())
    np.testing.assert_array_equal(image, full['images/val/000001.png'])
    assert anns == [a for a in load(data, 'val.json')['annotations']
                    if a['image_id'] == anns[0]['image_id']]


def test_rerun_removes_stale_images(tmp_path):
    root = generate(tmp_path / 'rerun', dict(val=3))
    generate(root, dict(val=1))
    assert sorted(p.name for p in (root / 'images' / 'val').iterdir()) == ['000000.png']


def test_annotations_are_consistent_coco(data):
    ids = set()
    for name in ANNOTATION_FILES.values():
        coco = load(data, name)
        assert coco['categories'][0]['keypoints'] == list(KEYPOINT_NAMES)
        assert coco['categories'][0]['skeleton'] == [list(link) for link in SKELETON]
        assert coco['info']['seed'] == 0 and coco['info']['knobs'] == Knobs().to_dict()
        images = {img['id']: img for img in coco['images']}
        assert not ids & set(images), 'image ids must be unique over the splits'
        ids |= set(images)
        assert coco['annotations'], f'{name} has no persons'
        for ann in coco['annotations']:
            img = images[ann['image_id']]
            kpts = np.array(ann['keypoints'], float).reshape(17, 3)
            vis = kpts[:, 2]
            assert set(vis) <= {0, 1, 2}
            assert ann['num_keypoints'] == np.count_nonzero(vis) > 0
            shown = kpts[vis > 0, :2]
            assert (shown >= 0).all()
            assert (shown[:, 0] <= img['width'] - 1).all()
            assert (shown[:, 1] <= img['height'] - 1).all()
            assert (kpts[vis == 0] == 0).all()
            x, y, w, h = ann['bbox']
            assert x >= 0 and y >= 0 and x + w <= img['width'] and y + h <= img['height']
            eps = 1e-6
            assert (shown[:, 0] >= x - eps).all() and (shown[:, 0] <= x + w + eps).all()
            assert (shown[:, 1] >= y - eps).all() and (shown[:, 1] <= y + h + eps).all()
            assert ann['area'] == pytest.approx(w * h, abs=0.01) and ann['area'] > 0
            assert ann['category_id'] == 1 and ann['iscrowd'] == 0


def test_unlabeled_images_file_lists_unlabeled_images(data):
    images = load(data, UNLABELED_IMAGES_FILE)
    truth = load(data, 'unlabeled_gt.json')
    assert images['annotations'] == []
    assert images['images'] == truth['images'] and len(images['images']) == \
        split_sizes(data)['unlabeled'] > 0
    assert images['categories'] == truth['categories']
    for img in images['images']:
        assert (data / 'images' / img['file_name']).is_file()


def test_pycocotools_loads_every_split(data):
    from pycocotools.coco import COCO
    for name in ALL_FILES:
        coco = COCO(str(data / 'annotations' / name))
        assert len(coco.getImgIds()) == len(load(data, name)['images'])
        assert coco.getCatIds() == [1]


def test_mmpose_coco_dataset_loads_every_split(data):
    from mmpose.datasets import CocoDataset
    common = dict(data_root=str(data), data_prefix=dict(img='images/'))
    for name in ANNOTATION_FILES.values():
        coco = load(data, name)
        for test_mode in (False, True):
            dataset = CocoDataset(ann_file=f'annotations/{name}', data_mode='topdown',
                                  test_mode=test_mode, **common)
            assert len(dataset) == len(coco['annotations'])  # one sample per person
    sample = CocoDataset(ann_file='annotations/labeled.json', data_mode='topdown', **common)[0]
    assert Path(sample['img_path']).is_file()
    assert sample['keypoints'].shape == (1, 17, 2)
    flip_indices = list(range(17))
    for left, right in FLIP_PAIRS:
        flip_indices[left], flip_indices[right] = right, left
    assert sample['flip_indices'] == flip_indices  # mmpose's COCO metainfo agrees with ours
    # The image list has no persons: top-down it is empty (mmengine cannot serialise an empty
    # list), bottom-up in test mode it lists every image.
    images = dict(ann_file=f'annotations/{UNLABELED_IMAGES_FILE}', **common)
    assert len(CocoDataset(data_mode='topdown', serialize_data=False, **images)) == 0
    listed = CocoDataset(data_mode='bottomup', test_mode=True, **images)
    assert [listed[i]['img_id'] for i in range(len(listed))] == \
        [img['id'] for img in load(data, UNLABELED_IMAGES_FILE)['images']]


def test_config_builds_and_runs_its_pipelines(data):
    from mmengine.config import Config
    from mmpose.registry import DATASETS
    from mmpose.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(str(REPO / 'configs/synthetic/td-hm_res18_synthetic-96x96.py'))
    assert cfg.model.backbone.init_cfg is None
    assert cfg.val_dataloader.dataset.bbox_file is None
    for loader in (cfg.train_dataloader, cfg.val_dataloader):
        dataset = DATASETS.build(dict(loader.dataset, data_root=str(data)))
        assert tuple(dataset[0]['inputs'].shape[1:]) == tuple(cfg.codec.input_size[::-1])
    unlabeled = DATASETS.build(dict(cfg.unlabeled_images_dataset, data_root=str(data)))
    assert len(unlabeled) == split_sizes(data)['unlabeled']


def test_flip_pairs_match_keypoint_names():
    assert len(FLIP_PAIRS) == 8
    for left, right in FLIP_PAIRS:
        assert KEYPOINT_NAMES[left].replace('left_', 'right_') == KEYPOINT_NAMES[right]


@pytest.mark.parametrize('facing,sign', [('front', 1), ('back', -1)])
def test_left_side_of_upright_figure(facing, sign):
    """Facing the camera, the person's left is on the image right; seen from behind, the left."""
    for seed in range(20):
        kpts = sample_figure(np.random.default_rng(seed), 100.0, facing, max_lean=0).keypoints
        for part in ('eye', 'ear', 'shoulder', 'hip'):
            dx = kpts[KPT[f'left_{part}'], 0] - kpts[KPT[f'right_{part}'], 0]
            assert sign * dx > 0, (facing, part, seed)


def test_generated_faces_follow_left_right_convention(data):
    """Every figure with a labeled face faces the camera: left eye and shoulder on the right."""
    checked = 0
    for name in ANNOTATION_FILES.values():
        for ann in load(data, name)['annotations']:
            kpts = np.array(ann['keypoints'], float).reshape(17, 3)
            for part in ('eye', 'shoulder'):
                left, right = kpts[KPT[f'left_{part}']], kpts[KPT[f'right_{part}']]
                if kpts[KPT['left_eye'], 2] and left[2] and right[2]:
                    assert left[0] > right[0], (name, ann['id'], part)
                    checked += 1
    assert checked > 10


def test_face_is_drawn_only_on_front_figures():
    """The eye pixel is dark on a front figure and the same as the head center from behind."""
    from mmdistill.synthetic.render import Painter, draw_figure
    for facing in ('front', 'back'):
        figure = sample_figure(np.random.default_rng(0), 200.0, facing).translate((100, 150))
        image = np.full((300, 200, 3), 128, np.uint8)
        draw_figure(Painter(image), figure, np.random.default_rng(1))
        eye = image[tuple(np.rint(figure.keypoints[KPT['left_eye']][::-1]).astype(int))]
        head = image[tuple(np.rint(figure.head_center[::-1]).astype(int))]
        if facing == 'front':
            assert eye.max() < 40
        else:
            np.testing.assert_array_equal(eye, head)


def test_keypoint_visibility_flags():
    """0 outside the image and for the face seen from behind, 1 under a cover, else 2."""
    figure = sample_figure(np.random.default_rng(3), 160.0, 'back', max_lean=0)
    figure = figure.translate((50, 40) - figure.keypoints[KPT['right_wrist']])
    cover = np.zeros((80, 100), bool)
    cover[40, 50] = True  # over the right wrist
    x, y = figure.keypoints.T
    outside = (x < 0) | (x > 99) | (y < 0) | (y > 79)
    assert outside.any() and not outside.all()
    expected = np.where(outside, 0, 2)
    expected[KPT['right_wrist']] = 1
    expected[[KPT['nose'], KPT['left_eye'], KPT['right_eye']]] = 0
    assert keypoint_visibility(figure, cover).tolist() == expected.tolist()


def test_knob_presets_and_parsing():
    hard = make_knobs('hard', ['noise=3', 'occluders=1,4', 'image_width=64-80'])
    assert hard.noise == 3.0 and hard.occluders == (1, 4) and hard.image_width == (64, 80)
    assert hard.p_back == make_knobs('hard').p_back
    with pytest.raises(ValueError, match='occluders'):
        make_knobs('medium', ['occluders=2.5'])
    with pytest.raises(ValueError, match='bogus'):
        make_knobs('medium', ['bogus=1'])
    with pytest.raises(ValueError, match='persons'):
        Knobs(persons=(3, 1))


@pytest.mark.parametrize('args,expected', [
    (['--knobs', 'noise=loud'], '--knobs'),
    (['--image-size', '300-200'], '--image-size'),
    (['--image-size', '16'], '--image-size'),
    (['--max-persons', '0'], '--max-persons'),
    (['--num-val', '-1'], '--num-val'),
])
def test_cli_errors_name_the_argument(tmp_path, capsys, args, expected):
    with pytest.raises(SystemExit) as exit_info:
        load_tool('make_synthetic').main(['--out', str(tmp_path), *args])
    assert exit_info.value.code == 2
    assert expected in capsys.readouterr().err
    assert not (tmp_path / 'annotations').exists()


def test_cli_writes_dataset_and_summary(tmp_path, capsys):
    load_tool('make_synthetic').main(['--out', str(tmp_path), '--num-labeled', '2', '--num-unlabeled',
                               '1', '--num-val', '1', '--image-size', '120', '--max-persons',
                               '1', '--seed', '5'])
    out = capsys.readouterr().out
    assert 'labeled' in out and 'kpts/person' in out
    coco = load(tmp_path, 'labeled.json')
    assert coco['info']['seed'] == 5
    assert {(i['width'], i['height']) for i in coco['images']} == {(120, 120)}
    assert len(coco['annotations']) == 2  # exactly one person per image


def test_dataset_is_current_only_for_the_same_dataset_complete_on_disk(tmp_path):
    sizes = dict(labeled=2, unlabeled=1, val=1)
    knobs = make_knobs()
    generate(tmp_path, sizes, seed=3)
    assert dataset_is_current(str(tmp_path), sizes, 3, knobs)
    assert not dataset_is_current(str(tmp_path), sizes, 4, knobs)
    assert not dataset_is_current(str(tmp_path), dict(sizes, unlabeled=2), 3, knobs)
    assert not dataset_is_current(str(tmp_path), sizes, 3, make_knobs('hard'))
    assert not dataset_is_current(str(tmp_path / 'missing'), sizes, 3, knobs)
    (tmp_path / 'images' / 'unlabeled' / '000000.png').unlink()
    assert not dataset_is_current(str(tmp_path), sizes, 3, knobs)
    generate(tmp_path, sizes, seed=3)
    (tmp_path / 'annotations' / 'val.json').write_text('{"info": ')  # truncated
    assert not dataset_is_current(str(tmp_path), sizes, 3, knobs)


def test_cli_reuses_a_current_dataset_and_rewrites_with_force(tmp_path, capsys):
    args = ['--out', str(tmp_path), '--num-labeled', '2', '--num-unlabeled', '1', '--num-val',
            '1', '--image-size', '120', '--seed', '5']
    make_synthetic = load_tool('make_synthetic')
    make_synthetic.main(args)
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.rglob('*') if p.is_file()}
    capsys.readouterr()
    make_synthetic.main(args)
    assert 'nothing written' in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob('*') if p.is_file()} == stamps
    make_synthetic.main([*args, '--force'])
    assert 'wrote' in capsys.readouterr().out
    make_synthetic.main([*args[:-1], '6'])  # another seed: written again
    assert load(tmp_path, 'labeled.json')['info']['seed'] == 6


def test_two_runs_on_an_empty_data_root_write_it_once(tmp_path, capsys):
    """tools/distill.py runs on one data root (e.g. a screen beside the main run) both start
    make_synthetic; the second waits for the first and reuses its dataset."""
    args = ['--out', str(tmp_path / 'data'), '--num-labeled', '3', '--num-unlabeled', '3',
            '--num-val', '2', '--image-size', '120', '--seed', '1']
    make_synthetic = load_tool('make_synthetic')
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        make_synthetic.main(args)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out = capsys.readouterr().out
    assert out.count('] wrote ') == 1 and out.count('nothing written') == 1
