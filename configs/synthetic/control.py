# Same-recipe control for the synthetic benchmark: the student's recipe (same initialisation,
# iterations, LR schedule, augmentation and batch size) on the labeled images alone, so that
# student - control measures what the pseudo-labeled data adds, not the longer schedule. The
# other control, the best labeled-only model, is the teacher itself.
_base_ = './student.py'

pseudo_label_file = None
source_ratio = [1]
train_dataloader = dict(
    sampler=dict(source_ratio=source_ratio),
    dataset=dict(datasets=[_base_.train_dataloader.dataset.datasets[0]]))
