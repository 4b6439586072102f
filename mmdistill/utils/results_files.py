"""A pipeline run's results on disk: ``WORK_DIR/results.{json,csv,md,png}``."""
import csv
import json
import os.path as osp
from typing import Dict, Optional

from .results_table import (markdown_table, pseudo_label_line, summarize,
                            summarize_pseudo_labels, table_columns, table_metrics)


def write_results(work_dir: str, per_seed: Dict[int, Dict], seconds: Dict[str, float],
                  pseudo_labels: Optional[Dict[int, Dict]] = None) -> str:
    """Save results.{json,csv,md,png} and return the markdown table."""
    summary = summarize(per_seed)
    table = markdown_table(summary, seconds)
    results = dict(summary=summary, per_seed=per_seed, stage_seconds=seconds)
    if pseudo_labels:
        results['pseudo_labels'] = dict(summary=summarize_pseudo_labels(pseudo_labels),
                                        per_seed=pseudo_labels)
        table += '\n\n' + pseudo_label_line(results['pseudo_labels']['summary'])
    with open(osp.join(work_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=2)
    with open(osp.join(work_dir, 'results.csv'), 'w', newline='') as f:
        writer = csv.writer(f)
        columns = table_columns(m for arms in per_seed.values() for m in arms.values())
        writer.writerow(['seed', 'arm', *columns])
        for seed, arms in per_seed.items():
            for arm, metrics in arms.items():
                writer.writerow([seed, arm, *[metrics.get(m, '') for m in columns]])
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(table + '\n')
    _plot(summary, osp.join(work_dir, 'results.png'))
    return table


def read_results(path: str) -> Dict:
    """A run's ``results.json`` (``path`` is the file or the run's work dir); a file that is
    not one names the file and what it lacks."""
    if osp.isdir(path):
        path = osp.join(path, 'results.json')
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such results file (a tools/distill.py work dir '
                                'has results.json once every seed has finished)')
    with open(path) as f:
        try:
            results = json.load(f)
        except json.JSONDecodeError as error:
            raise ValueError(f'{path}: not JSON ({error})') from None
    per_seed = results.get('per_seed') if isinstance(results, dict) else None
    if not isinstance(per_seed, dict) or not all(
            str(seed).isdigit() and isinstance(arms, dict) for seed, arms in per_seed.items()):
        raise ValueError(f'{path}: field "per_seed" must map each seed to its arms\' metrics '
                         '(the results.json that tools/distill.py writes)')
    return results


def read_arm_metrics(path: str) -> Dict[str, float]:
    """One arm's metrics as ``tools/test.py --out`` writes them (metric name -> number), under
    the table's names; a file that is not one names the file and the bad field."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such metrics file')
    with open(path) as f:
        try:
            metrics = json.load(f)
        except json.JSONDecodeError as error:
            raise ValueError(f'{path}: not JSON ({error})') from None
    if not isinstance(metrics, dict):
        raise ValueError(f'{path}: must map metric names to numbers (tools/test.py --out)')
    for name, value in metrics.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f'{path}: field "{name}" is not a number')
    named = table_metrics(metrics)
    if 'keypoints/AP' not in named:
        raise ValueError(f'{path}: no keypoint AP (field "keypoints/AP" or mmpose\'s "coco/AP")')
    return named


def _plot(summary: Dict, path: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    arms = list(summary['arms'])
    means = [100 * summary['arms'][a]['keypoints/AP']['mean'] for a in arms]
    stds = [100 * summary['arms'][a]['keypoints/AP']['std'] for a in arms]
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.bar(arms, means, yerr=stds, capsize=4, color=['#999', '#69c', '#e83', '#5a5'][:len(arms)])
    ax.set_ylabel('keypoint AP (%)')
    ax.set_title(f"val keypoint AP, mean ± std over {len(summary['seeds'])} seed(s)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
