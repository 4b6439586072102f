"""Packaging for mmdistill (pinned dependencies live in requirements/)."""
import re
from pathlib import Path

from setuptools import find_packages, setup


def read_version() -> str:
    text = Path(__file__).with_name('mmdistill').joinpath('version.py').read_text()
    return re.search(r"__version__ = '([^']+)'", text).group(1)


setup(
    name='mmdistill',
    version=read_version(),
    description='Data Distillation (omni-supervised learning) for keypoint detection '
    'and human pose estimation on OpenMMLab 2.x',
    packages=find_packages(include=['mmdistill', 'mmdistill.*']),
    python_requires='>=3.8',
    license='Apache-2.0',
)
