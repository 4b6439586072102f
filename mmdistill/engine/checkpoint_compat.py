"""Let mmengine 0.10.7 load its own checkpoints on torch >= 2.6.

torch 2.6 made ``torch.load(weights_only=True)`` the default; mmengine calls ``torch.load`` without
``weights_only``, and its checkpoints pickle a few non-tensor objects in ``message_hub``: the
``HistoryBuffer`` of logged values (numpy arrays, scalars and dtypes), whose statistics methods are
pickled as ``getattr(HistoryBuffer, 'min')``. So ``load_from`` and ``--resume`` fail. We allow-list
exactly those types instead of switching the safety check off. ``getattr`` only returns attributes
of allow-listed objects; calling anything still requires the callee to be allow-listed.
"""
import builtins
from typing import List

import numpy as np
import torch
from mmengine.logging import HistoryBuffer


def _numpy_dtype_classes() -> List[type]:
    """The concrete ``numpy.dtypes.*DType`` classes (numpy >= 1.25 unpickles dtypes into them)."""
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is None:
        return []
    return [cls for cls in vars(dtypes).values()
            if isinstance(cls, type) and issubclass(cls, np.dtype)]


MMENGINE_CHECKPOINT_GLOBALS: List = [
    np.core.multiarray._reconstruct,
    np.core.multiarray.scalar,
    np.ndarray,
    np.dtype,
    *_numpy_dtype_classes(),
    builtins.getattr,
    HistoryBuffer,
]


def allow_mmengine_checkpoint_globals() -> None:
    """Register the types mmengine checkpoints contain as safe for ``weights_only`` loading."""
    add_safe_globals = getattr(torch.serialization, 'add_safe_globals', None)
    if add_safe_globals is not None:  # torch < 2.4 loads everything anyway
        add_safe_globals(MMENGINE_CHECKPOINT_GLOBALS)
