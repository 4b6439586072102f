"""Summaries of the pipeline's per-seed results: mean ± std per arm and the recovered gap."""
import math
from typing import Dict, List, Optional, Sequence, Tuple

ARMS = ('teacher', 'control', 'student', 'oracle')
METRICS = ('keypoints/AP', 'keypoints/AP50', 'keypoints/AP75', 'keypoints/AR', 'bbox/mAP')


def mean_std(values: Sequence[float]) -> Tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def gap_recovered(student: float, control: float, oracle: float) -> Optional[float]:
    """(student - control) / (oracle - control); None when the oracle is not above the control."""
    if oracle <= control:
        return None
    return (student - control) / (oracle - control)


def summarize(per_seed: Dict[int, Dict[str, Dict[str, float]]]) -> Dict:
    """Per arm and metric: mean, std and the per-seed values; plus the gap fraction per seed.

    ``per_seed[seed][arm][metric]``; arms missing in a seed are skipped.
    """
    arms: Dict[str, Dict[str, Dict]] = {}
    for arm in ARMS:
        for metric in METRICS:
            values = [seed_results[arm][metric] for seed_results in per_seed.values()
                      if metric in seed_results.get(arm, {})]
            if values:
                mean, std = mean_std(values)
                arms.setdefault(arm, {})[metric] = dict(mean=mean, std=std, values=values)
    gaps: List[float] = []
    for seed_results in per_seed.values():
        if all(arm in seed_results for arm in ('student', 'control', 'oracle')):
            gap = gap_recovered(*(seed_results[arm]['keypoints/AP']
                                  for arm in ('student', 'control', 'oracle')))
            if gap is not None:
                gaps.append(gap)
    summary = dict(arms=arms, seeds=sorted(per_seed))
    if gaps:
        mean, std = mean_std(gaps)
        summary['gap_recovered'] = dict(mean=mean, std=std, values=gaps)
    return summary


def markdown_table(summary: Dict, stage_seconds: Dict[str, float]) -> str:
    """The results table (AP in %, mean ± std over seeds) with each arm's training time."""
    header = ['arm', *[m.replace('keypoints/', 'kpt ') for m in METRICS], 'train time (s)']
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    for arm, metrics in summary['arms'].items():
        cells = [arm]
        for metric in METRICS:
            stat = metrics.get(metric)
            cells.append('–' if stat is None else
                         f"{100 * stat['mean']:.1f} ± {100 * stat['std']:.1f}")
        seconds = stage_seconds.get(arm)
        cells.append('–' if seconds is None else f'{seconds:.0f}')
        lines.append('| ' + ' | '.join(cells) + ' |')
    gap = summary.get('gap_recovered')
    if gap:
        lines.append('')
        lines.append(f"student recovers {100 * gap['mean']:.0f} ± {100 * gap['std']:.0f} % of the "
                     f"control → oracle keypoint-AP gap (seeds: {summary['seeds']})")
    return '\n'.join(lines)
