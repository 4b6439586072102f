"""tools/test.py --tta: the model wrapped in the config's tta_model, the test data through its
tta_pipeline (mmdet's and mmpose's convention)."""
import pickle

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from mmdistill.models.tta import keypoint_rcnn_views
from mmdistill.utils import use_tta
from .conftest import REPO_ROOT, run_tool

CONFIG = REPO_ROOT / 'configs' / 'synthetic' / 'teacher.py'


def test_use_tta_wraps_the_model_and_replaces_the_test_pipeline():
    cfg = Config.fromfile(CONFIG)
    plain_model = cfg.model.to_dict()
    use_tta(cfg)
    assert cfg.model.type == 'KeypointRCNNTTAModel'
    assert cfg.model.module.to_dict() == plain_model
    assert cfg.test_dataloader.dataset.pipeline == cfg.tta_pipeline


def test_use_tta_names_the_config_when_views_are_missing(tmp_path):
    config = tmp_path / 'no_views.py'
    config.write_text(f"_base_ = ['{CONFIG}']\ntta_model = None\n")
    cfg = Config.fromfile(config)
    cfg.pop('tta_model')
    with pytest.raises(KeyError, match='no_views.py'):
        use_tta(cfg)


def _predictions(cfg: Config, work_dir, checkpoint, data_root) -> list:
    """Run the config's test loop on ``data_root`` and return the dumped predictions."""
    cfg.work_dir, cfg.load_from = str(work_dir), str(checkpoint)
    cfg.test_dataloader.update(num_workers=0, persistent_workers=False)
    cfg.test_dataloader.dataset.data_root = f'{data_root}/'
    out = work_dir / 'predictions.pkl'
    cfg.test_evaluator = [dict(cfg.test_evaluator, ann_file=f'{data_root}/annotations/val.json'),
                          dict(type='DumpResults', out_file_path=str(out))]
    Runner.from_cfg(cfg).test()
    with open(out, 'rb') as f:
        return pickle.load(f)


@pytest.mark.slow
def test_one_identity_view_gives_the_plain_predictions(tiny_synthetic, random_keypoint_rcnn,
                                                       tmp_path):
    plain = _predictions(Config.fromfile(CONFIG), tmp_path / 'plain', random_keypoint_rcnn,
                         tiny_synthetic)
    cfg = Config.fromfile(CONFIG)
    cfg.tta_pipeline = keypoint_rcnn_views([160], flip=False, max_size=320)
    use_tta(cfg)
    tta = _predictions(cfg, tmp_path / 'tta', random_keypoint_rcnn, tiny_synthetic)
    assert sorted(p['img_id'] for p in tta) == sorted(p['img_id'] for p in plain)
    plain = {p['img_id']: p['pred_instances'] for p in plain}
    assert sum(len(p['scores']) for p in plain.values()) > 0
    for sample in tta:
        expected = plain[sample['img_id']]
        for key in ('bboxes', 'scores', 'keypoints', 'keypoint_scores'):
            assert sample['pred_instances'][key].numpy() == pytest.approx(
                expected[key].numpy(), abs=1e-4), key


@pytest.mark.slow
def test_tool_evaluates_with_the_configs_views(tiny_synthetic, random_keypoint_rcnn, tmp_path):
    out = tmp_path / 'metrics.json'
    run_tool(['tools/test.py', str(CONFIG), str(random_keypoint_rcnn), '--tta', '--out', str(out),
              '--work-dir', str(tmp_path / 'work'), '--cfg-options',
              f'test_dataloader.dataset.data_root={tiny_synthetic}/',
              f'test_evaluator.ann_file={tiny_synthetic}/annotations/val.json',
              'test_dataloader.num_workers=0', 'test_dataloader.persistent_workers=False'])
    assert 'keypoints/AP' in out.read_text()
