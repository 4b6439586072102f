from .runner_builder import build_runner, load_config, parse_runner_args, use_show_dir, use_tta

__all__ = ['build_runner', 'load_config', 'parse_runner_args', 'use_show_dir', 'use_tta']
