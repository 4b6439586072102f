# RTMPose-m (CSPNeXt-m + RTMCCHead, SimCC codec) teacher on COCO, straight from the mmpose model
# zoo: its backbone initialised from mmpose's CSPNeXt-m checkpoint as mmpose trains it, 420 epochs
# with EMA and a milder stage-2 pipeline for the last 30 (mmdet's PipelineSwitchHook).
# Evaluated as the zoo config does: CocoMetric on val2017 ground-truth boxes.
_base_ = ['mmpose::body_2d_keypoint/rtmpose/coco/rtmpose-m_8xb256-420e_coco-256x192.py']

custom_imports = dict(imports=['mmdistill'], allow_failed_imports=False)
