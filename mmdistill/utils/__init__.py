from .runner_builder import build_runner, setup_launcher_env

__all__ = ['build_runner', 'setup_launcher_env']
