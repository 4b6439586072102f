# Data Distillation student of the COCO top-down family with RTMPose-m
# (./rtmpose-m_8xb256-420e_coco-256x192.py, the teacher), re-trained from the teacher's initial
# weights (its CSPNeXt-m init_cfg) as in the paper, on COCO train2017 persons plus the teacher's
# top-down pseudo-labels of unlabeled2017 (..._pseudo-label.py), mixed 6 : 4 in every global
# batch, for 2x the teacher's iterations. Evaluated like the teacher (CocoMetric on val2017
# ground-truth boxes; on detector boxes with --cfg-options
# val_dataloader.dataset.bbox_file=BOXES.json test_dataloader.dataset.bbox_file=BOXES.json).
#   tools/dist_train.sh configs/topdown/rtmpose-m_8xb256-420e_coco-256x192_student.py 8 \
#       --cfg-options train_dataloader.dataset.datasets.1.ann_file=annotations/pseudo.json
_base_ = './rtmpose-m_8xb256-420e_coco-256x192.py'

load_from = None  # re-trained, not fine-tuned from the teacher
pseudo_label_file = 'annotations/pseudo_unlabeled2017.json'  # tools/pseudo_label.py --out
source_ratio = [6, 4]
batch_size = 256  # per GPU, as the teacher (8 GPUs x 256 = 2048 persons per iteration)

# 2x the teacher's schedule in iterations, the same shape: the teacher runs 420 epochs of 74
# iterations (149,813 train2017 persons / 2048), its cosine decay over the second half and the
# stage-2 pipeline over the last 30 epochs. Unlike the SimpleBaseline student, this one keeps the
# teacher's epoch loop, so that mmdet's PipelineSwitchHook (which switches at an epoch, and the
# dataset's own pipeline) and the EMA hook run as in the teacher: epochs of exactly the teacher's
# 74 iterations (the sampler's epoch_length, not a pass over the mixed data), so that the
# derived same-recipe control trains exactly as long, and mmpose's CombinedDataset, which runs
# one pipeline (the one the hook switches) on the samples of both sources.
epoch_length = 74
max_epochs = 2 * 420
stage2_num_epochs = 2 * 30

_labeled = _base_.train_dataloader.dataset
train_dataloader = dict(
    batch_size=batch_size,
    sampler=dict(
        _delete_=True, type='RatioMultiSourceSampler', batch_size=batch_size,
        source_ratio=source_ratio, infinite=False, epoch_length=epoch_length),
    dataset=dict(
        _delete_=True,
        type='CombinedDataset',
        metainfo=dict(from_file='configs/_base_/datasets/coco.py'),  # mmpose's COCO metainfo
        datasets=[
            dict(_labeled, pipeline=[]),
            dict(_labeled, ann_file=pseudo_label_file, data_prefix=dict(img='unlabeled2017/'),
                 pipeline=[])
        ],
        pipeline=_labeled.pipeline))

train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],  # the teacher's warm-up, in iterations
    dict(type='CosineAnnealingLR', eta_min=_base_.base_lr * 0.05, begin=max_epochs // 2,
         end=max_epochs, T_max=max_epochs // 2, by_epoch=True, convert_to_iter_based=True),
]
custom_hooks = [
    _base_.custom_hooks[0],  # EMA, per iteration as in the teacher
    dict(_base_.custom_hooks[1], switch_epoch=max_epochs - stage2_num_epochs),
]
