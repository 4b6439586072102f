from .runner_builder import build_runner, load_config, setup_launcher_env

__all__ = ['build_runner', 'load_config', 'setup_launcher_env']
