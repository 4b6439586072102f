"""mmdistill: Data Distillation for keypoint detection on OpenMMLab 2.x."""
from .version import __version__

__all__ = ['__version__']
