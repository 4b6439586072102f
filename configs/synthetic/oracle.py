# Oracle (ceiling) for the synthetic benchmark: the student's recipe with the hidden ground truth
# of the unlabeled images in place of the pseudo-labels. Only possible on synthetic data.
_base_ = './student.py'

pseudo_label_file = 'annotations/unlabeled_gt.json'
train_dataloader = dict(dataset=dict(datasets=[
    _base_.train_dataloader.dataset.datasets[0],
    dict(_base_.train_dataloader.dataset.datasets[1], ann_file=pseudo_label_file)
]))
