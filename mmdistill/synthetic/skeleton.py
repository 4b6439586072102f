"""COCO person-keypoint layout and a sampler of plausible 2D human poses.

Pure numpy. Coordinates are image pixels (x right, y down); a pixel's center has integer
coordinates, as in mmpose's codecs.

Left/right convention (COCO's): ``left_*`` is the *person's* left. A figure facing the camera
(``'front'``) therefore has its left side on the image right (larger x); a figure seen from behind
(``'back'``) has it on the image left. Only the view tells them apart: a front figure shows a face
(eyes, nose) and a V-neck, a back figure the back of its head and a plain torso.
"""
from dataclasses import dataclass, replace
from typing import Dict, Tuple

import numpy as np

KEYPOINT_NAMES: Tuple[str, ...] = (
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder',
    'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
    'right_knee', 'left_ankle', 'right_ankle')
NUM_KEYPOINTS = len(KEYPOINT_NAMES)
KPT = {name: i for i, name in enumerate(KEYPOINT_NAMES)}

# COCO's person skeleton, 1-based keypoint indices as in person_keypoints_*.json.
SKELETON: Tuple[Tuple[int, int], ...] = (
    (16, 14), (14, 12), (17, 15), (15, 13), (12, 13), (6, 12), (7, 13), (6, 7), (6, 8), (7, 9),
    (8, 10), (9, 11), (2, 3), (1, 2), (1, 3), (2, 4), (3, 5), (4, 6), (5, 7))

# 0-based (left, right) index pairs that swap under a horizontal flip.
FLIP_PAIRS: Tuple[Tuple[int, int], ...] = tuple(
    (KPT[name], KPT[name.replace('left_', 'right_')]) for name in KEYPOINT_NAMES
    if name.startswith('left_'))

FACE_KEYPOINTS: Tuple[int, ...] = (KPT['nose'], KPT['left_eye'], KPT['right_eye'])
FACINGS = ('front', 'back')

# Body proportions as fractions of the standing height (head top to ankles).
TORSO = 0.30  # hip center -> shoulder center
NECK = 0.12  # shoulder center -> head center
HEAD_RADIUS = 0.075
SHOULDER_HALF_WIDTH = 0.11
HIP_HALF_WIDTH = 0.075
UPPER_ARM, FOREARM = 0.16, 0.15
THIGH, SHIN = 0.24, 0.23


def person_category() -> Dict:
    """The COCO ``person`` category with keypoint names and the (1-based) skeleton."""
    return dict(
        id=1, name='person', supercategory='person', keypoints=list(KEYPOINT_NAMES),
        skeleton=[list(link) for link in SKELETON])


@dataclass(frozen=True)
class Figure:
    """One person: keypoints plus the extra geometry needed to draw it.

    Attributes:
        keypoints: (17, 2) float array in COCO order.
        head_center: (2,) center of the head disk.
        head_radius: radius of the head disk in pixels.
        height: standing height in pixels (scales limb widths when drawing).
        facing: ``'front'`` (faces the camera) or ``'back'``.
    """

    keypoints: np.ndarray
    head_center: np.ndarray
    head_radius: float
    height: float
    facing: str

    def translate(self, offset: np.ndarray) -> 'Figure':
        """Return the figure moved by ``offset`` (x, y)."""
        offset = np.asarray(offset, dtype=np.float64)
        return replace(
            self, keypoints=self.keypoints + offset, head_center=self.head_center + offset)

    def named(self) -> Dict[str, np.ndarray]:
        """Keypoints by COCO name."""
        return {name: self.keypoints[i] for name, i in KPT.items()}

    def extent(self, margin: float = 0.0) -> np.ndarray:
        """Bounding box ``[x0, y0, x1, y1]`` of keypoints and head, grown by ``margin`` px."""
        head = np.stack([self.head_center - self.head_radius, self.head_center + self.head_radius])
        points = np.concatenate([self.keypoints, head])
        return np.concatenate([points.min(0) - margin, points.max(0) + margin])


def unit(angle_deg: float) -> np.ndarray:
    """Image-space 'up' direction rotated clockwise by ``angle_deg`` (y points down)."""
    a = np.deg2rad(angle_deg)
    return np.array([np.sin(a), -np.cos(a)])


def right_of(up: np.ndarray) -> np.ndarray:
    """Unit vector pointing to the image right of a figure whose up direction is ``up``."""
    return np.array([-up[1], up[0]])


def swing(base: np.ndarray, toward: np.ndarray, angle_deg: float) -> np.ndarray:
    """Rotate unit vector ``base`` by ``angle_deg`` toward the orthogonal unit vector ``toward``."""
    a = np.deg2rad(angle_deg)
    return np.cos(a) * base + np.sin(a) * toward


def limb(rng: np.random.Generator, root: np.ndarray, down: np.ndarray, outward: np.ndarray,
         lengths: Tuple[float, float], spread: Tuple[float, float],
         max_bend: float) -> Tuple[np.ndarray, np.ndarray]:
    """Sample a two-segment limb hanging from ``root``.

    The first segment leaves ``root`` at an angle drawn from ``spread`` (degrees, 0 = along
    ``down``, positive = away from the body along ``outward``); the second bends by up to
    ``max_bend`` degrees to either side. Returns the middle joint and the end point.
    """
    first = swing(down, outward, rng.uniform(*spread))
    bend = rng.uniform(0.0, max_bend) * rng.choice([-1.0, 1.0])
    second = swing(first, right_of(first), bend)
    middle = root + lengths[0] * first
    return middle, middle + lengths[1] * second


def sample_figure(rng: np.random.Generator, height: float, facing: str,
                  max_lean: float = 15.0) -> Figure:
    """Sample a plausible standing/moving human pose with its hip center at the origin.

    Args:
        rng: random generator (the only source of randomness).
        height: standing height in pixels.
        facing: ``'front'`` or ``'back'`` (see the module docstring for left/right).
        max_lean: maximum torso lean from vertical, in degrees.
    """
    if facing not in FACINGS:
        raise ValueError(f'facing must be one of {FACINGS}, got {facing!r}')
    size = height * rng.uniform(0.92, 1.08, size=9)  # per-figure proportions
    lean = rng.uniform(-max_lean, max_lean)
    up = unit(lean)
    right = right_of(up)
    # The person's left side is on the image right when facing the camera.
    left = right if facing == 'front' else -right

    kpts = np.zeros((NUM_KEYPOINTS, 2))
    hip_center = np.zeros(2)
    shoulder_center = hip_center + TORSO * size[0] * up
    for side, sign in (('left', 1.0), ('right', -1.0)):
        outward = sign * left
        shoulder = shoulder_center + SHOULDER_HALF_WIDTH * size[1] * outward
        hip = hip_center + HIP_HALF_WIDTH * size[2] * outward
        elbow, wrist = limb(rng, shoulder, -up, outward, (UPPER_ARM * size[3], FOREARM * size[4]),
                            spread=(-25.0, 165.0), max_bend=140.0)
        leg_spread = (-10.0, 80.0) if rng.random() < 0.15 else (-10.0, 30.0)
        knee, ankle = limb(rng, hip, -up, outward, (THIGH * size[5], SHIN * size[6]),
                           spread=leg_spread, max_bend=90.0)
        for name, point in (('shoulder', shoulder), ('hip', hip), ('elbow', elbow),
                            ('wrist', wrist), ('knee', knee), ('ankle', ankle)):
            kpts[KPT[f'{side}_{name}']] = point

    head_up = unit(lean + rng.uniform(-20.0, 20.0))
    head_left = right_of(head_up) if facing == 'front' else -right_of(head_up)
    radius = HEAD_RADIUS * size[7]
    head_center = shoulder_center + NECK * size[8] * head_up
    yaw = rng.uniform(-0.25, 0.25) * radius * right_of(head_up)  # the face turns a little
    kpts[KPT['nose']] = head_center - 0.25 * radius * head_up + yaw
    for side, sign in (('left', 1.0), ('right', -1.0)):
        kpts[KPT[f'{side}_eye']] = (
            head_center + 0.4 * radius * sign * head_left + 0.15 * radius * head_up + yaw)
        kpts[KPT[f'{side}_ear']] = head_center + 0.95 * radius * sign * head_left
    return Figure(keypoints=kpts, head_center=head_center, head_radius=float(radius),
                  height=float(height), facing=facing)
