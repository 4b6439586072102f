# Data Distillation student on COCO person keypoints (Keypoint R-CNN R-50-FPN): the teacher's
# architecture, re-trained from the teacher's initial weights (ImageNet, the backbone's init_cfg)
# as in the paper ("retraining consistently results in better performance" than fine-tuning from
# the teacher; configs/ablations/student_finetune-from-teacher.py is that ablation), on the
# labeled images (co-115) plus the teacher's pseudo-labels of unlabeled2017 (un-120), mixed
# labeled : pseudo = 6 : 4 in every global batch, on Detectron's longer s1x schedule (130k
# iterations; more data, more iterations).
#   tools/dist_train.sh configs/student.py 8 \
#       --cfg-options train_dataloader.dataset.datasets.1.ann_file=annotations/pseudo.json
_base_ = './teacher.py'

load_from = None  # re-trained, not fine-tuned from the teacher
pseudo_label_file = 'annotations/pseudo_unlabeled2017.json'  # tools/pseudo_label.py --out
source_ratio = [6, 4]
batch_size = 2  # per GPU, as in the paper (8 GPUs x 2 = 16 images per iteration)

_labeled = _base_.train_dataloader.dataset
train_dataloader = dict(
    batch_size=batch_size,
    sampler=dict(
        _delete_=True, type='RatioMultiSourceSampler', batch_size=batch_size,
        source_ratio=source_ratio),
    batch_sampler=None,  # no aspect-ratio grouping: every global batch holds the exact ratio
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            _labeled,
            dict(_labeled, ann_file=pseudo_label_file, data_prefix=dict(img='unlabeled2017/'))
        ]))

max_iters = 130000
train_cfg = dict(type='StreamResumeIterBasedTrainLoop', max_iters=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=1 / 3, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=max_iters, by_epoch=False,
         milestones=[100000, 120000], gamma=0.1),
]
