# Top-down pseudo-labels on COCO un-120 (unlabeled2017): mmdet's Faster R-CNN person boxes, then
# the SimpleBaseline R-50 teacher under its crop paddings x flip on every box; calibration,
# shards and the COCO file as for Keypoint R-CNN (tools/pseudo_label.py):
#   tools/dist_pseudo_label.sh configs/topdown/td-hm_res50_8xb64-210e_coco-256x192_pseudo-label.py \
#       POSE.pth 8 --detector configs/topdown/faster-rcnn_r50_fpn_1x_coco_person-boxes.py DET.pth \
#       --out pseudo_unlabeled2017.json
_base_ = ['./td-hm_res50_8xb64-210e_coco-256x192_tta.py', '../_base_/pseudo_label/coco_un120.py']

# the detector's boxes: every one it outputs (0), of its person class (label 0)
pseudo_label = dict(bbox_thr=0.0, person_label=0)
