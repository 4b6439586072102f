"""Drawing of the synthetic scenes with OpenCV: background, clutter, figures, occluders.

Every drawing call also paints a binary mask, so the caller knows which pixels each object covers
(the source of occlusion flags, boxes and areas). Points are drawn with sub-pixel precision
(``shift``), so a keypoint is exactly the center of the joint drawn for it.
"""
from typing import Sequence, Tuple

import cv2
import numpy as np

from .skeleton import FACINGS, Figure, sample_figure

Color = Tuple[int, int, int]
SHIFT = 4  # cv2 fractional bits
SCALE = 1 << SHIFT

PARTS = ('torso', 'left_leg', 'right_leg', 'left_arm', 'right_arm', 'head')
# Widths as fractions of the figure's height.
ARM_WIDTH, LEG_WIDTH = 0.06, 0.08
ARM_JOINT, LEG_JOINT = 0.04, 0.05
TORSO_FLARE = 0.15  # the torso polygon reaches this share of the shoulder width past each joint


def _point(p: Sequence[float]) -> Tuple[int, int]:
    return int(round(p[0] * SCALE)), int(round(p[1] * SCALE))


class Painter:
    """Draws anti-aliased shapes on an image and the same shapes on a binary mask."""

    def __init__(self, image: np.ndarray) -> None:
        self.image = image
        self.mask = np.zeros(image.shape[:2], np.uint8)

    def line(self, p: Sequence[float], q: Sequence[float], color: Color, width: float) -> None:
        """A line segment with round caps, ``width`` px thick."""
        thickness = max(1, int(round(width)))
        for target, c, kind in ((self.image, color, cv2.LINE_AA), (self.mask, 255, cv2.LINE_8)):
            cv2.line(target, _point(p), _point(q), c, thickness, kind, SHIFT)

    def polyline(self, points: np.ndarray, color: Color, width: float) -> None:
        """An open polyline."""
        for p, q in zip(points[:-1], points[1:]):
            self.line(p, q, color, width)

    def circle(self, center: Sequence[float], radius: float, color: Color,
               width: int = -1) -> None:
        """A disk (``width=-1``) or a ring."""
        r = max(1, int(round(radius * SCALE)))
        for target, c, kind in ((self.image, color, cv2.LINE_AA), (self.mask, 255, cv2.LINE_8)):
            cv2.circle(target, _point(center), r, c, width, kind, SHIFT)

    def polygon(self, points: np.ndarray, color: Color) -> None:
        """A filled convex polygon."""
        pts = np.array([_point(p) for p in points], np.int32)
        for target, c, kind in ((self.image, color, cv2.LINE_AA), (self.mask, 255, cv2.LINE_8)):
            cv2.fillConvexPoly(target, pts, c, kind, SHIFT)

    def ellipse(self, center: Sequence[float], axes: Sequence[float], angle: float, color: Color,
                width: int = -1) -> None:
        """A filled (``width=-1``) or outlined rotated ellipse."""
        ax = (max(1, int(round(axes[0] * SCALE))), max(1, int(round(axes[1] * SCALE))))
        for target, c, kind in ((self.image, color, cv2.LINE_AA), (self.mask, 255, cv2.LINE_8)):
            cv2.ellipse(target, _point(center), ax, angle, 0, 360, c, width, kind, SHIFT)


def random_color(rng: np.random.Generator) -> Color:
    """A uniformly random BGR colour."""
    return tuple(int(c) for c in rng.integers(0, 256, size=3))


def shade(color: Color, factor: float) -> Color:
    """``color`` darkened (factor < 1) or brightened (factor > 1)."""
    return tuple(int(min(255, c * factor)) for c in color)


def background(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """A smooth random background: a two-colour gradient plus low-frequency texture."""
    angle = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:height, 0:width]
    ramp = xs * np.cos(angle) + ys * np.sin(angle)
    ramp = (ramp - ramp.min()) / max(np.ptp(ramp), 1e-6)
    c0, c1 = (np.array(random_color(rng), np.float32) for _ in range(2))
    image = c0 + ramp[..., None].astype(np.float32) * (c1 - c0)
    grid = rng.normal(0, 25, size=(int(rng.integers(3, 9)), int(rng.integers(3, 9)), 3))
    image += cv2.resize(grid.astype(np.float32), (width, height), interpolation=cv2.INTER_CUBIC)
    return np.clip(image, 0, 255).astype(np.uint8)


def draw_figure(painter: Painter, figure: Figure, rng: np.random.Generator,
                parts: Sequence[str] = PARTS) -> None:
    """Draw a mannequin-like person: thick limbs, ball joints at the keypoints, a face and a V-neck
    when it faces the camera (the back of the head and torso otherwise). Colours come from
    ``rng``."""
    shirt, trousers, skin, hair = (random_color(rng) for _ in range(4))
    h = figure.height
    k = figure.named()
    for part in parts:
        if part.endswith('_leg'):
            side = part[:-4]
            chain = [k[f'{side}_hip'], k[f'{side}_knee'], k[f'{side}_ankle']]
            painter.polyline(np.array(chain), trousers, LEG_WIDTH * h)
            for joint in chain:
                painter.circle(joint, LEG_JOINT * h, shade(trousers, 0.55))
        elif part == 'torso':
            draw_torso(painter, figure, shirt, skin)
        elif part.endswith('_arm'):
            side = part[:-4]
            chain = [k[f'{side}_shoulder'], k[f'{side}_elbow'], k[f'{side}_wrist']]
            painter.polyline(np.array(chain), shirt, ARM_WIDTH * h)
            for joint in chain[:2]:
                painter.circle(joint, ARM_JOINT * h, shade(shirt, 0.55))
            painter.circle(chain[2], ARM_JOINT * h, skin)  # the hand
        elif part == 'head':
            draw_head(painter, figure, skin, hair)
        else:
            raise ValueError(f'unknown figure part {part!r}; expected one of {PARTS}')


def draw_torso(painter: Painter, figure: Figure, shirt: Color, skin: Color) -> None:
    """The torso quad; a figure facing the camera also shows a V-neck, its back shows none."""
    k = figure.named()
    flare = (k['left_shoulder'] - k['right_shoulder']) * TORSO_FLARE
    painter.polygon(
        np.array([k['left_shoulder'] + flare, k['right_shoulder'] - flare,
                  k['right_hip'] - flare, k['left_hip'] + flare]), shirt)
    if figure.facing == 'front':
        neck = (k['left_shoulder'] + k['right_shoulder']) / 2
        belly = (k['left_hip'] + k['right_hip']) / 2
        painter.polygon(
            np.array([neck + 0.35 * (k['left_shoulder'] - neck), neck + 0.35 * (belly - neck),
                      neck + 0.35 * (k['right_shoulder'] - neck)]), skin)


def draw_head(painter: Painter, figure: Figure, skin: Color, hair: Color) -> None:
    """Neck, ears and head disk; eyes and nose only on a figure facing the camera."""
    k = figure.named()
    r = figure.head_radius
    neck = (k['left_shoulder'] + k['right_shoulder']) / 2
    painter.line(neck, figure.head_center, skin, 0.6 * r)
    for ear in ('left_ear', 'right_ear'):
        painter.circle(k[ear], 0.25 * r, shade(skin, 0.8))
    if figure.facing == 'back':
        painter.circle(figure.head_center, r, hair)
        return
    painter.circle(figure.head_center, r, skin)
    for eye in ('left_eye', 'right_eye'):
        painter.circle(k[eye], 0.16 * r, (20, 20, 20))
    painter.circle(k['nose'], 0.15 * r, shade(skin, 0.6))


def draw_clutter(painter: Painter, rng: np.random.Generator, width: int, height: int) -> None:
    """One random distractor: a line, a blob, an outline or a jointed stick."""
    size = min(width, height)
    kind = int(rng.integers(4))
    center = rng.uniform((0, 0), (width, height))
    color = random_color(rng)
    if kind == 0:
        painter.line(center, center + rng.uniform(-0.4, 0.4, 2) * size, color, rng.uniform(1, 5))
    elif kind == 1:
        painter.ellipse(center, rng.uniform(0.02, 0.12, 2) * size, rng.uniform(0, 180), color)
    elif kind == 2:
        painter.ellipse(center, rng.uniform(0.04, 0.2, 2) * size, rng.uniform(0, 180), color,
                        width=int(rng.integers(1, 4)))
    else:  # a stick with ball joints, like a lone limb
        steps = rng.uniform(-0.15, 0.15, size=(int(rng.integers(1, 4)), 2)) * size
        chain = center + np.concatenate([np.zeros((1, 2)), np.cumsum(steps, axis=0)])
        painter.polyline(chain, color, rng.uniform(0.01, 0.04) * size)
        for joint in chain:
            painter.circle(joint, rng.uniform(0.01, 0.03) * size, shade(color, 0.55))


def draw_decoy(painter: Painter, rng: np.random.Generator, height_range: Tuple[float, float],
               width: int, height: int) -> None:
    """An unannotated partial figure (one or two body parts) at a random place."""
    figure = sample_figure(rng, rng.uniform(*height_range), FACINGS[rng.integers(2)])
    figure = figure.translate(rng.uniform((0, 0), (width, height)))
    parts = rng.choice(PARTS, size=int(rng.integers(1, 3)), replace=False)
    draw_figure(painter, figure, rng, parts=[p for p in PARTS if p in parts])


def draw_occluder(painter: Painter, rng: np.random.Generator, figure: Figure) -> None:
    """A filled rectangle or ellipse over a random keypoint of ``figure``."""
    center = figure.keypoints[rng.integers(len(figure.keypoints))] + \
        rng.normal(0, 0.05 * figure.height, 2)
    half = rng.uniform(0.05, 0.15, 2) * figure.height
    color = random_color(rng)
    if rng.random() < 0.5:
        corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * half + center
        painter.polygon(corners, color)
    else:
        painter.ellipse(center, half, rng.uniform(0, 180), color)


def degrade(rng: np.random.Generator, image: np.ndarray, blur: float, noise: float) -> np.ndarray:
    """Blur with a random sigma in ``[0, blur]`` and add Gaussian noise of std ``noise``."""
    sigma = rng.uniform(0, blur) if blur > 0 else 0.0
    if sigma >= 0.1:
        image = cv2.GaussianBlur(image, (0, 0), sigma)
    if noise > 0:
        image = np.clip(image + rng.normal(0, noise, image.shape), 0, 255).astype(np.uint8)
    return image
