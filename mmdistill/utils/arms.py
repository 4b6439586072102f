"""The comparison arms of a student config, derived so that only their training data differ."""
import copy
from typing import Dict

# the hidden truth of the synthetic unlabeled split, relative to the data root
UNLABELED_TRUTH = 'annotations/unlabeled_gt.json'


def labeled_only_recipe(student: Dict) -> Dict:
    """The same-recipe control: the student's config (init, schedule, augmentation, batch,
    sampler) with its first source, the labeled images, as the only one."""
    cfg = copy.deepcopy(student)
    loader = cfg['train_dataloader']
    loader['dataset']['datasets'] = loader['dataset']['datasets'][:1]
    loader['sampler']['source_ratio'] = [1]
    cfg.update(pseudo_label_file=None, source_ratio=[1])
    return cfg


def truth_recipe(student: Dict, truth_file: str = UNLABELED_TRUTH) -> Dict:
    """The oracle: the student's config with the hidden truth in place of the pseudo-labels."""
    cfg = copy.deepcopy(student)
    cfg['train_dataloader']['dataset']['datasets'][1]['ann_file'] = truth_file
    cfg['pseudo_label_file'] = truth_file
    return cfg


def trains_like(teacher: Dict, control: Dict) -> bool:
    """Whether the same-recipe control would train as the teacher did: the same model,
    initialisation, optimizer, LR schedule, length, batch size and labeled dataset (with its
    pipeline). Samplers may differ: a one-source ratio sampler draws the shuffled labeled images
    as the teacher's sampler does. Then the teacher is the control; training it again would only
    re-roll the seed."""
    keys = ('model', 'load_from', 'optim_wrapper', 'param_scheduler')
    lengths = ('max_iters', 'max_epochs')
    teacher_loader, control_loader = teacher['train_dataloader'], control['train_dataloader']
    return (all(teacher.get(key) == control.get(key) for key in keys)
            and all(teacher['train_cfg'].get(key) == control['train_cfg'].get(key)
                    for key in lengths)
            and teacher_loader.get('batch_size') == control_loader.get('batch_size')
            and control_loader['dataset'].get('datasets') == [teacher_loader['dataset']])
