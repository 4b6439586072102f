# SimpleBaseline ResNet-50 heatmap teacher on COCO, straight from the mmpose model zoo
# (ImageNet-initialised backbone, as mmpose trains it).
_base_ = ['mmpose::body_2d_keypoint/topdown_heatmap/coco/td-hm_res50_8xb64-210e_coco-256x192.py']

custom_imports = dict(imports=['mmdistill'], allow_failed_imports=False)
