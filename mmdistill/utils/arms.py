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
