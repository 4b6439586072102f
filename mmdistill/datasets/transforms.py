"""Keypoint-aware versions of mmdet's loading, resize, flip, affine and packing transforms.

mmdet 3.x transforms carry boxes, masks and segmentation maps but drop keypoints: its
``LoadAnnotations`` accepts ``with_keypoints`` yet never loads them, its ``Resize`` does not call
mmcv's ``_resize_keypoints``, its ``RandomFlip`` neither flips keypoints nor swaps left/right, and
``PackDetInputs`` does not pack them, and its ``RandomAffine`` moves boxes only. Each class below
adds just that to the mmdet transform.

Keypoints travel through the pipeline as ``results['gt_keypoints']`` (N, K, 3): continuous x, y
and visibility (mmcv's layout), and reach the model as ``gt_instances.keypoints`` (N, K, 2) and
``gt_instances.keypoints_visible`` (N, K, 1.0 where labeled). For multi-scale training use mmcv's
``RandomChoiceResize`` / ``RandomResize`` with ``resize_type='KeypointResize'``.
"""
import cv2
import numpy as np
from mmdet.datasets.transforms import (LoadAnnotations, PackDetInputs, RandomAffine, RandomFlip,
                                       Resize)
from mmdet.registry import TRANSFORMS
from mmdet.structures.bbox import autocast_box_type

from mmdistill.labeling import flip_keypoints, project_keypoints, warp_in_continuous_frame

# per-instance arrays that must stay aligned with gt_bboxes when instances are dropped
INSTANCE_KEYS = ('gt_bboxes', 'gt_bboxes_labels', 'gt_ignore_flags', 'gt_keypoints')


@TRANSFORMS.register_module()
class LoadKeypointAnnotations(LoadAnnotations):
    """mmdet's ``LoadAnnotations`` that also loads ``gt_keypoints`` (N, K, 3).

    Reads ``instances[i]['keypoints']``; ``results['num_keypoints']`` (set by
    :class:`CocoKeypointDetDataset`) gives the shape of an image without instances.
    """

    def __init__(self, with_keypoints: bool = True, **kwargs) -> None:
        super().__init__(with_keypoints=with_keypoints, **kwargs)

    def _load_kps(self, results: dict) -> None:
        keypoints = [instance['keypoints'] for instance in results['instances']]
        results['gt_keypoints'] = np.array(keypoints, np.float32).reshape(
            len(keypoints), results['num_keypoints'], 3)

    def transform(self, results: dict) -> dict:
        results = super().transform(results)
        if self.with_keypoints:
            self._load_kps(results)
        return results


@TRANSFORMS.register_module()
class KeypointResize(Resize):
    """mmdet's ``Resize`` that also scales ``gt_keypoints`` (mmcv's ``_resize_keypoints``)."""

    def transform(self, results: dict) -> dict:
        results = super().transform(results)
        self._resize_keypoints(results)
        return results


@TRANSFORMS.register_module()
class KeypointRandomFlip(RandomFlip):
    """mmdet's horizontal ``RandomFlip`` that also mirrors ``gt_keypoints`` and swaps left/right.

    The swap uses ``results['flip_indices']`` (set by :class:`CocoKeypointDetDataset` from the
    keypoint names). Only horizontal flips are supported: a vertical one would also need a
    top/bottom convention that keypoint datasets do not define.
    """

    def __init__(self, prob: float, direction: str = 'horizontal') -> None:
        if direction != 'horizontal':
            raise ValueError(
                f'KeypointRandomFlip supports only horizontal flips, got {direction!r}')
        super().__init__(prob=prob, direction=direction)

    def _flip(self, results: dict) -> None:
        super()._flip(results)
        if results.get('gt_keypoints') is not None:
            results['gt_keypoints'] = flip_keypoints(
                results['gt_keypoints'], results['img'].shape[1], results['flip_indices'])


@TRANSFORMS.register_module()
class KeypointRandomAffine(RandomAffine):
    """mmdet's ``RandomAffine`` (rotation, scaling, shear, translation) that also moves
    ``gt_keypoints``, and turns the image about its centre.

    mmdet rotates, scales and shears about the top-left corner (its matrix is made for Mosaic's
    enlarged canvas): a 20 degree turn of a 240 x 160 image moves its centre by 50 px, a third
    of the height. Here those act about the image centre and the translation is the only shift.
    Boxes and keypoints follow the pixels exactly: they are warped in the continuous frame
    (:func:`~mmdistill.labeling.warp_in_continuous_frame`; mmdet projects boxes with OpenCV's
    matrix ``A``, off by ``(I - A) (0.5, 0.5)``: a fraction of a pixel under a small turn, a
    whole one under a quarter turn). A box becomes the enclosing box of its warped corners (so
    it grows under rotation: a 1 : 2 box turned by 10 degrees by 1.4x in area), clipped to the
    image, and is dropped with its keypoints once it leaves the image, as in mmdet; a keypoint
    that leaves the image becomes unlabeled. Masks are not supported. Arguments are mmdet's.
    """

    def _get_random_homography_matrix(self, height: int, width: int) -> np.ndarray:
        """mmdet's random matrix with its rotation, scaling and shear about the image centre."""
        centre = self._get_translation_matrix((width - 1) / 2, (height - 1) / 2)  # OpenCV frame
        return centre @ super()._get_random_homography_matrix(height, width) @ np.linalg.inv(
            centre)

    @autocast_box_type()
    def transform(self, results: dict) -> dict:
        if 'gt_masks' in results:
            raise NotImplementedError('KeypointRandomAffine moves boxes and keypoints, not masks')
        img = results['img']
        height = img.shape[0] + self.border[1] * 2
        width = img.shape[1] + self.border[0] * 2
        warp = self._get_random_homography_matrix(height, width)
        results['img'] = cv2.warpPerspective(
            img, warp, dsize=(width, height), borderValue=self.border_val)
        results['img_shape'] = results['img'].shape[:2]

        matrix = warp_in_continuous_frame(warp)
        if results.get('gt_keypoints') is not None:
            results['gt_keypoints'] = project_keypoints(
                results['gt_keypoints'], matrix, (height, width))
        bboxes = results.get('gt_bboxes')
        if bboxes is not None and len(bboxes):
            bboxes.project_(matrix)
            if self.bbox_clip_border:
                bboxes.clip_([height, width])
            keep = bboxes.is_inside([height, width]).numpy()
            for key in INSTANCE_KEYS:
                if key in results:
                    results[key] = results[key][keep]
        return results


@TRANSFORMS.register_module()
class PackKeypointDetInputs(PackDetInputs):
    """mmdet's ``PackDetInputs`` that also packs ``gt_keypoints`` into the instances.

    Ignored (crowd) instances keep their keypoints in ``ignored_instances`` as the boxes do.
    """

    mapping_table = {
        **PackDetInputs.mapping_table,
        'gt_keypoints_xy': 'keypoints',
        'gt_keypoints_visible': 'keypoints_visible',
    }

    def transform(self, results: dict) -> dict:
        if 'gt_keypoints' in results:
            keypoints = results['gt_keypoints']
            results = {
                **results,
                'gt_keypoints_xy': keypoints[..., :2],
                'gt_keypoints_visible': (keypoints[..., 2] > 0).astype(np.float32),
            }
        return super().transform(results)
