"""Turn a test run over unlabeled images into a COCO pseudo-label file."""
import re
import time
from typing import Dict, List, Optional, Sequence

from mmengine.dist import barrier, get_dist_info
from mmengine.hooks import Hook
from mmengine.registry import HOOKS
from mmengine.structures import BaseDataElement

from mmdistill.labeling.shards import check_run, clear_shards
from .pseudo_label_writer import PseudoLabelWriter, choose_thresholds, write_pseudo_labels

# starts the summary line with the labeling speed; benchmarks read it with seconds_per_image()
SPEED_PREFIX = 'time per image (rank 0): '


def seconds_per_image(log_text: str) -> Optional[float]:
    """The labeling loop's seconds per image from a log with the hook's summary, else None."""
    match = re.search(re.escape(SPEED_PREFIX) + r'([\d.]+) s', log_text)
    return float(match[1]) if match else None


@HOOKS.register_module()
class PseudoLabelHook(Hook):
    """Streams each image's merged prediction to its rank's shard; rank 0 writes the file.

    Used with ``Runner.test`` over an
    :class:`~mmdistill.datasets.UnlabeledImageDataset` (``tools/pseudo_label.py`` sets it up).
    Model-agnostic: every output data sample needs the dataset's ``image_info`` and
    ``readable`` metainfo and, if readable, ``pred_instances`` with ``bboxes``, ``scores``,
    ``keypoints`` and ``keypoint_scores`` in the original image (a TTA model's merged
    prediction of any family). Before the loop rank 0 clears the shards (unless ``resume``)
    and records ``run``; after it, all ranks wait for each other, then rank 0 chooses the
    thresholds and writes ``out`` atomically (:mod:`.pseudo_label_writer`) and logs a summary.

    Args:
        out: The COCO pseudo-label file to write.
        categories: The labeled set's keypoint categories (written to the file).
        targets: The labeled set's statistics
            (:func:`~mmdistill.labeling.selection.labeled_statistics`): calibration targets,
            recorded in the file and compared in the summary.
        score_thr: Fixed person score threshold (``None``: calibrate).
        kpt_thr: Fixed keypoint score threshold (``None``: calibrate).
        resume: Keep the shards of an interrupted run (the dataset skips their images).
        shard_dir: Where the shards go; defaults to ``out + '.shards'``.
        run: What makes the shards (teacher hash, views, ...): recorded in ``shard_dir`` and the
            file's ``info``; resuming a different run is refused.
        info: More provenance for the file's ``info`` (teacher config, input files, ...).
    """

    def __init__(self,
                 out: str,
                 categories: List[Dict],
                 targets: Dict[str, float],
                 score_thr: Optional[float] = None,
                 kpt_thr: Optional[float] = None,
                 resume: bool = False,
                 shard_dir: Optional[str] = None,
                 run: Optional[Dict] = None,
                 info: Optional[Dict] = None) -> None:
        self.out = out
        self.categories = categories
        self.targets = targets
        self.score_thr = score_thr
        self.kpt_thr = kpt_thr
        self.resume = resume
        self.shard_dir = shard_dir or out + '.shards'
        self.run = run or {}
        self.info = info or {}
        self._writer: Optional[PseudoLabelWriter] = None
        self._unreadable = self._images = 0
        self._start = 0.0

    def before_test(self, runner) -> None:
        rank, world_size = get_dist_info()
        if rank == 0:
            if not self.resume:
                clear_shards(self.shard_dir)
            check_run(self.shard_dir, self.run)
        barrier()
        self._writer = PseudoLabelWriter(self.shard_dir, rank, world_size)
        self._start = time.time()

    def after_test_iter(self, runner, batch_idx: int, data_batch: Optional[dict] = None,
                        outputs: Optional[Sequence[BaseDataElement]] = None) -> None:
        for sample in outputs:
            readable = sample.metainfo['readable']
            self._writer.add(sample.metainfo['image_info'],
                             sample.pred_instances if readable else None)
            self._images += 1
            self._unreadable += not readable

    def after_test_epoch(self, runner, metrics: Optional[Dict[str, float]] = None) -> None:
        self._writer.close()
        loop_seconds = (time.time() - self._start) / max(self._images, 1)
        rank, world_size = get_dist_info()
        barrier()
        if rank != 0:
            return
        thresholds = choose_thresholds(self.shard_dir, self.targets, self.score_thr,
                                       self.kpt_thr)
        provenance = dict(self.info, labeled_statistics=self.targets, world_size=world_size,
                          **self.run)
        counts = write_pseudo_labels(self.shard_dir, self.out, self.categories, thresholds,
                                     provenance)['counts']
        person, keypoint = thresholds['person_score'], thresholds['keypoint_score']
        targets = self.targets
        runner.logger.info('\n  '.join([
            f'pseudo-labels written to {self.out}',
            f'images: {counts["images"]} ({counts["unreadable_images"]} unreadable and skipped; '
            f'rank 0 labeled {self._images} in this run, {self._unreadable} unreadable)',
            f'persons kept: {counts["persons"]} ({counts["persons_per_image"]:.2f} per readable '
            f'image; labeled set {targets["persons_per_image"]:.2f} non-crowd persons per image)',
            f'keypoints annotated: {counts["keypoints"]} ({counts["keypoints_per_image"]:.2f} per '
            f'image, {counts["keypoints_per_person"]:.2f} per kept person; labeled set '
            f'{targets["keypoints_per_image"]:.2f} and {targets["keypoints_per_person"]:.2f})',
            f'thresholds: person score {person["value"]:.4f} ({person["how"]}), keypoint score '
            f'{keypoint["value"]:.4f} ({keypoint["how"]})',
            f'{SPEED_PREFIX}{loop_seconds:.3f} s']))
