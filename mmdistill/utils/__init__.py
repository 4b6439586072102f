from .runner_builder import add_runner_args, build_runner, load_config, setup_launcher_env

__all__ = ['add_runner_args', 'build_runner', 'load_config', 'setup_launcher_env']
