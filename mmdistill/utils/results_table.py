"""Summaries of the pipeline's per-seed results: mean ± std per arm and the recovered gap."""
import math
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

ARMS = ('teacher', 'control', 'student', 'oracle')  # table order; student_r2, ... follow student
# keypoint AP on the detector's person boxes: the top-down family's second protocol
DET_BOXES_AP = 'keypoints/AP (det boxes)'
METRICS = ('keypoints/AP', 'keypoints/AP50', 'keypoints/AP75', 'keypoints/AR', DET_BOXES_AP,
           'bbox/mAP')
# mmpose's CocoMetric names -> the table's (those of mmdistill's Keypoint R-CNN metric)
MMPOSE_NAMES = {'coco/AP': 'keypoints/AP', 'coco/AP .5': 'keypoints/AP50',
                'coco/AP .75': 'keypoints/AP75', 'coco/AP (M)': 'keypoints/AP_m',
                'coco/AP (L)': 'keypoints/AP_l', 'coco/AR': 'keypoints/AR',
                'coco/AR .5': 'keypoints/AR50', 'coco/AR .75': 'keypoints/AR75',
                'coco/AR (M)': 'keypoints/AR_m', 'coco/AR (L)': 'keypoints/AR_l'}
# what a pseudo-label file is scored on against the hidden truth (synthetic data only)
# merge_runs: a seed's pseudo-label scores, kept beside its arms
PSEUDO_LABELS = 'pseudo-labels'
PSEUDO_LABEL_METRICS = (('keypoint_ap', 'AP'), ('persons', 'precision'), ('persons', 'recall'),
                        ('keypoints', 'precision'), ('keypoints', 'recall'))


def table_metrics(metrics: Dict[str, float],
                  det_boxes: Optional[Dict[str, float]] = None) -> Dict[str, float]:
    """An arm's metrics under the table's names: mmpose's ``coco/...`` renamed (other names
    kept), plus the keypoint AP of ``det_boxes``, the same metric on detected person boxes."""
    named = {MMPOSE_NAMES.get(name, name): value for name, value in metrics.items()}
    if det_boxes is not None:
        named[DET_BOXES_AP] = table_metrics(det_boxes)['keypoints/AP']
    return named


def table_columns(arm_metrics: Iterable[Dict]) -> List[str]:
    """The ``METRICS`` some arm has, in table order (the Keypoint R-CNN family has no
    detector-box AP, the top-down family no box mAP)."""
    present = {name for metrics in arm_metrics for name in metrics}
    return [metric for metric in METRICS if metric in present]


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


def arm_order(names: Sequence[str]) -> List[str]:
    """``names`` in table order: teacher, control, student, its later rounds, oracle, others."""
    def key(name: str) -> Tuple[int, int, str]:
        if name.startswith('student_r') and name[len('student_r'):].isdigit():
            return ARMS.index('student'), int(name[len('student_r'):]), name
        return (ARMS.index(name) if name in ARMS else len(ARMS)), 0, name
    return sorted(names, key=key)


# the student's paired baselines: the best labeled-only model of a seed is the better of the
# teacher (labeled-only, its own schedule) and the control (labeled-only, the student's recipe)
BASELINES = (('teacher', ('teacher', )), ('control', ('control', )),
             ('best labeled-only', ('teacher', 'control')))


def paired_differences(per_seed: Dict[int, Dict[str, Dict[str, float]]], arm: str,
                       baseline: Union[str, Sequence[str]],
                       metric: str = 'keypoints/AP') -> List[float]:
    """``arm`` minus ``baseline`` in every seed that has them all; several baseline arms mean
    the best of them in that seed."""
    baselines = (baseline, ) if isinstance(baseline, str) else tuple(baseline)
    return [results[arm][metric] - max(results[b][metric] for b in baselines)
            for results in per_seed.values()
            if all(metric in results.get(name, {}) for name in (arm, *baselines))]


def summarize(per_seed: Dict[int, Dict[str, Dict[str, float]]]) -> Dict:
    """Per arm and metric: mean, std and the per-seed values; the student's paired keypoint-AP
    differences to the teacher, the control and the better of the two; the gap fraction per
    seed.

    ``per_seed[seed][arm][metric]``; arms missing in a seed are skipped.
    """
    arms: Dict[str, Dict[str, Dict]] = {}
    for arm in arm_order({name for results in per_seed.values() for name in results}):
        for metric in METRICS:
            values = [seed_results[arm][metric] for seed_results in per_seed.values()
                      if metric in seed_results.get(arm, {})]
            if values:
                mean, std = mean_std(values)
                arms.setdefault(arm, {})[metric] = dict(mean=mean, std=std, values=values)
    gaps: Dict[int, float] = {}  # seed -> the fraction of its control -> oracle gap
    for seed, seed_results in per_seed.items():
        if all(arm in seed_results for arm in ('student', 'control', 'oracle')):
            gap = gap_recovered(*(seed_results[arm]['keypoints/AP']
                                  for arm in ('student', 'control', 'oracle')))
            if gap is not None:
                gaps[seed] = gap
    summary = dict(arms=arms, seeds=sorted(per_seed))
    differences = {}
    for name, baselines in BASELINES:
        values = paired_differences(per_seed, 'student', baselines)
        if values:
            mean, std = mean_std(values)
            differences[f'student - {name}'] = dict(mean=mean, std=std, values=values)
    if differences:
        summary['differences'] = differences
    if gaps:
        mean, std = mean_std(list(gaps.values()))
        summary['gap_recovered'] = dict(mean=mean, std=std, values=list(gaps.values()),
                                        seeds=list(gaps))
    return summary


def merge_runs(runs: Dict[str, Dict]
               ) -> Tuple[Dict[int, Dict], Dict[str, float], Dict[int, Dict]]:
    """One run's ``per_seed`` metrics, stage seconds and pseudo-label scores from the results of
    several (``runs[name]`` as in ``results.json``): e.g. seeds trained in different sessions, or
    an arm trained later for seeds that have the others.

    Every seed keeps the arms of all the runs that have it; an arm (or pseudo-label score) of a
    seed that two runs report must be the same in both. A stage's seconds are the mean per seed
    over the runs that have the stage, weighted by their number of seeds with that arm (every
    seed for stages that are not arms: data, pseudo-labels, evaluations).
    """
    values: Dict[Tuple[int, str], Dict] = {}  # (seed, arm or PSEUDO_LABELS) -> its results
    origin: Dict[Tuple[int, str], str] = {}  # ... -> the first run that reported it

    def take(seed: int, key: str, value: Dict, run: str) -> None:
        if (seed, key) in values and values[seed, key] != value:
            raise ValueError(f'seed {seed}: {key} is not the same in {origin[seed, key]} and {run}')
        values[seed, key] = value
        origin.setdefault((seed, key), run)

    stage_totals: Dict[str, List[float]] = {}  # stage -> [seconds x seeds, seeds]
    for run, results in runs.items():
        seeds = results['per_seed']
        for seed, arms in seeds.items():
            for arm, metrics in arms.items():
                take(int(seed), arm, metrics, run)
        for seed, quality in results.get('pseudo_labels', {}).get('per_seed', {}).items():
            take(int(seed), PSEUDO_LABELS, quality, run)
        for stage, seconds in results.get('stage_seconds', {}).items():
            count = sum(stage in arms for arms in seeds.values()) or len(seeds)
            total = stage_totals.setdefault(stage, [0.0, 0])
            total[0] += seconds * count
            total[1] += count
    per_seed: Dict[int, Dict] = {}
    pseudo_labels: Dict[int, Dict] = {}
    for (seed, key), value in sorted(values.items(), key=lambda item: item[0][0]):
        if key == PSEUDO_LABELS:
            pseudo_labels[seed] = value
        else:
            per_seed.setdefault(seed, {})[key] = value
    seconds = {stage: total / count for stage, (total, count) in stage_totals.items() if count}
    return per_seed, seconds, pseudo_labels


def summarize_pseudo_labels(per_seed: Dict[int, Dict]) -> Dict[str, Dict]:
    """Mean and std over seeds of the pseudo-label scores (``per_seed[seed]`` as returned by
    ``score_pseudo_label_file``); metrics a seed lacks are skipped."""
    summary = {}
    for group, name in PSEUDO_LABEL_METRICS:
        values = [quality[group][name] for quality in per_seed.values()
                  if quality.get(group, {}).get(name) is not None]
        if values:
            mean, std = mean_std(values)
            summary[f'{group}/{name}'] = dict(mean=mean, std=std, values=values)
    return summary


def pseudo_label_line(summary: Dict[str, Dict]) -> str:
    """One sentence on the pseudo-labels' quality (values in %, mean ± std over seeds)."""
    def pct(key: str) -> str:
        stat = summary.get(key)
        return '–' if stat is None else f"{100 * stat['mean']:.1f} ± {100 * stat['std']:.1f}"
    return (f"pseudo-labels vs the hidden truth of the unlabeled images: keypoint AP "
            f"{pct('keypoint_ap/AP')}; persons precision {pct('persons/precision')}, recall "
            f"{pct('persons/recall')}; keypoints precision {pct('keypoints/precision')}, recall "
            f"{pct('keypoints/recall')} (%)")


def markdown_table(summary: Dict, stage_seconds: Dict[str, float]) -> str:
    """The results table (AP in %, mean ± std over seeds) with each arm's training time."""
    columns = table_columns(summary['arms'].values())
    header = ['arm', *[m.replace('keypoints/', 'kpt ') for m in columns], 'train time (s)']
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    for arm, metrics in summary['arms'].items():
        cells = [arm]
        for metric in columns:
            stat = metrics.get(metric)
            cells.append('–' if stat is None else
                         f"{100 * stat['mean']:.1f} ± {100 * stat['std']:.1f}")
        seconds = stage_seconds.get(arm)
        cells.append('–' if seconds is None else f'{seconds:.0f}')
        lines.append('| ' + ' | '.join(cells) + ' |')
    lines.append('')
    for name, stat in summary.get('differences', {}).items():
        per_seed = ', '.join(f'{100 * v:+.1f}' for v in stat['values'])
        lines.append(f"- {name}: {100 * stat['mean']:+.1f} ± {100 * stat['std']:.1f} keypoint "
                     f"AP (per seed {per_seed})")
    gap = summary.get('gap_recovered')
    if gap:
        lines.append(f"- student recovers {100 * gap['mean']:.0f} ± {100 * gap['std']:.0f} % "
                     f"of the control → oracle keypoint-AP gap (seeds: {gap['seeds']})")
    return '\n'.join(lines)


def ablation_rows(reference: Dict, ablations: Dict[str, Dict],
                  metric: str = 'keypoints/AP') -> List[Dict[str, Optional[float]]]:
    """One row per run (the reference first, named ``default``) of a screen: the mean over the
    run's seeds of its student, of the control it is compared with (its own if it trained one,
    else the reference's, paired per seed), their paired difference and the pseudo-labels' AP.

    Each run is a ``tools/distill.py`` ``results.json``; seeds missing in the reference are
    skipped for runs without their own control.
    """
    rows = []
    for name, run in {'default': reference, **ablations}.items():
        own = {seed: arms for seed, arms in run['per_seed'].items() if 'control' in arms}
        differences, students, controls = [], [], []
        for seed, arms in run['per_seed'].items():
            control_arms = own.get(seed) or reference['per_seed'].get(seed, {})
            if 'student' not in arms or 'control' not in control_arms:
                continue
            students.append(arms['student'][metric])
            controls.append(control_arms['control'][metric])
            differences.append(students[-1] - controls[-1])
        quality = run.get('pseudo_labels', {}).get('summary', {}).get('keypoint_ap/AP')
        rows.append(dict(
            name=name, seeds=len(differences),
            student=mean_std(students)[0] if students else None,
            control=mean_std(controls)[0] if controls else None,
            difference=mean_std(differences)[0] if differences else None,
            pseudo_label_ap=None if quality is None else quality['mean']))
    return rows
