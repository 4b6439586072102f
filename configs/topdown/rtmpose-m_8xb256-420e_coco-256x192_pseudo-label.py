# Top-down pseudo-labels on COCO un-120 (unlabeled2017): mmdet's Faster R-CNN person boxes, then
# the RTMPose-m teacher under its crop paddings x flip on every box; calibration, shards and the
# COCO file as for Keypoint R-CNN (tools/pseudo_label.py):
#   tools/dist_pseudo_label.sh configs/topdown/rtmpose-m_8xb256-420e_coco-256x192_pseudo-label.py \
#       POSE.pth 8 --detector configs/topdown/faster-rcnn_r50_fpn_1x_coco_person-boxes.py DET.pth \
#       --out pseudo_unlabeled2017.json
_base_ = ['./rtmpose-m_8xb256-420e_coco-256x192_tta.py']

data_root = 'data/coco/'
pseudo_label = dict(
    unlabeled=data_root + 'annotations/image_info_unlabeled2017.json',
    img_prefix=data_root + 'unlabeled2017/',
    labeled=data_root + 'annotations/person_keypoints_train2017.json',
    score_thr=None,  # None: calibrate persons/image to the labeled set's
    kpt_thr=None,  # None: calibrate keypoints/person to the labeled set's
    bbox_thr=0.0,  # boxes below are dropped; 0 keeps every box the detector outputs
    person_label=0,  # the detector's label of the person class (COCO's 80 classes)
    num_workers=2)  # data loader workers per process
