"""The pseudo-label file: COCO-valid, loadable by pycocotools and both training datasets."""
import json

import numpy as np
import pytest

from mmdistill.labeling.annotation_file import AnnotationFileError
from mmdistill.labeling.pseudo_label_file import (keypoint_categories, load_unlabeled_images,
                                                  person_annotation, validate_pseudo_labels,
                                                  write_coco_atomic)

NAMES = ['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder',
         'right_shoulder', 'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip',
         'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle']
CATEGORIES = [dict(id=1, name='person', supercategory='person', keypoints=NAMES,
                   skeleton=[[16, 14], [14, 12]])]


def _write(path, num_images: int = 3) -> dict:
    rng = np.random.default_rng(0)
    images = [dict(id=i, file_name=f'{i:03d}.png', width=64, height=48)
              for i in range(1, num_images + 1)]
    anns = []
    for image_id in (1, 1, 3):  # image 2 has no person
        kpts = rng.random((17, 2)) * 40 + 5
        scores = rng.random(17)
        anns.append(person_annotation(len(anns) + 1, image_id, [4., 5., 50., 45.], 0.9, kpts,
                                      scores, np.where(scores > 0.3, 2, 0)))
    write_coco_atomic(str(path), iter(images), iter(anns), CATEGORIES,
                      lambda: dict(description='test'))
    return json.loads(path.read_text())


def test_annotation_fields():
    ann = person_annotation(7, 3, [10., 20., 40., 80.], 0.75, np.array([[11.5, 21.5], [30, 30]]),
                            np.array([0.9, 0.1]), np.array([2, 0]))
    assert ann['bbox'] == [10., 20., 30., 60.] and ann['area'] == 1800.
    assert ann['keypoints'] == [11., 21., 2., 0, 0, 0]  # continuous -> COCO pixel index
    assert ann['num_keypoints'] == 1 and ann['score'] == 0.75 and ann['iscrowd'] == 0
    assert ann['keypoint_scores'] == pytest.approx([0.9, 0.1])


def test_written_file_validates_and_loads_with_pycocotools(tmp_path):
    data = _write(tmp_path / 'pseudo.json')
    validate_pseudo_labels(data, 'pseudo.json')
    from pycocotools.coco import COCO
    coco = COCO(str(tmp_path / 'pseudo.json'))
    assert len(coco.getImgIds()) == 3 and len(coco.getAnnIds(imgIds=[1])) == 2
    assert coco.getAnnIds(imgIds=[2]) == []


def test_written_file_loads_with_mmpose_coco_dataset(tmp_path):
    _write(tmp_path / 'pseudo.json')
    from mmpose.datasets import CocoDataset
    dataset = CocoDataset(ann_file=str(tmp_path / 'pseudo.json'), data_root='',
                          data_mode='topdown', pipeline=[], test_mode=False)
    assert len(dataset) == 3
    instance = dataset.get_data_info(0)
    assert instance['keypoints'].shape == (1, 17, 2)
    assert set(np.unique(instance['keypoints_visible'])) <= {0., 1.}


def test_written_file_loads_with_keypoint_det_dataset(tmp_path):
    _write(tmp_path / 'pseudo.json')
    import mmdistill  # noqa: F401
    from mmdistill.datasets import CocoKeypointDetDataset
    dataset = CocoKeypointDetDataset(ann_file=str(tmp_path / 'pseudo.json'), data_root='',
                                     data_prefix=dict(img=''), pipeline=[],
                                     filter_cfg=dict(filter_empty_gt=True))
    assert len(dataset) == 2  # image 2 has no person
    instances = dataset.get_data_info(0)['instances']
    assert len(instances) == 2 and instances[0]['keypoints'].shape == (17, 3)


@pytest.mark.parametrize('change, message', [
    (lambda d: d['annotations'][0].pop('score'), r'annotations\[0\]: missing.*score'),
    (lambda d: d['annotations'][1]['keypoints'].__setitem__(2, 1), r'annotations\[1\]\.keypoints'),
    (lambda d: d['annotations'][0].__setitem__('image_id', 99), r'annotations\[0\]\.image_id 99'),
    (lambda d: d['annotations'][0].__setitem__('num_keypoints', 99),
     r'annotations\[0\]\.num_keypoints'),
    (lambda d: d['images'][1].pop('width'), r'images\[1\]: missing.*width'),
])
def test_validation_names_file_and_field(tmp_path, change, message):
    data = _write(tmp_path / 'pseudo.json')
    change(data)
    with pytest.raises(ValueError, match=r'^bad\.json: ' + message):
        validate_pseudo_labels(data, 'bad.json')


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path):
    path = tmp_path / 'pseudo.json'
    _write(path)
    before = path.read_text()

    def broken():
        yield dict(id=1)
        raise RuntimeError('interrupted')

    with pytest.raises(RuntimeError):
        write_coco_atomic(str(path), broken(), iter([]), CATEGORIES, dict)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ['pseudo.json']


def test_unlabeled_images_from_info_file_and_folder(tmp_path):
    info = tmp_path / 'info.json'
    info.write_text(json.dumps(dict(images=[dict(id=5, file_name='b.png', width=3, height=2,
                                                 license=1),
                                            dict(id=2, file_name='a.png', width=4, height=5)])))
    assert [img['id'] for img in load_unlabeled_images(str(info))] == [2, 5]
    from PIL import Image
    folder = tmp_path / 'imgs'
    folder.mkdir()
    Image.new('RGB', (7, 3)).save(folder / 'x.png')
    (folder / 'broken.jpg').write_bytes(b'not an image')
    (folder / 'notes.txt').write_text('ignored')
    assert load_unlabeled_images(str(folder)) == [
        dict(id=1, file_name='broken.jpg', width=0, height=0),
        dict(id=2, file_name='x.png', width=7, height=3)]
    info.write_text('{"annotations": []}')
    with pytest.raises(AnnotationFileError, match='info.json: missing "images"'):
        load_unlabeled_images(str(info))


def test_keypoint_categories():
    coco = dict(categories=CATEGORIES + [dict(id=2, name='car')])
    assert keypoint_categories(coco, 'labeled.json') == CATEGORIES
    with pytest.raises(ValueError, match='labeled.json: no category'):
        keypoint_categories(dict(categories=[dict(id=2, name='car')]), 'labeled.json')
