# Same-recipe control of the COCO RTMPose-m student: its recipe on the labeled persons alone
# (mmdistill.utils.arms.labeled_only_recipe derives the same config from any student).
_base_ = './rtmpose-m_8xb256-420e_coco-256x192_student.py'

pseudo_label_file = None
source_ratio = [1]
train_dataloader = dict(
    sampler=dict(source_ratio=source_ratio),
    dataset=dict(datasets=[_base_.train_dataloader.dataset.datasets[0]]))
