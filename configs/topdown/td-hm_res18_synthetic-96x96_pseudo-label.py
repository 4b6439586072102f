# Top-down pseudo-labels on the synthetic unlabeled split (CPU): the synthetic Keypoint R-CNN's
# boxes (its box branch under its own test-time views, boxes merged by NMS + box voting), then
# the synthetic SimpleBaseline under its crop paddings x flip on every box. The detector is the
# Keypoint R-CNN model (an mmdet model) trained as a person detector; any mmdet detector config
# works the same way.
#   python tools/pseudo_label.py configs/topdown/td-hm_res18_synthetic-96x96_pseudo-label.py \
#       POSE.pth --detector configs/topdown/keypoint-rcnn_synthetic_person-boxes.py DET.pth \
#       --out pseudo.json
#   (or --bbox-file boxes.json: person boxes you already have, mmpose's bbox_file format)
_base_ = ['./td-hm_res18_synthetic-96x96_tta.py', '../_base_/pseudo_label/synthetic.py']

# the detector's boxes: every one it outputs (0), of its person class (label 0)
pseudo_label = dict(bbox_thr=0.0, person_label=0)
