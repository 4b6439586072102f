# Data Distillation student of the synthetic top-down family (CPU): the teacher's SimpleBaseline
# (../synthetic/td-hm_res18_synthetic-96x96_2x.py), re-trained from the teacher's initial weights
# (from scratch here) as in the paper, on labeled + top-down pseudo-labeled persons
# (td-hm_res18_synthetic-96x96_pseudo-label.py) mixed 6 : 4 in every global batch, with the
# teacher's augmentation and schedule (2,000 iterations), so that its same-recipe control is the
# teacher, as in the Keypoint R-CNN family. Evaluated like the teacher, without test-time views:
# mmpose's CocoMetric on ground-truth boxes (..._student_det-boxes.py: on the detector's boxes).
#   python tools/train.py configs/topdown/td-hm_res18_synthetic-96x96_student.py \
#       --cfg-options train_dataloader.dataset.datasets.1.ann_file=PSEUDO.json
_base_ = '../synthetic/td-hm_res18_synthetic-96x96_2x.py'

load_from = None  # re-trained, not fine-tuned from the teacher
pseudo_label_file = 'work_dirs/distill_synthetic_topdown/pseudo_labels.json'
source_ratio = [6, 4]  # labeled : pseudo-labeled, per global batch (the paper's ratio)
batch_size = 32

_labeled = _base_.train_dataloader.dataset
train_dataloader = dict(
    batch_size=batch_size,
    sampler=dict(
        _delete_=True, type='RatioMultiSourceSampler', batch_size=batch_size,
        source_ratio=source_ratio),
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[_labeled, dict(_labeled, ann_file=pseudo_label_file)]))

# the teacher's schedule, run by a loop that resumes the ratio sampler's stream
train_cfg = dict(type='StreamResumeIterBasedTrainLoop')
