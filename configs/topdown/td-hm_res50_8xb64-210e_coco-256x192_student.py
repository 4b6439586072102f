# Data Distillation student of the COCO top-down family: mmpose's SimpleBaseline R-50
# (./td-hm_res50_8xb64-210e_coco-256x192.py, the teacher), re-trained from the teacher's initial
# weights (ImageNet, the backbone's init_cfg) as in the paper, on COCO train2017 persons plus the
# teacher's top-down pseudo-labels of unlabeled2017 (..._pseudo-label.py), mixed 6 : 4 in every
# global batch, for 2x the teacher's iterations. Evaluated like the teacher (mmpose's protocol:
# CocoMetric on the person detector's val2017 boxes; ground-truth boxes with
# --cfg-options val_dataloader.dataset.bbox_file=None test_dataloader.dataset.bbox_file=None).
#   tools/dist_train.sh configs/topdown/td-hm_res50_8xb64-210e_coco-256x192_student.py 8 \
#       --cfg-options train_dataloader.dataset.datasets.1.ann_file=annotations/pseudo.json
_base_ = './td-hm_res50_8xb64-210e_coco-256x192.py'

load_from = None  # re-trained, not fine-tuned from the teacher
pseudo_label_file = 'annotations/pseudo_unlabeled2017.json'  # tools/pseudo_label.py --out
source_ratio = [6, 4]
batch_size = 64  # per GPU, as the teacher (8 GPUs x 64 = 512 persons per iteration)

_labeled = _base_.train_dataloader.dataset
train_dataloader = dict(
    batch_size=batch_size,
    sampler=dict(
        _delete_=True, type='RatioMultiSourceSampler', batch_size=batch_size,
        source_ratio=source_ratio),
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            _labeled,
            dict(_labeled, ann_file=pseudo_label_file, data_prefix=dict(img='unlabeled2017/'))
        ]))

# 2x the teacher's schedule in iterations, the same shape: the teacher runs 210 epochs of
# 293 iterations (149,813 train2017 persons / 512) with LR steps at epochs 170 and 200. In
# iterations (not epochs of the mixed data) so that the derived same-recipe control, with the
# labeled source alone, trains exactly as long.
teacher_iters = 210 * 293
max_iters = 2 * teacher_iters
val_interval = 10 * 293  # the teacher's every 10 epochs
train_cfg = dict(_delete_=True, type='StreamResumeIterBasedTrainLoop', max_iters=max_iters,
                 val_interval=val_interval)
param_scheduler = [
    dict(type='LinearLR', begin=0, end=500, start_factor=0.001, by_epoch=False),  # warm-up
    dict(type='MultiStepLR', begin=0, end=max_iters, by_epoch=False, gamma=0.1,
         milestones=[max_iters * 170 // 210, max_iters * 200 // 210]),
]
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=val_interval))
log_processor = dict(by_epoch=False)
