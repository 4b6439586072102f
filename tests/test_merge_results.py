"""Merging the results of several pipeline runs: the pure merge and the tool on disk."""
import json
import subprocess
import sys

import pytest

from mmdistill.utils.results_files import read_results, write_results
from mmdistill.utils.results_table import merge_runs

TOOL = 'tools/analysis_tools/merge_results.py'


def arms(**aps):
    return {arm: {'keypoints/AP': ap} for arm, ap in aps.items()}


def quality(ap):
    return dict(keypoint_ap=dict(AP=ap), persons=dict(precision=0.9, recall=0.8),
                keypoints=dict(precision=0.7, recall=0.6))


def run_results(per_seed, seconds, pseudo=None):
    """A results.json as tools/distill.py writes it (seeds as JSON keys: strings)."""
    results = dict(per_seed={str(s): a for s, a in per_seed.items()}, stage_seconds=seconds)
    if pseudo:
        results['pseudo_labels'] = dict(per_seed={str(s): q for s, q in pseudo.items()})
    return results


def test_merge_unites_seeds_and_arms_and_weights_the_stage_seconds():
    first = run_results({3: arms(teacher=0.6, student=0.62), 4: arms(teacher=0.5, student=0.55)},
                        {'teacher': 100.0, 'student': 200.0}, {3: quality(0.5), 4: quality(0.4)})
    later = run_results({5: arms(teacher=0.7, student=0.71)}, {'teacher': 400.0},
                        {5: quality(0.6)})
    oracle = run_results({3: arms(teacher=0.6, oracle=0.7)}, {'oracle': 50.0})
    per_seed, seconds, pseudo = merge_runs({'a': first, 'b': later, 'c': oracle})
    assert list(per_seed) == [3, 4, 5]
    assert per_seed[3] == arms(teacher=0.6, student=0.62, oracle=0.7)
    assert per_seed[5] == arms(teacher=0.7, student=0.71)
    # teacher: 100 s for each of 2 seeds and 400 s for 1 (the oracle run did not train one)
    assert seconds == {'teacher': pytest.approx(200.0), 'student': 200.0, 'oracle': 50.0}
    assert pseudo == {3: quality(0.5), 4: quality(0.4), 5: quality(0.6)}

    # a merged run whose oracle stage is the mean of the one seed that has an oracle
    merged = run_results({0: arms(oracle=0.7), 1: arms(student=0.6), 2: arms(student=0.6)},
                         {'oracle': 60.0, 'data': 10.0})
    more = run_results({3: arms(oracle=0.7), 4: arms(oracle=0.7)}, {'oracle': 30.0, 'data': 4.0})
    seconds = merge_runs({'merged': merged, 'more': more})[1]
    assert seconds == {'oracle': pytest.approx(40.0), 'data': pytest.approx(7.6)}


def test_merge_refuses_an_arm_two_runs_disagree_on():
    first = run_results({3: arms(teacher=0.6)}, {})
    other = run_results({3: arms(teacher=0.61)}, {})
    with pytest.raises(ValueError, match='seed 3: teacher is not the same in a and b'):
        merge_runs({'a': first, 'b': other})
    with pytest.raises(ValueError, match='seed 3: pseudo-labels is not the same in a and b'):
        merge_runs({'a': run_results({3: {}}, {}, {3: quality(0.5)}),
                    'b': run_results({3: {}}, {}, {3: quality(0.6)})})


def test_tool_writes_the_merged_table(tmp_path):
    for name, per_seed in (('run_a', {3: arms(teacher=0.6, student=0.63)}),
                           ('run_b', {4: arms(teacher=0.5, student=0.54)})):
        (tmp_path / name).mkdir()
        write_results(str(tmp_path / name), per_seed, {'teacher': 10.0})
    out = tmp_path / 'merged'
    proc = subprocess.run([sys.executable, TOOL, str(tmp_path / 'run_a'),
                           str(tmp_path / 'run_b' / 'results.json'), '--work-dir', str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    merged = json.loads((out / 'results.json').read_text())
    assert merged['summary']['seeds'] == [3, 4]
    assert merged['summary']['differences']['student - teacher']['values'] == pytest.approx(
        [0.03, 0.04])
    assert '| student | 58.5 ± 6.4 |' in (out / 'results.md').read_text()
    assert 'seeds [3, 4] from 2 runs' in proc.stdout


def test_tool_names_the_two_runs_of_a_conflict_and_writes_nothing(tmp_path):
    for name, ap in (('run_a', 0.6), ('run_b', 0.7)):
        (tmp_path / name).mkdir()
        write_results(str(tmp_path / name), {3: arms(teacher=ap)}, {})
    out = tmp_path / 'merged'
    proc = subprocess.run([sys.executable, TOOL, str(tmp_path / 'run_a'), str(tmp_path / 'run_b'),
                           '--work-dir', str(out)], capture_output=True, text=True)
    assert proc.returncode != 0
    runs = f"{tmp_path / 'run_a'} and {tmp_path / 'run_b'}"
    assert f'teacher is not the same in {runs}' in proc.stderr
    assert not out.exists()


def test_read_results_names_the_file_and_the_field(tmp_path):
    with pytest.raises(FileNotFoundError, match='no such results file'):
        read_results(str(tmp_path))
    bad = tmp_path / 'results.json'
    bad.write_text('{"summary": {}}')
    with pytest.raises(ValueError, match=f'{bad}: field "per_seed"'):
        read_results(str(tmp_path))
    bad.write_text('{"per_seed": ')
    with pytest.raises(ValueError, match=f'{bad}: not JSON'):
        read_results(str(bad))


def test_tool_adds_arms_from_metrics_files_and_checks_them(tmp_path):
    (tmp_path / 'run').mkdir()
    write_results(str(tmp_path / 'run'), {0: arms(teacher=0.6, student=0.64)}, {'student': 9.0})
    oracle = tmp_path / 'oracle.json'  # tools/test.py --out of the Keypoint R-CNN family
    oracle.write_text(json.dumps({'keypoints/AP': 0.68, 'bbox/mAP': 0.5}))
    control = tmp_path / 'control.json'  # ... and of the top-down family (mmpose's names)
    control.write_text(json.dumps({'coco/AP': 0.6, 'coco/AR': 0.65}))
    out = tmp_path / 'merged'

    def merge(*extra):
        return subprocess.run([sys.executable, TOOL, *extra, '--work-dir', str(out)],
                              capture_output=True, text=True)

    proc = merge(str(tmp_path / 'run'), '--arm', '0', 'oracle', str(oracle),
                 '--arm', '0', 'control', str(control))
    assert proc.returncode == 0, proc.stderr
    merged = json.loads((out / 'results.json').read_text())
    assert merged['per_seed']['0']['oracle'] == {'keypoints/AP': 0.68, 'bbox/mAP': 0.5}
    assert merged['per_seed']['0']['control'] == {'keypoints/AP': 0.6, 'keypoints/AR': 0.65}
    assert merged['summary']['gap_recovered']['values'] == pytest.approx([0.5])

    conflict = merge(str(tmp_path / 'run'), '--arm', '0', 'teacher', str(oracle))
    assert conflict.returncode != 0 and 'seed 0: teacher is not the same' in conflict.stderr
    bad = tmp_path / 'bad.json'
    bad.write_text(json.dumps({'keypoints/AP': 'high'}))
    proc = merge('--arm', '1', 'oracle', str(bad))
    assert proc.returncode != 0 and f'{bad}: field "keypoints/AP" is not a number' in proc.stderr
    proc = merge('--arm', 'one', 'oracle', str(oracle))
    assert proc.returncode != 0 and 'seed must be a non-negative integer' in proc.stderr
    assert 'nothing to merge' in merge().stderr
