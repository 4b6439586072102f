_base_ = './base.py'
f = 32
model = dict(
    backbone=dict(base_channels=16),
    neck=dict(in_channels=[16, 32, 64, 128], out_channels=f),
    rpn_head=dict(in_channels=f, feat_channels=f),
    roi_head=dict(bbox_roi_extractor=dict(out_channels=f), bbox_head=dict(in_channels=f, fc_out_channels=128),
        keypoint_roi_extractor=dict(out_channels=f), keypoint_head=dict(in_channels=f, conv_out_channels=32)))
