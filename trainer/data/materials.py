"""What each material looks like: a texture multiplier, sheen, flecks, translucency and softness.

One function per material returns a `Look`; render_garment applies it over the pattern and the shading.
Texture periods scale with the canvas (`unit` = width / 192) so a twill line is a twill line at any size.
Every random field comes from the material's swatch (`swatch`): one numpy Generator per material with a fixed
seed, so a material's grain, slubs and fuzz lie at the same places on every garment of a canvas size, as a fabric
texture would. Drawn from the render's seed (before session 10) no generator input said where they lay, L1
learnt their average (flat), and linen and wool read as each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from trainer.data.shading import normalise

DENIM_STITCH = (214, 150, 62)  # the orange-gold thread of jeans
SWATCH_SEED = 20261202  # with the material's index, seeds its swatch


@dataclass
class Context:
    """What a material may look at: the garment's pixels, distance to its edge and its shading."""

    h: int
    w: int
    sil: np.ndarray
    dist: np.ndarray
    shade: np.ndarray
    n_dot_h: np.ndarray  # surface normal . half-vector (shading.py): where light glints

    def specular(self, floor: float, power: float) -> np.ndarray:
        """0..1 highlight on surfaces tilted towards the light more than `floor` (n.h of flat cloth is ~0.95)."""
        return np.clip((self.n_dot_h - floor) / (1.0 - floor), 0.0, 1.0) ** power

    @property
    def unit(self) -> float:
        return self.w / 192.0

    def grid(self) -> tuple[np.ndarray, np.ndarray]:
        ys, xs = np.mgrid[0:self.h, 0:self.w].astype(np.float32)
        return xs, ys


@dataclass
class Look:
    texture: np.ndarray  # multiplier, mean 1 over the garment
    shade_gain: float = 1.0  # how strongly the shading shows (leather high, chiffon low)
    sheen: np.ndarray | None = None  # 0..1, blend towards white (specular light)
    flecks: list[tuple[np.ndarray, tuple[int, int, int]]] = field(default_factory=list)  # (coverage, colour)
    opacity: np.ndarray | None = None  # alpha multiplier inside the silhouette (None: opaque)
    blur: float = 0.0  # Gaussian sigma, pixels, over the painted colour (soft, flowing fabrics)
    edge_soft: float = 0.0  # Gaussian sigma, pixels, over the alpha edge (fuzzy fabrics)
    stitch_rgb: tuple[int, int, int] | None = None  # contrast topstitching; None: tone on tone
    params: dict = field(default_factory=dict)


def noise(rng: np.random.Generator, h: int, w: int, sigma: float = 0.0) -> np.ndarray:
    """Gaussian noise blurred by `sigma` pixels and rescaled to unit standard deviation."""
    n = rng.standard_normal((h, w), dtype=np.float32)
    if sigma > 0:
        n = cv2.GaussianBlur(n, (0, 0), sigma)
        n /= max(float(n.std()), 1e-6)
    return n


def _sparse(rng: np.random.Generator, h: int, w: int, share: float, strength: float) -> np.ndarray:
    return (rng.random((h, w), dtype=np.float32) < share).astype(np.float32) * strength


def cotton(c: Context, rng: np.random.Generator) -> Look:
    xs, ys = c.grid()
    weave = np.where((np.floor(xs / max(1.0, c.unit)) + np.floor(ys / max(1.0, c.unit))) % 2 == 0, 1.0, -1.0)
    return Look(1.0 + 0.02 * weave + 0.025 * noise(rng, c.h, c.w, 0.5))


def denim(c: Context, rng: np.random.Generator) -> Look:
    xs, ys = c.grid()
    period = max(2.6, 3.4 * c.unit)
    twill = np.sin(2 * math.pi * (xs + ys) / period)  # right-hand twill: lines rising to the right
    fade = noise(rng, c.h, c.w, 10 * c.unit)  # washed patches
    tex = 1.0 + 0.1 * twill + 0.03 * noise(rng, c.h, c.w, 0.6) + 0.05 * fade
    flecks = [(_sparse(rng, c.h, c.w, 0.02, 0.22), (235, 235, 240)), (_sparse(rng, c.h, c.w, 0.05, 0.25), (28, 38, 92))]
    return Look(tex, 1.1, flecks=flecks, stitch_rgb=DENIM_STITCH, params={"twill_period": round(period / c.w, 4)})


def knit(c: Context, rng: np.random.Generator) -> Look:
    xs, ys = c.grid()
    period = max(3.0, 4.2 * c.unit)
    ribs = np.sin(2 * math.pi * xs / period)
    rows = np.abs(np.sin(math.pi * (ys + 0.5 * np.abs(np.mod(xs, period) - period / 2)) / (0.8 * period)))
    tex = 1.0 + 0.1 * ribs + 0.04 * (rows - 0.64) + 0.03 * noise(rng, c.h, c.w, 0.7)
    return Look(tex, 0.9, blur=0.3, params={"rib_period": round(period / c.w, 4)})


def leather(c: Context, rng: np.random.Generator) -> Look:
    """Smooth grain, deep shading and a strong glint on every surface that turns towards the light."""
    grain = 1.0 + 0.018 * noise(rng, c.h, c.w, 1.2 * c.unit)
    glint = 0.8 * c.specular(0.955, 1.5) + 0.12 * c.specular(0.85, 2.0)
    return Look(grain, 1.5, sheen=np.clip(glint, 0.0, 0.8).astype(np.float32), blur=0.4)


def chiffon(c: Context, rng: np.random.Generator) -> Look:
    """Sheer: alpha 0.55..0.8, more opaque where folds double the cloth; soft and smooth."""
    tex = 1.0 + 0.02 * noise(rng, c.h, c.w, 2.0 * c.unit)
    layers = np.clip(0.62 + 2.0 * (1.0 - c.shade) + 0.03 * noise(rng, c.h, c.w, 3.0), 0.55, 0.8)
    layers = np.where(c.dist < 1.5 * c.unit, 0.8, layers)  # a rolled hem doubles the cloth at the edges
    return Look(tex, 0.6, opacity=layers.astype(np.float32), blur=0.8, params={"opacity_mean": round(
        float(layers[c.sil].mean()) if c.sil.any() else 0.0, 4)})


def silk(c: Context, rng: np.random.Generator) -> Look:
    """Smooth, with broad soft highlights: a wide glint plus a slow diagonal sheen across the cloth."""
    xs, ys = c.grid()
    angle = rng.uniform(-0.6, 0.6)
    period = rng.uniform(0.35, 0.6) * c.w
    s = xs * math.cos(angle) + ys * math.sin(angle)
    bands = (0.5 + 0.5 * np.sin(2 * math.pi * s / period + rng.uniform(0, 2 * math.pi))) ** 3
    sheen = 0.4 * c.specular(0.9, 1.2) + 0.14 * bands * np.clip(c.dist / (0.04 * c.w), 0, 1)
    return Look(1.0 + 0.01 * noise(rng, c.h, c.w, 1.0), 1.3, sheen=cv2.GaussianBlur(sheen, (0, 0), 1.5 * c.unit),
                blur=0.6, params={"sheen_angle": round(math.degrees(angle), 2), "sheen_period": round(period / c.w, 4)})


def linen(c: Context, rng: np.random.Generator) -> Look:
    """Slub: thick and thin threads, seen as irregular horizontal streaks."""
    runs = rng.standard_normal((c.h, max(2, c.w // 12)), dtype=np.float32)
    streaks = cv2.resize(runs, (c.w, c.h), interpolation=cv2.INTER_LINEAR)
    slubs = np.clip(streaks - 1.6, 0.0, None)  # the odd thick thread stands out
    xs, _ = c.grid()
    tex = 1.0 + 0.045 * streaks + 0.12 * slubs + 0.015 * np.sin(2 * math.pi * xs / max(2.0, 2.0 * c.unit))
    return Look(tex, 1.0, params={"slub_length": round(12.0 / c.w * c.unit, 4)})


def wool(c: Context, rng: np.random.Generator) -> Look:
    tex = 1.0 + 0.065 * noise(rng, c.h, c.w, 0.6) + 0.025 * noise(rng, c.h, c.w, 3.0 * c.unit)
    return Look(tex, 0.9, blur=0.35, edge_soft=0.9 * c.unit)


MATERIALS: dict[str, Callable[[Context, np.random.Generator], Look]] = {
    "cotton": cotton, "denim": denim, "leather": leather, "knit": knit, "chiffon": chiffon, "silk": silk,
    "linen": linen, "wool": wool,
}


def swatch(material: str) -> np.random.Generator:
    """The material's own random stream, the same on every call."""
    return np.random.default_rng([SWATCH_SEED, list(MATERIALS).index(material)])


def material_look(material: str, c: Context) -> Look:
    if material not in MATERIALS:
        raise ValueError(f"unknown material {material!r}; the materials are: {', '.join(MATERIALS)}")
    look = MATERIALS[material](c, swatch(material))
    look.texture = normalise(look.texture.astype(np.float32), c.sil)
    return look
