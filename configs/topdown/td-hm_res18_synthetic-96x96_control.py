# Same-recipe control of the synthetic top-down student: its recipe (initialisation, iterations,
# LR schedule, augmentation, batch) on the labeled persons alone, so that student - control
# measures what the pseudo-labels add, not the longer schedule. (tools/distill.py derives the
# same config from any student, mmdistill.utils.arms.labeled_only_recipe.)
_base_ = './td-hm_res18_synthetic-96x96_student.py'

pseudo_label_file = None
source_ratio = [1]
train_dataloader = dict(
    sampler=dict(source_ratio=source_ratio),
    dataset=dict(datasets=[_base_.train_dataloader.dataset.datasets[0]]))
