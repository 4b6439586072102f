"""Pure, framework-free functions (numpy/torch in, numpy/torch out)."""
from .keypoints import (COCO_PIXEL_OFFSET, coco_to_keypoints, flip_indices_from_names,
                        flip_keypoints, heatmap_probs, heatmaps_to_keypoints,
                        keypoints_to_coco, keypoints_to_heatmap_targets, project_keypoints,
                        warp_in_continuous_frame)
from .topdown import CropFrame, average_warped, warp_heatmaps, warp_vectors

__all__ = [
    'COCO_PIXEL_OFFSET', 'coco_to_keypoints', 'flip_indices_from_names', 'flip_keypoints',
    'heatmap_probs', 'heatmaps_to_keypoints', 'keypoints_to_coco', 'keypoints_to_heatmap_targets',
    'project_keypoints', 'warp_in_continuous_frame',
    'CropFrame', 'average_warped', 'warp_heatmaps', 'warp_vectors'
]
