# What tools/pseudo_label.py reads for COCO un-120 (unlabeled2017, 123k images); the command-line
# --unlabeled / --labeled / --score-thr / --kpt-thr override it. Shared by both families.
pseudo_label = dict(
    unlabeled='data/coco/annotations/image_info_unlabeled2017.json',  # image-info file or folder
    img_prefix='data/coco/unlabeled2017/',  # where an image-info file's file_name are
    labeled='data/coco/annotations/person_keypoints_train2017.json',  # calibration targets
    score_thr=None,  # None: calibrate persons/image to the labeled set's
    kpt_thr=None,  # None: calibrate keypoints/person to the labeled set's
    num_workers=2)  # data loader workers per process
