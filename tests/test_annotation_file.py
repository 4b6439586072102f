"""Broken input files fail with one line naming the file and what is wrong, before training."""
import json
import shutil
import subprocess
import sys

import pytest
from mmengine.config import Config

from mmdistill.labeling.annotation_file import (AnnotationFileError, check_image_info,
                                                check_keypoint_annotations,
                                                load_keypoint_annotations)
from mmdistill.labeling.pseudo_label_file import load_unlabeled_images
from mmdistill.utils.annotation_files import annotation_files
from mmdistill.utils.config_paths import retarget_data_root
from .conftest import REPO_ROOT, TOPDOWN_CONFIG, tiny_topdown_options


def _coco() -> dict:
    return dict(
        images=[dict(id=1, file_name='a.png', width=4, height=3)],
        annotations=[dict(id=7, image_id=1, category_id=1, bbox=[0, 0, 2, 2], iscrowd=0,
                          keypoints=[1, 1, 2, 0, 0, 0], num_keypoints=1)],
        categories=[dict(id=1, name='person', keypoints=['nose', 'left_eye'])])


def test_a_good_file_passes(tmp_path):
    path = tmp_path / 'good.json'
    path.write_text(json.dumps(_coco()))
    assert load_keypoint_annotations(str(path)) == _coco()
    check_image_info(dict(images=_coco()['images']), 'info.json')  # no annotations needed


@pytest.mark.parametrize('change, message', [
    (lambda d: d.pop('images'), 'missing "images"'),
    (lambda d: d.__setitem__('images', {}), '"images" is a dict, not a list'),
    (lambda d: d['images'][0].pop('width'), 'images[0]: missing field(s) width'),
    (lambda d: d.pop('annotations'), 'missing "annotations"'),
    (lambda d: d.pop('categories'), 'missing "categories"'),
    (lambda d: d['categories'][0].pop('keypoints'),
     'no category lists keypoint names ("categories[*].keypoints")'),
    (lambda d: d['annotations'][0].pop('keypoints'), 'annotations[0]: missing field(s) keypoints'),
    (lambda d: d['annotations'][0].pop('bbox'), 'annotations[0]: missing field(s) bbox'),
    (lambda d: d['annotations'][0]['keypoints'].append(0),
     'annotations[0].keypoints has 7 values, expected 6 (x, y, v for the 2 keypoints of '
     'category 1)'),
])
def test_each_problem_gives_one_line_naming_the_file(change, message):
    data = _coco()
    change(data)
    with pytest.raises(AnnotationFileError) as error:
        check_keypoint_annotations(data, 'ann.json')
    assert str(error.value) == f'ann.json: {message}'


def test_not_a_coco_object():
    with pytest.raises(AnnotationFileError) as error:
        check_image_info([_coco()], 'results.json')
    assert str(error.value) == 'results.json: expected a COCO object with "images", got a JSON list'


def test_unreadable_and_not_json(tmp_path):
    path = tmp_path / 'cut.json'
    path.write_text(json.dumps(_coco())[:50])
    for load in (load_keypoint_annotations, load_unlabeled_images):
        with pytest.raises(AnnotationFileError, match=rf'^{path}: not valid JSON \('):
            load(str(path))
    with pytest.raises(AnnotationFileError, match=rf'^{tmp_path}/none.json: cannot be read'):
        load_keypoint_annotations(str(tmp_path / 'none.json'))


def test_annotation_files_of_a_config():
    cfg = Config(dict(
        train_dataloader=dict(dataset=dict(type='ConcatDataset', datasets=[
            dict(data_root='data/', ann_file='a.json', pipeline=[dict(ann_file='no.json')]),
            dict(type='RepeatDataset', dataset=dict(data_root='data/', ann_file='/abs/b.json')),
            dict(ann_file='s3://bucket/c.json')])),
        val_dataloader=dict(dataset=dict(data_root='data/', ann_file='v.json')),
        val_evaluator=[dict(ann_file='data/v.json'), dict(type='Other')],
        test_dataloader=dict(dataset=dict(ann_file='t.json'))))
    assert annotation_files(cfg) == ['data/a.json', '/abs/b.json', 'data/v.json']
    assert annotation_files(cfg, ('test', )) == ['t.json']


def _train(config, *options):
    """tools/train.py, expected to fail: its exit code and stderr."""
    proc = subprocess.run([sys.executable, 'tools/train.py', str(config), *options],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize('broken', ['labeled', 'val'])
def test_train_tool_reports_a_truncated_file_in_one_line(tiny_synthetic, tmp_path, broken):
    annotations = tmp_path / 'annotations'
    annotations.mkdir()
    for split in ('labeled', 'val'):
        text = (tiny_synthetic / 'annotations' / f'{split}.json').read_text()
        (annotations / f'{split}.json').write_text(text[:len(text) // 2] if split == broken
                                                   else text)
    options = [o.replace(f'{tiny_synthetic}/', f'{tmp_path}/')
               for o in tiny_topdown_options(tiny_synthetic)]
    code, stderr = _train(REPO_ROOT / TOPDOWN_CONFIG, '--work-dir', str(tmp_path / 'work'),
                          '--cfg-options', *options)
    assert code != 0
    assert stderr.splitlines()[-1].startswith(
        f'error: {tmp_path}/annotations/{broken}.json: not valid JSON (')
    assert 'Traceback' not in stderr
    assert not (tmp_path / 'work').exists()  # nothing started


@pytest.mark.slow
def test_train_tool_reports_a_second_source_with_wrong_keypoints(tiny_synthetic, tmp_path):
    # the student recipe's second source (here the oracle's ground truth, as a pseudo-label file)
    root = tmp_path / 'data'
    shutil.copytree(tiny_synthetic / 'annotations', root / 'annotations')
    source = root / 'annotations' / 'unlabeled_gt.json'
    coco = json.loads(source.read_text())
    coco['annotations'][1]['keypoints'] = coco['annotations'][1]['keypoints'][:-3]
    source.write_text(json.dumps(coco))
    cfg = Config.fromfile(REPO_ROOT / 'configs' / 'synthetic' / 'oracle.py')
    Config(retarget_data_root(cfg.to_dict(), cfg.data_root, f'{root}/')).dump(
        tmp_path / 'oracle.py')
    code, stderr = _train(tmp_path / 'oracle.py', '--work-dir', str(tmp_path / 'work'))
    assert code != 0
    assert stderr.splitlines()[-1] == (
        f'error: {source}: annotations[1].keypoints has 48 values, expected 51 '
        '(x, y, v for the 17 keypoints of category 1)')
    assert not (tmp_path / 'work').exists()
