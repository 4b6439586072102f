"""What the view-table benchmarks share: running a tool with its log, a markdown table, and
``WORK_DIR/results.{json,md}``."""
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Dict, List, Sequence

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def run_logged(cmd: Sequence[str], log: str) -> float:
    """Run ``cmd`` from the repo root on one thread, output to ``log``; its wall seconds.
    Exits with a pointer to the log if it fails."""
    os.makedirs(osp.dirname(osp.abspath(log)), exist_ok=True)
    start = time.time()
    with open(log, 'w') as f:
        proc = subprocess.run(list(cmd), cwd=REPO_ROOT, stdout=f, stderr=subprocess.STDOUT,
                              env=dict(os.environ, OMP_NUM_THREADS='1'))
    if proc.returncode:
        sys.exit(f'{cmd[1] if len(cmd) > 1 else cmd[0]} failed (exit {proc.returncode}), '
                 f'see {log}')
    return time.time() - start


def markdown_table(header: Sequence[str], rows: List[Sequence]) -> str:
    """A markdown table of ``rows`` (cells formatted already) under ``header``."""
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    lines += ['| ' + ' | '.join(str(cell) for cell in row) + ' |' for row in rows]
    return '\n'.join(lines)


def write_results(work_dir: str, table: str, results: Dict) -> None:
    """``results`` to ``WORK_DIR/results.json``, ``table`` to ``WORK_DIR/results.md``."""
    os.makedirs(work_dir, exist_ok=True)
    with open(osp.join(work_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=2)
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(table + '\n')
