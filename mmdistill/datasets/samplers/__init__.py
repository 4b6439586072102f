from .ratio_sampler import (RatioMultiSourceSampler, global_batch_indices, images_drawn_before,
                            source_quota_table)

__all__ = [
    'RatioMultiSourceSampler', 'global_batch_indices', 'images_drawn_before', 'source_quota_table'
]
