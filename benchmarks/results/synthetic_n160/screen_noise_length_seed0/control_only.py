"""Train and evaluate only the same-recipe control of a tools/distill.py run (one seed), so that
a screen's student and control can train side by side (distill.py trains a seed's arms in turn).
Same arguments as tools/distill.py; the arm is built by distill.py's own SeedRun."""
import importlib.util
import json
import sys

spec = importlib.util.spec_from_file_location('distill', '/work/bench/tools/distill.py')
distill = importlib.util.module_from_spec(spec)
spec.loader.exec_module(distill)
args = distill.parse_args(sys.argv[1:])
run = distill.SeedRun(args, args.first_seed)
teacher = run.teacher()
run.train('control', teacher=teacher)
print(json.dumps(dict(control=run.evaluate('control'), teacher=run.evaluate('teacher')), indent=2))
