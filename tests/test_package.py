"""mmdistill is importable from configs through custom_imports and exposes its version."""
import importlib.metadata
import re
import subprocess
import sys


def test_version_matches_the_installed_package_metadata():
    import mmdistill
    assert re.fullmatch(r'\d+\.\d+\.\d+', mmdistill.__version__)
    assert importlib.metadata.version('mmdistill') == mmdistill.__version__


def test_custom_imports_in_a_config_load_mmdistill(tmp_path):
    config = tmp_path / 'cfg.py'
    config.write_text("custom_imports = dict(imports=['mmdistill'], allow_failed_imports=False)\n")
    code = ('import sys; from mmengine.config import Config; '
            f'Config.fromfile({str(config)!r}); '
            "print('mmdistill' in sys.modules)")
    proc = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.strip() == 'True'
