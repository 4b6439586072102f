# The person detector of the synthetic top-down family (tools/distill.py --family topdown): the
# synthetic Keypoint R-CNN (configs/synthetic/teacher.py; its box branch finds the persons, under
# its test-time views) trained for 3,200 iterations, a quarter of the keypoint teacher's: the
# detector of the top-down results in docs/topdown.md (boxes need less training than keypoints).
#   python tools/train.py configs/topdown/keypoint-rcnn_synthetic_person-boxes.py
#   python tools/detect_persons.py configs/topdown/keypoint-rcnn_synthetic_person-boxes.py \
#       DET.pth --images data/synthetic/annotations/val.json --img-prefix data/synthetic/images/ \
#       --out val_person_boxes.json
_base_ = '../synthetic/teacher.py'

max_iters = 3200
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
