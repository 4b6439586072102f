"""Look at a pseudo-label file: a PNG grid of images with their pseudo-labels, and histograms of
the person and keypoint scores with the chosen thresholds.

    python tools/visualize_pseudo_labels.py pseudo.json --img-prefix data/synthetic/images/ \
        --out-dir vis/ [--num 16] [--seed 0]

The histograms use every candidate in ``pseudo.json.shards/`` when it is there (what the
thresholds cut), else the kept persons of the file.
"""
import argparse
import json
import os
import os.path as osp
import random

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from mmdistill.labeling.pseudo_label_file import validate_pseudo_labels  # noqa: E402
from mmdistill.labeling.shards import iter_merged  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Visualise a pseudo-label file')
    parser.add_argument('pseudo_labels', help='pseudo-label COCO JSON file')
    parser.add_argument('--img-prefix', default='', help='folder the file_name are relative to')
    parser.add_argument('--out-dir', default='vis_pseudo_labels', help='where the PNGs go')
    parser.add_argument('--num', type=int, default=16, help='images in the grid')
    parser.add_argument('--seed', type=int, default=0, help='which images are drawn')
    return parser.parse_args()


def draw_grid(data: dict, img_prefix: str, num: int, seed: int, path: str) -> None:
    """Random images with kept persons: boxes, annotated keypoints and the skeleton."""
    by_image = {}
    for ann in data['annotations']:
        by_image.setdefault(ann['image_id'], []).append(ann)
    images = [img for img in data['images'] if img['id'] in by_image]
    images = random.Random(seed).sample(images, min(num, len(images)))
    skeleton = data['categories'][0].get('skeleton', [])
    cols = max(1, int(np.ceil(np.sqrt(len(images)))))
    rows = max(1, int(np.ceil(len(images) / cols)))
    fig, axes = plt.subplots(rows, cols, figsize=(3 * cols, 3 * rows), squeeze=False)
    for ax in axes.ravel():
        ax.axis('off')
    for ax, img in zip(axes.ravel(), images):
        ax.imshow(Image.open(osp.join(img_prefix, img['file_name'])).convert('RGB'))
        for ann in by_image[img['id']]:
            x, y, w, h = ann['bbox']
            ax.add_patch(plt.Rectangle((x, y), w, h, fill=False, color='lime', lw=1))
            ax.text(x, y, f'{ann["score"]:.2f}', color='lime', fontsize=6, va='bottom')
            kpts = np.asarray(ann['keypoints'], float).reshape(-1, 3)
            for a, b in skeleton:  # 1-based, COCO
                if kpts[a - 1, 2] > 0 and kpts[b - 1, 2] > 0:
                    ax.plot(kpts[[a - 1, b - 1], 0], kpts[[a - 1, b - 1], 1], c='cyan', lw=0.8)
            shown = kpts[kpts[:, 2] > 0]
            ax.scatter(shown[:, 0], shown[:, 1], s=4, c='red')
        ax.set_title(f'{img["file_name"]}', fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def draw_histograms(data: dict, shard_dir: str, path: str) -> None:
    """Person and keypoint score histograms with the thresholds of ``info``."""
    if osp.isdir(shard_dir):
        persons = [p for r in iter_merged(shard_dir) for p in r['persons']]
        source = 'all candidates (shards)'
    else:
        persons = data['annotations']
        source = 'kept persons (file)'
    thresholds = data['info'].get('thresholds', {})
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    for ax, key, values in (
            (axes[0], 'person_score', [p['score'] for p in persons]),
            (axes[1], 'keypoint_score', [s for p in persons for s in p['keypoint_scores']])):
        ax.hist(values, bins=50, range=(0, 1), color='steelblue')
        if key in thresholds:
            chosen = thresholds[key]
            ax.axvline(chosen['value'], color='red',
                       label=f'threshold {chosen["value"]:.3f} ({chosen["how"]})')
            ax.legend(fontsize=8)
        ax.set_title(f'{key.replace("_", " ")}: {source}', fontsize=9)
        ax.set_xlabel('score')
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    args = parse_args()
    with open(args.pseudo_labels) as f:
        data = json.load(f)
    validate_pseudo_labels(data, args.pseudo_labels)
    os.makedirs(args.out_dir, exist_ok=True)
    grid, hist = osp.join(args.out_dir, 'grid.png'), osp.join(args.out_dir, 'scores.png')
    draw_grid(data, args.img_prefix, args.num, args.seed, grid)
    draw_histograms(data, args.pseudo_labels + '.shards', hist)
    print(f'wrote {grid} and {hist}')


if __name__ == '__main__':
    main()
