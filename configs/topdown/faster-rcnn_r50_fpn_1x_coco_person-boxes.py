# The person detector of the COCO top-down family: mmdet's Faster R-CNN R-50-FPN 1x from the
# model zoo as is (80 COCO classes, person = label 0, as mmpose's top-down demos use it; its
# weights are mmdet's released checkpoint, given on the command line). Its person boxes feed the
# pose model through mmpose's bbox_file format:
#   python tools/pseudo_label.py configs/topdown/td-hm_res50_8xb64-210e_coco-256x192_pseudo-label.py \
#       POSE.pth --detector configs/topdown/faster-rcnn_r50_fpn_1x_coco_person-boxes.py DET.pth \
#       --out pseudo.json
#   python tools/detect_persons.py configs/topdown/faster-rcnn_r50_fpn_1x_coco_person-boxes.py \
#       DET.pth --images data/coco/annotations/person_keypoints_val2017.json \
#       --img-prefix data/coco/val2017/ --out val2017_person_boxes.json   # for evaluation
# No tta_model: the detector runs on its single test view (a config with one, such as
# configs/synthetic/teacher.py, runs under its views).
_base_ = ['mmdet::faster_rcnn/faster-rcnn_r50_fpn_1x_coco.py']

custom_imports = dict(imports=['mmdistill'], allow_failed_imports=False)
