_base_ = './base.py'
model = dict(train_cfg=dict(rpn_proposal=dict(max_per_img=100), rcnn=dict(sampler=dict(num=64))),
             test_cfg=dict(rpn=dict(max_per_img=100)))
