# The synthetic CPU top-down model with its test-time views (crop paddings x flip).
_base_ = ['../synthetic/td-hm_res18_synthetic-96x96.py', './_base_/tta.py']

custom_imports = dict(imports=['mmdistill'], allow_failed_imports=False)
