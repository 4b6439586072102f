# Synthetic COCO person keypoints written by tools/make_synthetic.py (docs/synthetic_data.md).
# mmpose's CocoDataset needs no metainfo here: its default is COCO's 17 keypoints, flip pairs and
# OKS sigmas, which is what the generator writes. Model configs add the (codec-dependent)
# pipelines: train_dataloader = dict(dataset=dict(pipeline=train_pipeline)).
dataset_type = 'CocoDataset'
data_mode = 'topdown'
data_root = 'data/synthetic/'
data_prefix = dict(img='images/')  # COCO file_name is '<split>/NNNNNN.png'

labeled_ann_file = 'annotations/labeled.json'
val_ann_file = 'annotations/val.json'
# hidden truth of the unlabeled split: for an oracle and for scoring pseudo-labels only
unlabeled_gt_ann_file = 'annotations/unlabeled_gt.json'
# the unlabeled split as COCO image info (no annotations), the input of pseudo-labelling
unlabeled_images_file = 'annotations/unlabeled_images.json'

train_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=True,
    # infinite: mmengine's IterBasedTrainLoop pauses 2 s each time a finite sampler runs out
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file=labeled_ann_file,
        data_prefix=data_prefix))
val_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file=val_ann_file,
        bbox_file=None,  # evaluate on ground-truth boxes
        data_prefix=data_prefix,
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(type='CocoMetric', ann_file=data_root + val_ann_file)
test_evaluator = val_evaluator

# The unlabeled images one by one (no persons). Top-down mode yields one sample per person and
# so nothing here (and mmengine cannot serialise an empty data list); bottom-up test mode lists
# every image.
unlabeled_images_dataset = dict(
    type=dataset_type,
    data_root=data_root,
    data_mode='bottomup',
    ann_file=unlabeled_images_file,
    data_prefix=data_prefix,
    test_mode=True)
