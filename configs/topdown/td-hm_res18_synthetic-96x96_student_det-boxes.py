# The synthetic top-down student evaluated on the detector's person boxes instead of the
# ground-truth ones (mmpose's protocol: CocoMetric with OKS-NMS over the rescored persons). The
# boxes are the detector's on the val images:
#   python tools/detect_persons.py configs/topdown/keypoint-rcnn_synthetic_person-boxes.py \
#       DET.pth --images data/synthetic/annotations/val.json --img-prefix data/synthetic/images/ \
#       --out data/synthetic/person_detection_results/val_person_boxes.json
#   python tools/test.py configs/topdown/td-hm_res18_synthetic-96x96_student_det-boxes.py STUDENT.pth
# (any other top-down config: --cfg-options test_dataloader.dataset.bbox_file=BOXES.json)
_base_ = './td-hm_res18_synthetic-96x96_student.py'

val_dataloader = dict(
    dataset=dict(bbox_file='data/synthetic/person_detection_results/val_person_boxes.json'))
test_dataloader = val_dataloader
