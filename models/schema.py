"""The garment taxonomy (TAXONOMY.md, schema version 1) as data, and the `Frame` every part exchanges.

This module imports no torch: the trainer, the exporter and the tests read it directly, and the
bundle writer copies `taxonomy()` into every manifest so the device reads the same data from there.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

SCHEMA_VERSION = 1

# sRGB targets of the generator; EN / ZH names are what a shopper may type.
PALETTE: dict[str, tuple[int, int, int]] = {
    "black": (20, 20, 20),
    "white": (245, 245, 245),
    "gray": (128, 128, 128),
    "beige": (220, 200, 165),
    "brown": (110, 70, 40),
    "khaki": (195, 176, 120),
    "olive": (110, 115, 45),
    "green": (40, 140, 60),
    "teal": (0, 128, 128),
    "navy": (25, 35, 90),
    "blue": (40, 90, 200),
    "light_blue": (150, 195, 235),
    "purple": (110, 50, 150),
    "lavender": (190, 170, 225),
    "pink": (240, 160, 190),
    "red": (200, 30, 40),
    "burgundy": (120, 20, 40),
    "orange": (240, 130, 30),
    "coral": (250, 125, 100),
    "yellow": (245, 215, 50),
    "mustard": (200, 160, 40),
    "cream": (250, 240, 215),
    "mint": (170, 230, 200),
    "gold": (212, 175, 55),
}

COLOR_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "black": {"en": ("black", "jet"), "zh": ("黑色",)},
    "white": {"en": ("white", "off-white"), "zh": ("白色",)},
    "gray": {"en": ("grey", "gray", "heather"), "zh": ("灰色",)},
    "beige": {"en": ("beige", "sand", "nude"), "zh": ("米色",)},
    "brown": {"en": ("brown", "chocolate", "coffee"), "zh": ("棕色", "咖啡色")},
    "khaki": {"en": ("khaki", "tan"), "zh": ("卡其色",)},
    "olive": {"en": ("olive", "army green"), "zh": ("橄榄绿", "军绿")},
    "green": {"en": ("green", "emerald", "forest"), "zh": ("绿色",)},
    "teal": {"en": ("teal", "petrol"), "zh": ("蓝绿色", "孔雀蓝")},
    "navy": {"en": ("navy", "midnight blue"), "zh": ("藏青", "藏蓝", "海军蓝")},
    "blue": {"en": ("blue", "royal blue", "cobalt"), "zh": ("蓝色",)},
    "light_blue": {"en": ("light blue", "sky blue", "baby blue"), "zh": ("浅蓝", "天蓝")},
    "purple": {"en": ("purple", "violet", "plum"), "zh": ("紫色",)},
    "lavender": {"en": ("lavender", "lilac"), "zh": ("淡紫", "薰衣草紫")},
    "pink": {"en": ("pink", "blush", "rose"), "zh": ("粉色",)},
    "red": {"en": ("red", "scarlet", "crimson"), "zh": ("红色",)},
    "burgundy": {"en": ("burgundy", "maroon", "wine"), "zh": ("酒红", "枣红")},
    "orange": {"en": ("orange", "tangerine"), "zh": ("橙色",)},
    "coral": {"en": ("coral", "salmon", "peach"), "zh": ("珊瑚色",)},
    "yellow": {"en": ("yellow", "lemon"), "zh": ("黄色",)},
    "mustard": {"en": ("mustard", "ochre"), "zh": ("芥末黄", "姜黄")},
    "cream": {"en": ("cream", "ivory"), "zh": ("奶油色", "米白")},
    "mint": {"en": ("mint", "pistachio"), "zh": ("薄荷绿",)},
    "gold": {"en": ("gold", "golden"), "zh": ("金色",)},
}

VALUES: dict[str, tuple[str, ...]] = {
    "intent": ("new", "modify", "undo", "reset"),
    "category": (
        "tshirt", "shirt", "polo", "blouse", "sweater", "hoodie", "jacket",
        "coat", "blazer", "dress", "skirt", "trousers", "shorts",
    ),
    "color": tuple(PALETTE),
    "secondary_color": tuple(PALETTE),
    "pattern": ("solid", "striped", "plaid", "polka_dot", "floral", "graphic", "color_block"),
    "material": ("cotton", "denim", "leather", "knit", "chiffon", "silk", "linen", "wool"),
    "sleeve": ("sleeveless", "short", "medium", "long"),
    "neckline": ("round", "v_neck", "square", "collared", "turtleneck", "off_shoulder"),
    "length": ("short", "knee", "midi", "long"),
    "fit": ("slim", "regular", "loose"),
    "size": ("xs", "s", "m", "l", "xl", "xxl"),
}

SLOTS: tuple[str, ...] = tuple(VALUES)  # the eleven keys, in TAXONOMY.md order


class FrameError(ValueError):
    """A frame with an unknown key or a value outside its slot's list."""


@dataclass(frozen=True)
class Frame:
    """One parsed utterance: every slot a value from its list, or None (not said). `intent` is never None."""

    intent: str = "new"
    category: str | None = None
    color: str | None = None
    secondary_color: str | None = None
    pattern: str | None = None
    material: str | None = None
    sleeve: str | None = None
    neckline: str | None = None
    length: str | None = None
    fit: str | None = None
    size: str | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None and f.name != "intent":
                continue
            if value not in VALUES[f.name]:
                raise FrameError(f"{f.name}={value!r} is not one of: {', '.join(VALUES[f.name])}")

    @classmethod
    def from_dict(cls, data: dict) -> Frame:
        unknown = sorted(set(data) - set(SLOTS))
        if unknown:
            raise FrameError(f"unknown frame keys {unknown}; the keys are: {', '.join(SLOTS)}")
        return cls(**{k: data.get(k, "new" if k == "intent" else None) for k in SLOTS})

    @classmethod
    def from_json(cls, text: str) -> Frame:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise FrameError(f"frame is not valid JSON ({err.msg} at character {err.pos})") from None
        if not isinstance(data, dict):
            raise FrameError("a frame is a JSON object with the keys: " + ", ".join(SLOTS))
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def said(self) -> dict[str, str]:
        """The slots the utterance set (intent included)."""
        return {k: v for k, v in self.to_dict().items() if v is not None}


def taxonomy() -> dict:
    """The taxonomy as plain JSON data, as every bundle manifest carries it."""
    return {
        "schema_version": SCHEMA_VERSION,
        "slots": list(SLOTS),
        "values": {k: list(v) for k, v in VALUES.items()},
        "palette": {k: list(rgb) for k, rgb in PALETTE.items()},
        "color_names": {k: {lang: list(n) for lang, n in names.items()} for k, names in COLOR_NAMES.items()},
    }


# ---- Garments: families, canonical sprite templates, defaults (issue: frame -> garment) -------------------------

SPRITE_SIZE = (128, 96)  # (height, width) of the generator's RGBA sprite; the renderer may draw larger, same aspect

GRAPHICS = ("star", "ring", "heart", "bolt", "triangle", "bars", "diamond")  # the renderer's graphic prints' motifs

# How the renderer lights a garment (trainer/data/shading.py), which the generator's FoldRelief repeats to place glints:
# the cloth is a height field that rounds off within RELIEF_RADIUS of its edge, folds sink into it by FOLD_DEPTH of
# that radius, it is smoothed by relief_blur pixels and lit from LIGHT (towards the light, unnormalised: the upper
# left, towards the viewer), seen straight on.
LIGHT = (-0.45, -0.55, 1.0)
RELIEF_RADIUS = 0.075  # of the canvas width
FOLD_DEPTH = 0.35  # of the relief radius, for a fold of depth 1


def relief_blur(width: int) -> float:
    """The Gaussian sigma (pixels) that smooths the height field of a canvas `width` pixels wide."""
    return 1.0 + width / 192


def half_vector() -> tuple[float, float, float]:
    """The Blinn half-vector between LIGHT and a viewer straight ahead (unit length): where glints face."""
    norm = sum(c * c for c in LIGHT) ** 0.5
    half = [c / norm + (1.0 if k == 2 else 0.0) for k, c in enumerate(LIGHT)]
    length = sum(c * c for c in half) ** 0.5
    return tuple(c / length for c in half)

# Each category is drawn on one family's canvas. A coat hangs below the hips, so it shares the dress's canvas.
CATEGORY_FAMILY: dict[str, str] = {
    "tshirt": "upper", "shirt": "upper", "polo": "upper", "blouse": "upper", "sweater": "upper", "hoodie": "upper",
    "jacket": "upper", "blazer": "upper", "coat": "full", "dress": "full",
    "skirt": "lower", "trousers": "lower", "shorts": "lower",
}
FAMILIES: tuple[str, ...] = ("upper", "lower", "full")

# Template keypoints per family, (x, y) as fractions of the canvas, front view; "left" is the wearer's left,
# which is the image's right, as MediaPipe names its landmarks. The fitter warps these onto the body's.
TEMPLATE_KEYPOINTS: dict[str, dict[str, tuple[float, float]]] = {
    "upper": {
        "neck": (0.50, 0.10), "right_shoulder": (0.23, 0.17), "left_shoulder": (0.77, 0.17),
        "right_elbow": (0.13, 0.45), "left_elbow": (0.87, 0.45), "right_wrist": (0.07, 0.73),
        "left_wrist": (0.93, 0.73), "right_hip": (0.32, 0.70), "left_hip": (0.68, 0.70), "hem": (0.50, 0.78),
    },
    "lower": {
        "right_hip": (0.31, 0.05), "left_hip": (0.69, 0.05), "right_knee": (0.33, 0.50), "left_knee": (0.67, 0.50),
        "right_ankle": (0.35, 0.93), "left_ankle": (0.65, 0.93), "hem": (0.50, 0.96),
    },
    "full": {
        "neck": (0.50, 0.04), "right_shoulder": (0.30, 0.075), "left_shoulder": (0.70, 0.075),
        "right_elbow": (0.21, 0.27), "left_elbow": (0.79, 0.27), "right_wrist": (0.15, 0.45),
        "left_wrist": (0.85, 0.45), "right_hip": (0.36, 0.47), "left_hip": (0.64, 0.47), "right_knee": (0.37, 0.71),
        "left_knee": (0.63, 0.71), "right_ankle": (0.38, 0.95), "left_ankle": (0.62, 0.95), "hem": (0.50, 0.97),
    },
}

# Which attributes a family's garment can show; an attribute outside its family is dropped, and said so.
APPLIES_TO: dict[str, tuple[str, ...]] = {
    "sleeve": ("upper", "full"),
    "neckline": ("upper", "full"),
    "length": ("lower", "full"),
}

# What a garment is when the frame leaves a slot null: the category's usual cut in plain white cotton.
GARMENT_DEFAULTS: dict[str, str] = {"category": "tshirt", "color": "white", "pattern": "solid", "material": "cotton",
                                    "fit": "regular"}
CATEGORY_DEFAULTS: dict[str, dict[str, str]] = {
    "tshirt": {"sleeve": "short", "neckline": "round"},
    "shirt": {"sleeve": "long", "neckline": "collared"},
    "polo": {"sleeve": "short", "neckline": "collared"},
    "blouse": {"sleeve": "long", "neckline": "v_neck", "material": "chiffon"},
    "sweater": {"sleeve": "long", "neckline": "round", "material": "knit"},
    "hoodie": {"sleeve": "long", "neckline": "round"},
    "jacket": {"sleeve": "long", "neckline": "collared", "material": "denim"},
    "blazer": {"sleeve": "long", "neckline": "v_neck", "material": "wool"},
    "coat": {"sleeve": "long", "neckline": "collared", "length": "knee", "material": "wool"},
    "dress": {"sleeve": "sleeveless", "neckline": "round", "length": "knee"},
    "skirt": {"length": "knee"},
    "trousers": {"length": "long"},
    "shorts": {"length": "short"},
}
GARMENT_SLOTS: tuple[str, ...] = ("category", "color", "secondary_color", "pattern", "material", "sleeve",
                                  "neckline", "length", "fit")  # what the generator draws; intent and size are not


def garment_templates() -> dict:
    """Families, sprite size, keypoints and defaults as plain JSON data, as the bundle's manifest carries them."""
    return {
        "sprite_size": list(SPRITE_SIZE),
        "category_family": dict(CATEGORY_FAMILY),
        "keypoints": {f: {k: list(xy) for k, xy in kps.items()} for f, kps in TEMPLATE_KEYPOINTS.items()},
        "applies_to": {k: list(v) for k, v in APPLIES_TO.items()},
        "defaults": dict(GARMENT_DEFAULTS),
        "category_defaults": CATEGORY_DEFAULTS,
        "garment_slots": list(GARMENT_SLOTS),
    }
