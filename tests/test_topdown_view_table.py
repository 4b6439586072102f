"""benchmarks/topdown_view_table.py: its view sets reach ``TopdownPoseTTAModel`` through
``tools/pseudo_label.py --cfg-options`` as tuples, and its table (fast, no runs)."""
import argparse

import pytest
from mmengine.config import Config, DictAction

from .conftest import REPO_ROOT, load_tool


@pytest.fixture(scope='module')
def bench():
    return load_tool('topdown_view_table', 'benchmarks')


def _parsed(options):
    """``--cfg-options`` as the tools parse them (mmengine's ``DictAction``)."""
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(['--cfg-options', *options]).cfg_options


@pytest.mark.parametrize('name', ['single', 'flip', 'p3', 'p5'])
def test_view_options_give_the_model_the_view_set(bench, name):
    paddings, flips = bench.VIEW_SETS[name]
    cfg = Config.fromfile(REPO_ROOT / bench.DEFAULT_CONFIG)
    cfg.merge_from_dict(_parsed(bench.view_options(name)))
    # tuples of floats and bools, also for one padding or one flip state (not a bare value)
    assert cfg.tta_model.paddings == paddings and cfg.tta_model.flips == flips
    assert all(type(p) is float for p in cfg.tta_model.paddings)
    assert all(type(f) is bool for f in cfg.tta_model.flips)
    assert cfg.tta_model.type == 'TopdownPoseTTAModel'
    assert bench.num_views(name) == len(paddings) * len(flips)


def test_view_sets_share_the_base_frame_and_p3_is_the_config(bench):
    # the first padding is the frame the views are merged in: the same for every set
    assert {paddings[0] for paddings, _ in bench.VIEW_SETS.values()} == {1.25}
    assert bench.VIEW_SETS['single'] == ((1.25, ), (False, ))
    config = Config.fromfile(REPO_ROOT / bench.DEFAULT_CONFIG).tta_model
    assert bench.VIEW_SETS['p3'] == (tuple(config.paddings), tuple(config.flips))


def test_markdown_row_in_percent_and_seconds_per_image(bench):
    quality = dict(keypoint_ap=dict(AP=0.5, AP50=0.8, AP75=0.55, AR=0.6),
                   persons=dict(precision=0.9, recall=None),
                   keypoints=dict(precision=0.75, recall=0.7))
    row = dict(views='flip', crops=2, quality=quality, ap_before_thresholds=0.52,
               loop_seconds_per_image=0.123, seconds=60.0, num_images=600)
    lines = bench.markdown([row]).splitlines()
    assert len(lines) == 3 and lines[1] == '|' + '---|' * 13
    assert lines[2] == ('| flip | 2 | 50.0 | 80.0 | 55.0 | 60.0 | 90.0 | – | 75.0 | 70.0 | '
                        '52.0 | 0.12 | 0.10 |')
