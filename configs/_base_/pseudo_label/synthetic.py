# What tools/pseudo_label.py reads for the synthetic unlabeled split (CPU); the command-line
# --unlabeled / --labeled / --score-thr / --kpt-thr override it. Shared by both families.
pseudo_label = dict(
    unlabeled='data/synthetic/annotations/unlabeled_images.json',  # image-info file or folder
    img_prefix='data/synthetic/images/',  # where an image-info file's file_name are
    labeled='data/synthetic/annotations/labeled.json',  # categories + calibration targets
    score_thr=None,  # None: calibrate persons/image to the labeled set's
    kpt_thr=None,  # None: calibrate keypoints/person to the labeled set's
    num_workers=0)  # data loader workers of the unlabeled images
