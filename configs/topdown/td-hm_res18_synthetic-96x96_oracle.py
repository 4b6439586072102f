# Oracle (ceiling) of the synthetic top-down student: its recipe with the hidden ground truth of
# the unlabeled images in place of the pseudo-labels. Only possible on synthetic data.
# (mmdistill.utils.arms.truth_recipe derives the same config from any student.)
_base_ = './td-hm_res18_synthetic-96x96_student.py'

pseudo_label_file = 'annotations/unlabeled_gt.json'
train_dataloader = dict(dataset=dict(datasets=[
    _base_.train_dataloader.dataset.datasets[0],
    dict(_base_.train_dataloader.dataset.datasets[1], ann_file=pseudo_label_file)
]))
