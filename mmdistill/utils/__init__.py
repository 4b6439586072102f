from .runner_builder import build_runner, load_config, parse_runner_args, use_tta

__all__ = ['build_runner', 'load_config', 'parse_runner_args', 'use_tta']
