"""mmdistill: Data Distillation for keypoint detection on OpenMMLab 2.x.

Importing the package (directly or through ``custom_imports`` in a config) registers its modules
into the mmengine/mmdet/mmpose registries and makes mmengine checkpoints loadable on torch >= 2.6.
"""
from .engine import allow_mmengine_checkpoint_globals
from .version import __version__

allow_mmengine_checkpoint_globals()

from . import datasets, evaluation, models, visualization  # noqa: F401,E402  (register modules)

__all__ = ['__version__']
