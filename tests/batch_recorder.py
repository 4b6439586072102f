"""A hook recording the samples of every training iteration, per rank, for the tests.

Configs load it with ``custom_imports=dict(imports=['mmdistill', 'tests.batch_recorder'])`` and
``custom_hooks=[dict(type='RecordBatches', out_dir=...)]``; the tool runs with the repository on
``PYTHONPATH``. Each rank appends ``{"iter": i, "samples": [[img_path, id], ...]}`` lines to
``out_dir/rank<r>.jsonl`` (``id`` is the person's for top-down samples, else the image's).
"""
import json
import os
import os.path as osp
from pathlib import Path
from typing import Dict, List, Optional

from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.registry import HOOKS


@HOOKS.register_module()
class RecordBatches(Hook):

    def __init__(self, out_dir: str) -> None:
        self.out_dir = out_dir

    def before_train_iter(self, runner, batch_idx: int, data_batch: Optional[dict] = None) -> None:
        samples = [[sample.img_path, sample.metainfo.get('id', sample.img_id)]
                   for sample in data_batch['data_samples']]
        os.makedirs(self.out_dir, exist_ok=True)
        with open(osp.join(self.out_dir, f'rank{get_rank()}.jsonl'), 'a') as f:
            f.write(json.dumps(dict(iter=runner.iter, samples=samples)) + '\n')


def read_batches(out_dir: Path, rank: int = 0) -> Dict[int, List[tuple]]:
    """Iteration -> the samples (``(img_path, id)``) that ``rank`` trained on."""
    lines = (out_dir / f'rank{rank}.jsonl').read_text().splitlines()
    return {record['iter']: [tuple(s) for s in record['samples']]
            for record in map(json.loads, lines)}
