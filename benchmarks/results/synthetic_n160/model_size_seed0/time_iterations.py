import sys, time
import torch
from mmengine.config import Config
from mmengine.runner import Runner
import mmdistill
cfg = Config.fromfile(sys.argv[1]); cfg.work_dir = '/work/runs/probe2/wd'
cfg.train_dataloader.num_workers = 0; cfg.train_dataloader.persistent_workers = False
runner = Runner.from_cfg(cfg)
runner._train_loop = runner.build_train_loop(runner._train_loop)
runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
runner.model.train()
it = iter(runner.train_dataloader)
batches = [next(it) for _ in range(14)]
for b in batches[:2]: runner.model.train_step(b, runner.optim_wrapper)
t = time.time()
for b in batches[2:]: runner.model.train_step(b, runner.optim_wrapper)
print(sys.argv[1], 's/iter', round((time.time() - t) / 12, 3), flush=True)
