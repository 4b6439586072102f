# Data Distillation's multi-transform inference on COCO un-120 (unlabeled2017, 123k images) with
# the Keypoint R-CNN teacher: short sides 400..1200 step 100, each with and without horizontal
# flip (18 views), boxes merged by NMS + box voting, keypoint heatmaps of the merged boxes
# averaged over all views (Detectron TEST.BBOX_AUG / TEST.KPS_AUG). Run by tools/pseudo_label.py
# as an mmengine Runner.test over the unlabeled images with PseudoLabelHook:
#   tools/dist_pseudo_label.sh configs/pseudo_label.py TEACHER.pth 8 --out pseudo.json
#   tools/slurm_pseudo_label.sh PARTITION JOB configs/pseudo_label.py TEACHER.pth --out pseudo.json
_base_ = ['./teacher.py', './_base_/pseudo_label/coco_un120.py']

tta_scales = list(range(400, 1201, 100))
tta_model = dict(
    type='KeypointRCNNTTAModel',
    nms_iou_thr=0.5,
    vote_iou_thr=0.8,  # Detectron TEST.BBOX_VOTE.VOTE_TH
    max_per_img=100,
    scale_size_dep=False,  # Detectron TEST.KPS_AUG.SCALE_SIZE_DEP
    base_scale=800,
    area_thr=180**2,
    cache_features=False)  # 18 views at up to 1200 px: recompute features (Detectron)
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[
            [dict(type='KeypointResize', scale=(2000, s), keep_ratio=True) for s in tta_scales],
            [dict(type='KeypointRandomFlip', prob=1.),
             dict(type='KeypointRandomFlip', prob=0.)],
            [dict(type='PackKeypointDetInputs',
                  meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor',
                             'flip', 'flip_direction', 'flip_indices', 'scale'))],
        ])
]
