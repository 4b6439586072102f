# Ablation: fine-tune the student from the teacher checkpoint instead of re-training it from
# scratch (the paper found re-training better). tools/distill.py points load_from at its teacher;
# by hand: --cfg-options load_from=TEACHER.pth
_base_ = '../student.py'

load_from = 'work_dirs/distill_synthetic/seed0/teacher/iter_12800.pth'
