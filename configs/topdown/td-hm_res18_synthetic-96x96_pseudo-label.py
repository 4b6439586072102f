# Top-down pseudo-labels on the synthetic unlabeled split (CPU): the synthetic Keypoint R-CNN's
# boxes (its box branch under its own test-time views, boxes merged by NMS + box voting), then
# the synthetic SimpleBaseline under its crop paddings x flip on every box. The detector is the
# Keypoint R-CNN teacher the pipeline trains anyway (an mmdet model, no extra training); any
# mmdet detector config works the same way.
#   python tools/pseudo_label.py configs/topdown/td-hm_res18_synthetic-96x96_pseudo-label.py \
#       POSE.pth --detector configs/synthetic/teacher.py DET.pth --out pseudo.json
#   (or --bbox-file boxes.json: person boxes you already have, mmpose's bbox_file format)
_base_ = ['./td-hm_res18_synthetic-96x96_tta.py']

data_root = 'data/synthetic/'
# what tools/pseudo_label.py reads; --unlabeled / --labeled / --score-thr / --kpt-thr /
# --bbox-thr override
pseudo_label = dict(
    unlabeled=data_root + 'annotations/unlabeled_images.json',  # image-info file or folder
    img_prefix=data_root + 'images/',  # where an image-info file's file_name are
    labeled=data_root + 'annotations/labeled.json',  # categories + calibration targets
    score_thr=None,  # None: calibrate persons/image to the labeled set's
    kpt_thr=None,  # None: calibrate keypoints/person to the labeled set's
    bbox_thr=0.0,  # boxes below are dropped; 0 keeps every box the detector outputs
    person_label=0,  # the detector's label of the person class
    num_workers=0)  # data loader workers of the unlabeled images
