from .keypoint_det_visualizer import KeypointDetLocalVisualizer

__all__ = ['KeypointDetLocalVisualizer']
