"""Point a loaded config at another data root (used by the pipeline driver per seed)."""
from typing import Any


def retarget_data_root(node: Any, old_root: str, new_root: str) -> Any:
    """Return a copy of a config tree with the path prefix ``old_root`` replaced by ``new_root``.

    Every string that is ``old_root`` or starts with it (``data_root`` fields, evaluators'
    ``ann_file`` with the root joined in, pseudo-labeling inputs) moves to ``new_root``; other
    values are left untouched.
    """
    old, new = old_root.rstrip('/') + '/', new_root.rstrip('/') + '/'
    if isinstance(node, str):
        if node.rstrip('/') + '/' == old:
            return new
        return new + node[len(old):] if node.startswith(old) else node
    if isinstance(node, dict):
        return {key: retarget_data_root(value, old_root, new_root) for key, value in node.items()}
    if isinstance(node, (list, tuple)):
        return type(node)(retarget_data_root(item, old_root, new_root) for item in node)
    return node
