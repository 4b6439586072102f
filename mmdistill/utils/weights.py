"""Strict weight loading for the tools that run a trained model (``tools/test.py``,
``tools/pseudo_label.py``): mmengine's ``load_from`` only warns when a checkpoint does not fit
the model, and a teacher with random layers would then label a whole pool without a word."""
import os.path as osp
from typing import Dict, List, Mapping

from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint
from torch import Size, nn

SHOWN_KEYS = 3


def weight_mismatch(expected: Mapping[str, Size], found: Mapping[str, Size]) -> List[str]:
    """What differs between a model's parameter shapes (``expected``) and a checkpoint's
    (``found``), one phrase per kind; empty when the checkpoint fits. BatchNorm's
    ``num_batches_tracked`` counters are ignored, as torch and mmengine do."""
    expected = {k: v for k, v in expected.items() if not k.endswith('num_batches_tracked')}
    found = {k: v for k, v in found.items() if not k.endswith('num_batches_tracked')}
    missing = sorted(set(expected) - set(found))
    unexpected = sorted(set(found) - set(expected))
    resized = sorted(k for k in set(expected) & set(found) if expected[k] != found[k])
    problems = []
    if missing:
        problems.append(f'{len(missing)} model weights missing ({_some(missing)})')
    if unexpected:
        problems.append(f'{len(unexpected)} weights the model does not have ({_some(unexpected)})')
    if resized:
        problems.append(f'{len(resized)} weights of another shape (' + ', '.join(
            f'{k}: {tuple(found[k])} vs {tuple(expected[k])}' for k in resized[:SHOWN_KEYS])
            + (', ...' if len(resized) > SHOWN_KEYS else '') + ')')
    return problems


def _some(keys: List[str]) -> str:
    return ', '.join(keys[:SHOWN_KEYS]) + (', ...' if len(keys) > SHOWN_KEYS else '')


def require_checkpoint(checkpoint: str) -> None:
    """Exit with one line if a local ``checkpoint`` does not exist (URLs are left to mmengine)."""
    if '://' not in checkpoint and not osp.isfile(checkpoint):
        raise SystemExit(f'error: checkpoint not found: {checkpoint}')


def load_weights_strictly(runner: Runner, checkpoint: str) -> None:
    """Load ``checkpoint`` into ``runner``'s model; exit naming the file if it does not fit."""
    model = runner.model
    while isinstance(getattr(model, 'module', None), nn.Module):  # DDP, BaseTTAModel
        model = model.module
    require_checkpoint(checkpoint)
    state = _load_checkpoint(checkpoint, map_location='cpu')
    state = state.get('state_dict', state)
    found: Dict[str, Size] = {_strip_module(k): v.shape for k, v in state.items()}
    expected = {k: v.shape for k, v in model.state_dict().items()}
    problems = weight_mismatch(expected, found)
    if problems:
        raise SystemExit(f'error: {checkpoint} does not fit the model of {runner.cfg.filename}: '
                         + '; '.join(problems))
    runner.load_checkpoint(checkpoint, strict=True)


def _strip_module(key: str) -> str:
    return key[len('module.'):] if key.startswith('module.') else key
