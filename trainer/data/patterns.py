"""Print patterns: where the secondary colour lies over the primary, as an anti-aliased coverage in [0, 1].

Each pattern is `fn(layout, rnd) -> (coverage, params)`; `pattern_rgb` mixes the two palette colours with it.
Sizes in params are fractions of the canvas width (so they mean the same at any output size), angles in degrees.
Edges are anti-aliased analytically (distance to the edge, clipped to one pixel) or by drawing at 2x.

Prints also describe where they lie as plane waves (params "waves", see `wave`): stripes are one wave; plaid, polka
dots and the flowers' grid are two; a colour block's line is where one very long wave falls through
zero, a graphic where two cross. The generator draws with them in training and learns to predict them
(models.renderer_parts.GeometryWaves): pixels alone only tell it that a stripe drawn half a period off is wrong.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from models.schema import GRAPHICS


@dataclass
class Layout:
    """Where a garment lies on the output canvas (pixels): what patterns need to place themselves."""

    h: int
    w: int
    family: str
    cx: float
    top: float  # first row of the garment
    hem: float  # last row
    print_at: tuple[float, float]  # centre of a chest (or front) print
    print_size: float  # its largest sensible size
    sleeves: np.ndarray  # float coverage of the sleeves

    def grid(self) -> tuple[np.ndarray, np.ndarray]:
        ys, xs = np.mgrid[0:self.h, 0:self.w].astype(np.float32)
        return xs + 0.5, ys + 0.5


def _edge(signed_distance: np.ndarray) -> np.ndarray:
    """Coverage from a signed distance in pixels (positive inside), one pixel of anti-aliasing."""
    return np.clip(signed_distance + 0.5, 0.0, 1.0)


def _bands(s: np.ndarray, period: float, width: float, offset: float = 0.0) -> np.ndarray:
    """Coverage of bands `width` px wide repeating every `period` px along coordinate s."""
    t = np.abs(np.mod(s - offset, period) - period / 2)  # distance from the nearest band centre
    return _edge(width / 2 - t)


def wave(lay: Layout, f_px: tuple[float, float], phase: float, threshold: float) -> dict:
    """The plane wave cos(2 pi f.p + phase) over pixel coordinates p (Layout.grid), as the generator predicts it.

    f comes back in cycles per canvas height (the phase is at the canvas corner), so both mean the same at any output
    size; its sign is fixed (fy > 0, or fy = 0 and fx > 0), as f and -f with the phase negated are the same wave.
    `threshold`: the print covers where the wave is above it (cos(pi * duty) for a band).
    """
    fx, fy = f_px
    if fy < -1e-9 or (abs(fy) <= 1e-9 and fx < 0):
        fx, fy, phase = -fx, -fy, -phase
    phase = math.remainder(phase, 2 * math.pi)
    return {"f": [round(fx * lay.h, 4), round(fy * lay.h, 4) + 0.0], "phase": round(phase, 4),
            "threshold": round(threshold, 4)}


def solid(lay: Layout, rnd: random.Random) -> tuple[np.ndarray, dict]:
    return np.zeros((lay.h, lay.w), np.float32), {}


def striped(lay: Layout, rnd: random.Random) -> tuple[np.ndarray, dict]:
    direction = rnd.choice(["horizontal", "vertical", "diagonal"])
    tilt = rnd.choice([-1, 1]) * rnd.uniform(30, 60)  # drawn for every direction: each later draw has one meaning
    angle = {"horizontal": 0.0, "vertical": 90.0}.get(direction, tilt)
    width = rnd.uniform(0.018, 0.075)
    duty = rnd.uniform(0.3, 0.6)  # share of each period in the secondary colour
    period = width * lay.w / duty
    xs, ys = lay.grid()
    th = math.radians(angle)
    s = -xs * math.sin(th) + ys * math.cos(th)
    offset = rnd.uniform(0, period)
    cov = _bands(s, period, width * lay.w, offset)
    band = wave(lay, (-math.sin(th) / period, math.cos(th) / period), -2 * math.pi * (offset / period + 0.5),
                math.cos(math.pi * duty))
    return cov, {"direction": direction, "angle": round(angle, 2), "stripe_width": round(width, 4),
                 "stripe_period": round(width / duty, 4), "waves": [band]}


def plaid(lay: Layout, rnd: random.Random) -> tuple[np.ndarray, dict]:
    xs, ys = lay.grid()
    period = rnd.uniform(0.12, 0.26) * lay.w
    band = rnd.uniform(0.25, 0.45) * period
    line = max(1.0, rnd.uniform(0.02, 0.05) * lay.w / 4)
    ox, oy = rnd.uniform(0, period), rnd.uniform(0, period)
    horiz, vert = _bands(ys, period, band, oy), _bands(xs, period, band, ox)
    fine = np.maximum(_bands(ys, period, line, oy + period / 2), _bands(xs, period, line, ox + period / 2))
    cov = np.clip(0.5 * horiz + 0.5 * vert + 0.8 * fine, 0.0, 1.0)  # single bands half-tone, crossings full
    duty = math.cos(math.pi * band / period)
    waves = [wave(lay, (0.0, 1 / period), -2 * math.pi * (oy / period + 0.5), duty),
             wave(lay, (1 / period, 0.0), -2 * math.pi * (ox / period + 0.5), duty)]
    return cov, {"check": round(period / lay.w, 4), "band": round(band / lay.w, 4), "line": round(line / lay.w, 4),
                 "waves": waves}


def polka_dot(lay: Layout, rnd: random.Random) -> tuple[np.ndarray, dict]:
    spacing = rnd.uniform(0.05, 0.13) * lay.w
    radius = rnd.uniform(0.14, 0.32) * spacing
    staggered = rnd.random() < 0.7
    xs, ys = lay.grid()
    ox, oy = rnd.uniform(0, spacing), rnd.uniform(0, spacing)
    best = np.full(xs.shape, np.inf, np.float32)
    row = np.floor((ys - oy) / spacing)
    for dr in (0.0, 1.0):  # the nearest dot lies in this row or the next
        r = row + dr
        shift = np.where(np.mod(r, 2) == 1, spacing / 2, 0.0) if staggered else 0.0
        cx = np.round((xs - ox - shift) / spacing) * spacing + ox + shift
        cy = r * spacing + oy
        best = np.minimum(best, np.hypot(xs - cx, ys - cy))
    waves = _lattice(lay, spacing, (ox, oy), staggered, math.cos(2 * math.pi * radius / spacing))
    return _edge(radius - best), {"spacing": round(spacing / lay.w, 4), "radius": round(radius / lay.w, 4),
                                  "staggered": staggered, "waves": waves}


def _lattice(lay: Layout, spacing: float, origin: tuple[float, float], staggered: bool, threshold: float) -> list[dict]:
    """The two waves of a dot lattice's reciprocal lattice: their crests cross on every site
    origin + i (spacing, 0) + r (spacing / 2 if staggered else 0, spacing)."""
    across = (1 / spacing, -0.5 / spacing if staggered else 0.0)
    down = (0.0, 1 / spacing)
    return [wave(lay, f, -2 * math.pi * (f[0] * origin[0] + f[1] * origin[1]), threshold) for f in (across, down)]


def floral(lay: Layout, rnd: random.Random) -> tuple[np.ndarray, dict]:
    """Six-petalled flowers on a staggered grid, all alike; the centres come back as "_accent" coverage.

    Every flower sits on its grid site at one size and angle, so the print is a fixed function of the grid's waves:
    jittered from the render's seed (as before session 10), the flowers were a place no generator input names, and
    L1 drew their average, a haze the classifier read as a colour block or dots (10 of 32 right)."""
    spacing = rnd.uniform(0.11, 0.2) * lay.w
    size = rnd.uniform(0.22, 0.34) * spacing
    ss = 2
    petals = np.zeros((lay.h * ss, lay.w * ss), np.uint8)
    centres = np.zeros_like(petals)
    count = 0
    for gy in np.arange(-1, lay.h / spacing + 1):
        for gx in np.arange(-1, lay.w / spacing + 1):
            x = (gx + 0.5 + (0.5 if int(gy) % 2 else 0)) * spacing
            y = (gy + 0.5) * spacing
            _flower(petals, centres, x * ss, y * ss, size * ss, FLOWER_PETALS, 0.0)
            count += 1
    cov = cv2.resize(petals, (lay.w, lay.h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    mid = cv2.resize(centres, (lay.w, lay.h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    # the flowers' grid: staggered rows from (spacing / 2, spacing / 2), as polka dots
    lattice = _lattice(lay, spacing, (spacing / 2, spacing / 2), True, math.cos(2 * math.pi * size / spacing))
    return np.maximum(cov, mid), {"spacing": round(spacing / lay.w, 4), "flower_size": round(size / lay.w, 4),
                                  "petals": FLOWER_PETALS, "flowers": count, "_accent": mid, "waves": lattice}


FLOWER_PETALS = 6  # point-symmetric, as the grid's waves are: cos cannot tell a phase from its negative


def _flower(petals: np.ndarray, centres: np.ndarray, x: float, y: float, r: float, n: int, phase: float) -> None:
    for k in range(n):
        a = phase + 2 * math.pi * k / n
        px, py = x + 0.55 * r * math.cos(a), y + 0.55 * r * math.sin(a)
        cv2.circle(petals, (round(px * 8), round(py * 8)), round(0.42 * r * 8), 255, -1, cv2.LINE_AA, 3)
    cv2.circle(centres, (round(x * 8), round(y * 8)), round(0.3 * r * 8), 255, -1, cv2.LINE_AA, 3)


TILTED = ("star", "ring", "triangle", "diamond")  # the graphics drawn at the print's tilt; the rest stand upright


def graphic(lay: Layout, rnd: random.Random) -> tuple[np.ndarray, dict]:
    """One bold print on the chest (or front) in the secondary colour."""
    kind = rnd.choice(GRAPHICS)
    size = rnd.uniform(0.55, 1.0) * lay.print_size
    x, y = lay.print_at
    x += rnd.uniform(-0.04, 0.04) * lay.w
    tilt = rnd.uniform(-12, 12)  # drawn for every kind: each later draw keeps its meaning
    tilt = tilt if kind in TILTED else 0.0
    cov = draw_graphic(kind, (lay.h, lay.w), x, y, size / 2, tilt)
    # where the print is: the one crossing in the canvas of two waves two canvas heights long
    period = 2.0 * lay.h
    half_width = math.cos(math.pi * size / period)
    where = [wave(lay, (1 / period, 0.0), -2 * math.pi * x / period, half_width),
             wave(lay, (0.0, 1 / period), -2 * math.pi * y / period, half_width)]
    return cov, {"graphic": kind, "size": round(size / lay.w, 4), "at": [round(x / lay.w, 4), round(y / lay.h, 4)],
                 "tilt": round(tilt, 2), "waves": where}


def draw_graphic(kind: str, size: tuple[int, int], x: float, y: float, r: float, tilt: float) -> np.ndarray:
    """A graphic's coverage (float32 `size` (h, w) in [0, 1]) centred at (x, y) pixels, `r` pixels to its tips,
    turned `tilt` degrees (clockwise on the image), anti-aliased by drawing at 4x."""
    ss, (h, w) = 4, size
    img = np.zeros((h * ss, w * ss), np.uint8)
    for poly in _graphic_polys(kind, x * ss, y * ss, r * ss, tilt):
        cv2.fillPoly(img, [np.round(poly * 8).astype(np.int32)], 255, cv2.LINE_AA, 3)
    if kind == "ring":  # punch the ring's hole and set a dot inside
        cv2.circle(img, (round(x * ss * 8), round(y * ss * 8)), round(r * ss * 0.68 * 8), 0, -1, cv2.LINE_AA, 3)
        cv2.circle(img, (round(x * ss * 8), round(y * ss * 8)), round(r * ss * 0.35 * 8), 255, -1, cv2.LINE_AA, 3)
    return cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255


def _graphic_polys(kind: str, x: float, y: float, r: float, tilt: float) -> list[np.ndarray]:
    def ring(n: int, radii: list[float], start: float = -90.0) -> np.ndarray:
        angles = np.radians(start + tilt + np.arange(n) * 360.0 / n)
        rr = np.resize(np.asarray(radii, np.float32), n) * r
        return np.stack([x + rr * np.cos(angles), y + rr * np.sin(angles)], axis=1)

    if kind == "star":
        return [ring(10, [1.0, 0.42])]
    if kind in ("ring",):
        return [ring(48, [1.0])]
    if kind == "triangle":
        return [ring(3, [1.0], 90.0 + 180.0)]
    if kind == "diamond":
        return [ring(4, [1.0, 0.7])]
    if kind == "heart":
        t = np.linspace(0, 2 * math.pi, 60)
        hx, hy = 16 * np.sin(t) ** 3, -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
        return [np.stack([x + hx * r / 17, y + hy * r / 17], axis=1)]
    if kind == "bolt":
        pts = np.array([[0.2, -1], [-0.55, 0.12], [-0.02, 0.12], [-0.25, 1], [0.55, -0.2], [0.05, -0.2], [0.35, -1]])
        return [np.stack([x + pts[:, 0] * r, y + pts[:, 1] * r], axis=1)]
    bars = []  # "bars": a three-line text logo
    for i, length in enumerate((1.0, 0.7, 0.85)):
        top = y - r * 0.75 + i * r * 0.55
        bars.append(np.array([[x - r * length, top], [x + r * length, top], [x + r * length, top + r * 0.35],
                              [x - r * length, top + r * 0.35]], np.float32))
    return bars


def color_block(lay: Layout, rnd: random.Random) -> tuple[np.ndarray, dict]:
    """Two colour areas: top/bottom, left/right, diagonal, or (with sleeves) sleeves against the body."""
    choices = ["top_bottom", "left_right", "diagonal"] + (["sleeves"] if lay.sleeves.max() > 0.5 else [])
    split = rnd.choice(choices)
    xs, ys = lay.grid()
    at = rnd.uniform(0.35, 0.65)
    mid = lay.top + at * (lay.hem - lay.top)
    if split == "top_bottom":
        normal = (0.0, 1.0)
    elif split == "left_right":
        normal = (1.0, 0.0) if rnd.random() < 0.5 else (-1.0, 0.0)
    elif split == "diagonal":
        th = math.radians(rnd.uniform(20, 45) * rnd.choice([-1, 1]))
        normal = (-math.sin(th), math.cos(th))
    else:
        return lay.sleeves.astype(np.float32), {"split": split, "at": round(at, 4)}
    through = (lay.cx, mid)  # the secondary colour lies on the normal's side of the line through here
    cov = _edge(normal[0] * (xs - through[0]) + normal[1] * (ys - through[1]))
    return cov.astype(np.float32), {"split": split, "at": round(at, 4), "waves": [_side(lay, normal, through)]}


def _side(lay: Layout, normal: tuple[float, float], through: tuple[float, float]) -> dict:
    """One side of a line as a wave four canvas heights long: above 0 on a band two heights wide, which covers the
    whole canvas on that side, and falling through 0 on the line."""
    period = 4.0 * lay.h
    centre = normal[0] * through[0] + normal[1] * through[1] + period / 4
    return wave(lay, (normal[0] / period, normal[1] / period), -2 * math.pi * centre / period, 0.0)


PATTERNS: dict[str, Callable[[Layout, random.Random], tuple[np.ndarray, dict]]] = {
    "solid": solid, "striped": striped, "plaid": plaid, "polka_dot": polka_dot, "floral": floral,
    "graphic": graphic, "color_block": color_block,
}


def pattern_rgb(pattern: str, lay: Layout, c1: tuple[int, int, int], c2: tuple[int, int, int] | None,
                rnd: random.Random) -> tuple[np.ndarray, np.ndarray, dict]:
    """The flat-coloured garment (float32 H x W x 3, sRGB 0..255) before shading, the print's cover (float32 H x W
    in [0, 1]: the secondary colour's share, flower centres included) and the pattern's choices."""
    if pattern not in PATTERNS:
        raise ValueError(f"unknown pattern {pattern!r}; the patterns are: {', '.join(PATTERNS)}")
    cov, params = PATTERNS[pattern](lay, rnd)
    accent = params.pop("_accent", None)
    a = np.asarray(c1, np.float32)
    b = np.asarray(c2 if c2 is not None else c1, np.float32)
    rgb = a + (b - a) * cov[..., None]
    if accent is not None:  # flower centres: the secondary colour darkened, so they read on either ground
        rgb += (b * 0.55 - rgb) * accent[..., None]
    return rgb.astype(np.float32), cov.astype(np.float32), params
