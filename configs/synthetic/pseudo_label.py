# Pseudo-labels on the synthetic unlabeled split (CPU): the synthetic teacher under its test-time
# views (tta_model / tta_pipeline of ./teacher.py; the COCO setting, configs/pseudo_label.py,
# uses 9 scales x flip). tools/pseudo_label.py runs it as an mmengine Runner.test: the test
# dataloader becomes the unlabeled images (UnlabeledImageDataset), the model tta_model around
# model, and PseudoLabelHook writes the file. Run:
#   python tools/pseudo_label.py configs/synthetic/pseudo_label.py TEACHER.pth --out pseudo.json
_base_ = ['./teacher.py', '../_base_/pseudo_label/synthetic.py']
