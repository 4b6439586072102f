# Pseudo-labels on the synthetic unlabeled split (CPU): the synthetic teacher under its test-time
# views (tta_model / tta_pipeline of ./teacher.py; the COCO setting, configs/pseudo_label.py,
# uses 9 scales x flip). tools/pseudo_label.py runs it as an mmengine Runner.test: the test
# dataloader becomes the unlabeled images (UnlabeledImageDataset), the model tta_model around
# model, and PseudoLabelHook writes the file. Run:
#   python tools/pseudo_label.py configs/synthetic/pseudo_label.py TEACHER.pth --out pseudo.json
_base_ = ['./teacher.py']

data_root = 'data/synthetic/'
# what tools/pseudo_label.py reads; --unlabeled / --labeled / --score-thr / --kpt-thr override
pseudo_label = dict(
    unlabeled=data_root + 'annotations/unlabeled_images.json',  # image-info file or folder
    img_prefix=data_root + 'images/',  # where an image-info file's file_name are
    labeled=data_root + 'annotations/labeled.json',  # categories + calibration targets
    score_thr=None,  # None: calibrate persons/image to the labeled set's
    kpt_thr=None,  # None: calibrate keypoints/person to the labeled set's
    num_workers=0)  # data loader workers of the unlabeled images
