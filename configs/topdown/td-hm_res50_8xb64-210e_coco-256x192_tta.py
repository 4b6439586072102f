# The COCO SimpleBaseline teacher with its test-time views (crop paddings x flip).
_base_ = ['./td-hm_res50_8xb64-210e_coco-256x192.py', './_base_/tta.py']
