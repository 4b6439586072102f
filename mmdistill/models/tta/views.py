"""Test-time views (mmcv ``TestTimeAug``) of the detector TTA models: the Keypoint R-CNN
family's view pipelines, and the flips a view's metainfo may carry."""
from typing import List, Sequence

# what KeypointRCNNTTAModel reads from every view's metainfo
VIEW_META_KEYS = ('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
                  'flip_direction', 'flip_indices', 'scale')


def horizontal_flip(meta: dict) -> bool:
    """Whether the view of ``meta`` (its ``flip``, ``flip_direction``) is flipped; only
    horizontal flips can be undone (a ``ValueError`` names any other direction)."""
    if meta.get('flip') and meta.get('flip_direction') != 'horizontal':
        raise ValueError(f'only horizontal flips are supported, got {meta["flip_direction"]}')
    return bool(meta.get('flip'))


def keypoint_rcnn_views(scales: Sequence[int], flip: bool = True,
                        max_size: int = 2000) -> List[dict]:
    """A ``tta_pipeline``: every short side in ``scales`` (long side capped at ``max_size``),
    each without and, with ``flip``, with a horizontal flip."""
    flips = [dict(type='KeypointRandomFlip', prob=1.)] if flip else []
    return [
        dict(type='LoadImageFromFile'),
        dict(type='TestTimeAug', transforms=[
            [dict(type='KeypointResize', scale=(max_size, s), keep_ratio=True) for s in scales],
            flips + [dict(type='KeypointRandomFlip', prob=0.)],
            [dict(type='PackKeypointDetInputs', meta_keys=VIEW_META_KEYS)],
        ])
    ]
