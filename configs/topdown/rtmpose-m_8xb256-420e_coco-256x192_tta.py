# The COCO RTMPose-m teacher with its test-time views (crop paddings x flip): SimCC's x and y
# vectors of every view mapped into the base crop, averaged and decoded once.
_base_ = ['./rtmpose-m_8xb256-420e_coco-256x192.py', './_base_/tta.py']
