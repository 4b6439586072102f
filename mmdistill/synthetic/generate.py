"""Generation of the synthetic splits and their COCO keypoint files.

Every image is drawn from its own random generator seeded by ``(seed, split, index)``, so an image
does not depend on the order of generation or on the size of the other splits.

Layout of an output directory ``DIR``::

    DIR/images/{labeled,unlabeled,val}/000000.png   COCO file_name is '<split>/000000.png'
    DIR/annotations/labeled.json                    labeled training split
    DIR/annotations/val.json                        validation split
    DIR/annotations/unlabeled_gt.json               hidden truth of the unlabeled split
    DIR/annotations/unlabeled_images.json           unlabeled image list, no annotations
"""
import json
import os
import re
import zlib
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import cv2
import numpy as np

from .knobs import Knobs
from .render import (Painter, background, degrade, draw_clutter, draw_decoy, draw_figure,
                     draw_occluder)
from .scene import annotate, sample_figures
from .skeleton import person_category

GENERATOR_VERSION = '1.0'
SPLITS = ('labeled', 'unlabeled', 'val')
# Image ids are unique over the splits: <split number> * 10**6 + index + 1.
IMAGE_ID_BASE = {split: (i + 1) * 10**6 for i, split in enumerate(SPLITS)}
MAX_IMAGES_PER_SPLIT = 10**6 - 1
ANNOTATION_FILES = {
    'labeled': 'labeled.json',
    'val': 'val.json',
    'unlabeled': 'unlabeled_gt.json',
}
UNLABELED_IMAGES_FILE = 'unlabeled_images.json'
IMAGE_NAME = re.compile(r'\d{6}\.png')


def image_rng(seed: int, split: str, index: int) -> np.random.Generator:
    """The random generator of image ``index`` of ``split``."""
    return np.random.default_rng([seed, zlib.crc32(split.encode()), index])


def count(rng: np.random.Generator, bounds: Tuple[int, int]) -> int:
    """A random integer in the inclusive range ``bounds``."""
    return int(rng.integers(bounds[0], bounds[1] + 1))


def render_image(seed: int, split: str, index: int, knobs: Knobs) -> Tuple[np.ndarray, List[Dict]]:
    """Draw one image (BGR uint8) and return it with its COCO person annotations."""
    rng = image_rng(seed, split, index)
    width, height = count(rng, knobs.image_width), count(rng, knobs.image_height)
    image = background(rng, width, height)
    for _ in range(count(rng, knobs.distractors)):
        draw_clutter(Painter(image), rng, width, height)
    figure_heights = tuple(s * min(width, height) for s in knobs.person_scale)
    for _ in range(count(rng, knobs.decoys)):
        draw_decoy(Painter(image), rng, figure_heights, width, height)
    figures = sample_figures(rng, knobs, width, height)
    masks = []
    for figure in figures:
        painter = Painter(image)
        draw_figure(painter, figure, rng)
        masks.append(painter.mask)
    on_top = Painter(image)
    for _ in range(count(rng, knobs.occluders)):
        draw_occluder(on_top, rng, figures[rng.integers(len(figures))])
    image = degrade(rng, image, knobs.blur, knobs.noise)
    return image, annotate(figures, masks, on_top.mask, IMAGE_ID_BASE[split] + index + 1)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``."""
    tmp = path.with_name(f'.{path.name}.{os.getpid()}.tmp')
    tmp.write_bytes(data)
    os.replace(tmp, path)


def coco_file(info: Dict, images: List[Dict], annotations: List[Dict]) -> bytes:
    """Serialise a COCO keypoint file (compact, key order fixed, so bytes are reproducible)."""
    data = dict(info=info, images=images, annotations=annotations,
                categories=[person_category()])
    return json.dumps(data, separators=(',', ':')).encode()


def generate_split(out_dir: Path, split: str, num_images: int, seed: int, knobs: Knobs,
                   log: Optional[Callable[[str], None]] = None) -> Tuple[List[Dict], List[Dict]]:
    """Write the images of one split and return its COCO ``images`` and ``annotations``.

    Stale ``NNNNNN.png`` files of an earlier, larger run are removed from the split's folder.
    """
    if split not in SPLITS:
        raise ValueError(f'split must be one of {SPLITS}, got {split!r}')
    if not 0 <= num_images <= MAX_IMAGES_PER_SPLIT:
        raise ValueError(f'{split}: number of images must be in [0, {MAX_IMAGES_PER_SPLIT}]')
    image_dir = out_dir / 'images' / split
    image_dir.mkdir(parents=True, exist_ok=True)
    images, annotations = [], []
    for index in range(num_images):
        image, anns = render_image(seed, split, index, knobs)
        file_name = f'{split}/{index:06d}.png'
        ok, png = cv2.imencode('.png', image, [cv2.IMWRITE_PNG_COMPRESSION, 6])
        if not ok:
            raise RuntimeError(f'could not encode {file_name}')
        atomic_write(out_dir / 'images' / file_name, png.tobytes())
        images.append(dict(id=IMAGE_ID_BASE[split] + index + 1, file_name=file_name,
                           width=image.shape[1], height=image.shape[0]))
        annotations += anns
        if log and ((index + 1) % max(1, num_images // 10) == 0 or index + 1 == num_images):
            log(f'{split}: {index + 1}/{num_images} images')
    written = {Path(img['file_name']).name for img in images}
    for path in image_dir.iterdir():
        if IMAGE_NAME.fullmatch(path.name) and path.name not in written:
            path.unlink()
    return images, annotations


def split_stats(images: List[Dict], annotations: List[Dict]) -> Dict[str, float]:
    """Counts for the summary: images, persons, annotated and occluded keypoints per person."""
    vis = np.array([a['keypoints'][2::3] for a in annotations]).reshape(-1, 17)
    persons = len(annotations)
    return dict(
        images=len(images), persons=persons,
        persons_per_image=persons / max(1, len(images)),
        keypoints_per_person=float((vis > 0).sum()) / max(1, persons),
        occluded_per_person=float((vis == 1).sum()) / max(1, persons))


def dataset_is_current(out_dir: str, num_images: Dict[str, int], seed: int,
                       knobs: Knobs) -> bool:
    """Whether ``out_dir`` already holds what :func:`write_dataset` would write: every split's
    annotation file (and the unlabeled image list) made by this generator version with this
    seed and these knobs, with ``num_images`` images each, all present on disk.

    Image bytes are not compared: the same generator, seed and knobs give the same bytes.
    """
    root = Path(out_dir)
    files = [(split, ANNOTATION_FILES[split]) for split in SPLITS]
    files.append(('unlabeled', UNLABELED_IMAGES_FILE))
    expected_info = dict(generator_version=GENERATOR_VERSION, seed=seed, knobs=knobs.to_dict())
    for split, name in files:
        try:
            data = json.loads((root / 'annotations' / name).read_bytes())
            info, images = data['info'], data['images']
        except (OSError, ValueError, KeyError, TypeError):
            return False
        if any(info.get(key) != value for key, value in expected_info.items()):
            return False
        if info.get('split') != split or len(images) != num_images.get(split, 0):
            return False
        if not all((root / 'images' / img['file_name']).is_file() for img in images):
            return False
    return True


def write_dataset(out_dir: str, num_images: Dict[str, int], seed: int = 0,
                  knobs: Knobs = Knobs(),
                  log: Optional[Callable[[str], None]] = None) -> Dict[str, Dict[str, float]]:
    """Generate all splits under ``out_dir``; return per-split statistics.

    Args:
        out_dir: output directory (created if missing).
        num_images: number of images per split, keys from :data:`SPLITS`.
        seed: dataset seed.
        knobs: difficulty knobs.
        log: optional progress printer.
    """
    unknown = set(num_images) - set(SPLITS)
    if unknown:
        raise ValueError(f'unknown splits {sorted(unknown)}; expected {SPLITS}')
    root = Path(out_dir)
    (root / 'annotations').mkdir(parents=True, exist_ok=True)
    stats = {}
    for split in SPLITS:
        images, annotations = generate_split(
            root, split, num_images.get(split, 0), seed, knobs, log)
        info = dict(description='mmdistill synthetic COCO person keypoints',
                    generator_version=GENERATOR_VERSION, seed=seed, split=split,
                    knobs=knobs.to_dict())
        atomic_write(root / 'annotations' / ANNOTATION_FILES[split],
                     coco_file(info, images, annotations))
        if split == 'unlabeled':
            atomic_write(root / 'annotations' / UNLABELED_IMAGES_FILE,
                         coco_file(info, images, []))
        stats[split] = split_stats(images, annotations)
    return stats
