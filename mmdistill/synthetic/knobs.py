"""Difficulty knobs of the synthetic keypoint dataset and their presets."""
import re
from dataclasses import asdict, dataclass, fields, replace
from typing import Dict, Iterable, Tuple, Union

Range = Tuple[float, float]


@dataclass(frozen=True)
class Knobs:
    """Everything that shapes a synthetic image. Ranges are inclusive ``(min, max)``.

    Attributes:
        image_width: image width range in pixels.
        image_height: image height range in pixels.
        persons: range of annotated persons per image.
        person_scale: figure height as a fraction of the image's shorter side.
        p_back: probability that a figure faces away from the camera.
        max_lean: maximum torso lean from vertical, in degrees.
        truncation: probability that a figure is placed partly outside the image.
        occluders: range of occluding shapes drawn over the figures.
        distractors: range of clutter shapes (lines, blobs, sticks) drawn behind the figures.
        decoys: range of unannotated partial figures (a limb, a head) drawn behind the figures.
        noise: standard deviation of the Gaussian pixel noise (0-255 scale).
        blur: maximum Gaussian blur sigma in pixels.
    """

    image_width: Range = (192, 288)
    image_height: Range = (192, 288)
    persons: Range = (1, 3)
    person_scale: Range = (0.45, 0.8)
    p_back: float = 0.15
    max_lean: float = 15.0
    truncation: float = 0.15
    occluders: Range = (0, 1)
    distractors: Range = (2, 6)
    decoys: Range = (0, 1)
    noise: float = 5.0
    blur: float = 0.6

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            values = value if isinstance(value, tuple) else (value, )
            if any(v < 0 for v in values):
                raise ValueError(f'knob {f.name} must be >= 0, got {value}')
            if isinstance(value, tuple) and (len(value) != 2 or value[0] > value[1]):
                raise ValueError(f'knob {f.name} must be a (min, max) range, got {value}')
        if not 1 <= self.persons[0] <= self.persons[1] <= 99:
            raise ValueError(f'knob persons must lie in [1, 99], got {self.persons}')
        if min(self.image_width + self.image_height) < 32:
            raise ValueError('knobs image_width/image_height must be >= 32 px')
        if not (0 < self.person_scale[0] and self.person_scale[1] <= 1.5):
            raise ValueError(f'knob person_scale must lie in (0, 1.5], got {self.person_scale}')
        if self.p_back > 1 or self.truncation > 1:
            raise ValueError('knobs p_back and truncation are probabilities (<= 1)')

    def to_dict(self) -> Dict[str, Union[float, list]]:
        """JSON-friendly view (ranges become lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


PRESETS: Dict[str, Knobs] = {
    'easy': Knobs(persons=(1, 2), person_scale=(0.55, 0.85), p_back=0.0, max_lean=10.0,
                  truncation=0.0, occluders=(0, 0), distractors=(0, 3), decoys=(0, 0), noise=2.0,
                  blur=0.0),
    'medium': Knobs(),
    'hard': Knobs(persons=(1, 4), person_scale=(0.35, 0.75), p_back=0.5, max_lean=25.0,
                  truncation=0.3, occluders=(0, 2), distractors=(4, 10), decoys=(1, 2),
                  noise=10.0, blur=1.2),
}


def parse_value(name: str, text: str) -> Union[float, Range]:
    """Parse ``text`` for knob ``name``: a number, or ``MIN,MAX`` / ``MIN-MAX`` for ranges.

    Knobs whose default is an integer (counts, pixel sizes) only accept integers.
    """
    default = getattr(Knobs(), name)
    is_range = isinstance(default, tuple)
    match = re.fullmatch(r'\s*([0-9.]+)\s*(?:[-,]\s*([0-9.]+)\s*)?', text)
    if match is None or (match.group(2) is not None and not is_range):
        expected = 'N or MIN,MAX' if is_range else 'a non-negative number'
        raise ValueError(f'knob {name}: expected {expected}, got {text!r}')
    cast = int if isinstance(default[0] if is_range else default, int) else float
    try:
        numbers = [cast(g) for g in match.groups() if g is not None]
    except ValueError:
        raise ValueError(f'knob {name}: expected {cast.__name__} values, got {text!r}') from None
    if not is_range:
        return numbers[0]
    return (numbers[0], numbers[-1])


def make_knobs(difficulty: str = 'medium', overrides: Iterable[str] = ()) -> Knobs:
    """Start from a preset and apply ``KEY=VALUE`` overrides (see :func:`parse_value`)."""
    if difficulty not in PRESETS:
        raise ValueError(f'difficulty must be one of {sorted(PRESETS)}, got {difficulty!r}')
    names = {f.name for f in fields(Knobs)}
    changes = {}
    for item in overrides:
        key, sep, value = item.partition('=')
        if not sep or key not in names:
            raise ValueError(f'bad knob {item!r}: expected KEY=VALUE with KEY in {sorted(names)}')
        changes[key] = parse_value(key, value)
    return replace(PRESETS[difficulty], **changes)
