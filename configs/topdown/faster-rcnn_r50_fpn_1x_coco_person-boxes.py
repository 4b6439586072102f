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
# Both run the detector under the views below (tta_model / tta_pipeline): short sides 640, 800,
# 960 (long side <= 1333) x horizontal flip, the person boxes of the 6 views merged by NMS + box
# voting as Keypoint R-CNN's (PersonBoxTTAModel). tools/test.py CONFIG DET.pth --tta runs them
# too, under the zoo's CocoMetric: with person boxes only, its bbox_mAP averages in 79 empty
# classes; read the person row of --cfg-options test_evaluator.classwise=True.
_base_ = ['mmdet::faster_rcnn/faster-rcnn_r50_fpn_1x_coco.py']

custom_imports = dict(imports=['mmdistill'], allow_failed_imports=False)

tta_model = dict(
    type='PersonBoxTTAModel', person_label=0, nms_iou_thr=0.5, vote_iou_thr=0.8, max_per_img=100)

# mmdet's --tta convention (e.g. mmdet::rtmdet/rtmdet_tta.py), without LoadAnnotations:
# unlabeled images have none (the detector stage would drop it anyway)
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(type='TestTimeAug', transforms=[
        [dict(type='Resize', scale=(1333, s), keep_ratio=True) for s in (640, 800, 960)],
        [dict(type='RandomFlip', prob=1.), dict(type='RandomFlip', prob=0.)],
        [dict(type='PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                                               'scale_factor', 'flip', 'flip_direction'))],
    ])
]
