# Data Distillation teacher on COCO person keypoints: Keypoint R-CNN R-50-FPN, 1x schedule,
# trained on the labeled images. Point train_dataloader.dataset.ann_file at a labeled subset
# (e.g. co-35) for the small-scale setting.
_base_ = './keypoint_rcnn/keypoint-rcnn_r50_fpn_1x_coco.py'
