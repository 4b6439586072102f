"""tools/test.py --show-dir: keypoints and skeletons drawn in mmpose's look; its file checks."""
import json
import os
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.structures import InstanceData

from mmdistill.labeling.annotation_file import AnnotationFileError
from mmdistill.synthetic.skeleton import KEYPOINT_NAMES, person_category
from mmdistill.utils import use_show_dir
from mmdistill.utils.annotation_files import check_annotation_files
from mmdistill.visualization import KeypointDetLocalVisualizer
from mmdistill.visualization.keypoint_det_visualizer import coco_pose_metainfo
from .conftest import REPO_ROOT, TOPDOWN_CONFIG, run_tool

CONFIG = 'configs/synthetic/teacher.py'


def _person(x0: float, score: float) -> dict:
    """A person at ``x0``: its 17 keypoints on a grid of 4 columns, 12 x 25 px apart."""
    keypoints = [(x0 + 10.5 + 12 * (k % 4), 20.5 + 25 * (k // 4)) for k in range(17)]
    return dict(bboxes=[x0, 10., x0 + 60., 160.], scores=score, keypoints=keypoints,
                keypoint_scores=[0.9] * 16 + [0.01])


def _sample(persons) -> DetDataSample:
    fields = {key: torch.tensor(np.array([p[key] for p in persons]), dtype=torch.float32)
              for key in persons[0]}
    return DetDataSample(pred_instances=InstanceData(
        labels=torch.zeros(len(persons), dtype=torch.long), **fields))


def test_visualizer_draws_coco_keypoints_and_links_in_mmposes_colours(tmp_path):
    visualizer = KeypointDetLocalVisualizer(name='kpt_vis_test', radius=2)
    # the runner assigns the dataset's metainfo as it is (mmdistill's keypoint names)
    category = person_category()
    visualizer.dataset_meta = dict(classes=('person', ), keypoint_names=list(KEYPOINT_NAMES),
                                   skeleton=category['skeleton'])
    kept, dropped = _person(10., 0.8), _person(100., 0.2)
    image = np.zeros((180, 200, 3), np.uint8)
    drawn = visualizer.add_datasample('img', image, _sample([kept, dropped]),
                                      out_file=str(tmp_path / 'out.png'),
                                      pred_score_thr=0.3)
    assert drawn.shape == image.shape  # no empty ground-truth panel beside it
    assert np.array_equal(cv2.imread(str(tmp_path / 'out.png'))[..., ::-1], drawn)
    coco = coco_pose_metainfo()
    for k, (x, y) in enumerate(kept['keypoints']):
        colour = tuple(coco['keypoint_colors'][k]) if k < 16 else (0, 0, 0)  # 17th: below
        assert tuple(drawn[int(y), int(x)]) == colour, k  # kpt_thr, not drawn
    shoulders = coco['skeleton_links'].index((5, 6))
    (x5, y5), (x6, y6) = kept['keypoints'][5], kept['keypoints'][6]
    assert tuple(drawn[int((y5 + y6) / 2), int((x5 + x6) / 2)]) == tuple(
        coco['skeleton_link_colors'][shoulders])
    assert not drawn[:, 100:].any()  # the person below pred_score_thr is not drawn


def test_show_dir_switches_on_either_familys_visualization_hook(tmp_path):
    cfg = Config.fromfile(REPO_ROOT / CONFIG)
    use_show_dir(cfg, 'vis')
    hook = cfg.default_hooks.visualization
    assert (hook.type, hook.draw, hook.test_out_dir) == (
        'DetVisualizationHook', True, os.path.abspath('vis'))
    assert cfg.visualizer.type == 'KeypointDetLocalVisualizer'
    cfg = Config.fromfile(REPO_ROOT / TOPDOWN_CONFIG)
    use_show_dir(cfg, str(tmp_path))
    hook = cfg.default_hooks.visualization
    assert (hook.type, hook.enable, hook.out_dir) == ('PoseVisualizationHook', True,
                                                      str(tmp_path))


def test_test_files_may_be_image_info_files(tmp_path):
    info = tmp_path / 'test-dev.json'
    info.write_text(json.dumps(dict(images=[dict(id=1, file_name='a.jpg', width=2, height=2)],
                                    categories=[dict(id=1, name='person')])))
    cfg = Config(dict(test_dataloader=dict(dataset=dict(ann_file=str(info)))))
    check_annotation_files(cfg, ('test', ), image_info=True)
    with pytest.raises(AnnotationFileError, match='missing "annotations"'):
        check_annotation_files(cfg, ('test', ))


def _test_options(root, ann_file=None) -> list:
    return ['--cfg-options', f'test_dataloader.dataset.data_root={root}/',
            f'test_evaluator.ann_file={ann_file or f"{root}/annotations/val.json"}',
            'test_dataloader.num_workers=0', 'test_dataloader.persistent_workers=False']


@pytest.fixture(scope='module')
def checkpoint(random_keypoint_rcnn):
    """A randomly initialised synthetic Keypoint R-CNN teacher checkpoint."""
    return random_keypoint_rcnn


@pytest.mark.slow
def test_test_tool_show_dir_writes_images_with_keypoints(tiny_synthetic, checkpoint, tmp_path):
    show = tmp_path / 'vis'
    run_tool(['tools/test.py', CONFIG, str(checkpoint), '--work-dir', str(tmp_path / 'work'),
              '--show-dir', str(show)] + _test_options(tiny_synthetic) +
             ['visualizer.kpt_thr=0', 'default_hooks.visualization.score_thr=0'])
    val = json.loads((tiny_synthetic / 'annotations' / 'val.json').read_text())['images']
    assert sorted(p.name for p in show.iterdir()) == sorted(img['file_name'].split('/')[-1]
                                                          for img in val)
    nose = tuple(int(c) for c in coco_pose_metainfo()['keypoint_colors'][0][::-1])  # BGR
    for image in val:
        drawn = cv2.imread(str(show / image['file_name'].split('/')[-1]))
        original = cv2.imread(str(tiny_synthetic / 'images' / image['file_name']))
        assert drawn.shape == original.shape
        assert (drawn == nose).all(-1).sum() > (original == nose).all(-1).sum()


@pytest.mark.slow
def test_test_tool_reports_a_broken_test_file_in_one_line(tiny_synthetic, checkpoint,
                                                          tmp_path):
    broken = tmp_path / 'val.json'
    text = (tiny_synthetic / 'annotations' / 'val.json').read_text()
    broken.write_text(text[:len(text) // 2])
    proc = subprocess.run(
        [sys.executable, 'tools/test.py', CONFIG, str(checkpoint), '--work-dir',
         str(tmp_path / 'work')] + _test_options(tiny_synthetic, broken),
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines()[-1].startswith(f'error: {broken}: not valid JSON (')
    assert 'Traceback' not in proc.stderr
