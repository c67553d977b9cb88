"""Light on the cloth: a diffuse multiplier (mean 1.0 over the garment, so the colour asked stays the colour) and
the specular term glossy materials use.

The garment is treated as a height field: each part rounds off towards its silhouette edge like a cylinder
(sleeves, legs) or a rounded slab (torso), and soft vertical folds are raised-cosine valleys in it that deepen
towards the hem. Normals of that surface, lit from the upper left with wrapped diffuse light, make a flat shape
read as cloth on a body; contact shadows darken under the arms and at the crotch.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np

from models import schema
from trainer.data.patterns import Layout

LIGHT = np.array(schema.LIGHT) / np.linalg.norm(schema.LIGHT)  # from the upper left, towards us
HALF = np.array(schema.half_vector())  # Blinn half-vector for a viewer straight ahead
WRAP = 0.7  # wrapped diffuse: edges turning away from the light darken, without going black
AMBIENT = 0.3


@dataclass
class Marks:
    """Output-pixel places where cloth meets the body or itself: contact shadows and where folds start."""

    armpits: list[tuple[float, float]]
    crotch: tuple[float, float] | None
    fold_top: float  # folds start below this row and deepen towards the hem


@dataclass
class Shading:
    shade: np.ndarray  # diffuse multiplier, mean 1 over the garment
    n_dot_h: np.ndarray  # cosine between surface normal and half-vector, for specular highlights
    params: dict


def edge_distance(sil: np.ndarray) -> np.ndarray:
    """Distance in pixels from each garment pixel to the nearest pixel outside (0 outside)."""
    padded = np.pad(sil.astype(np.uint8), 1)  # the canvas border is outside too
    return cv2.distanceTransform(padded, cv2.DIST_L2, 3)[1:-1, 1:-1]


def garment_shading(sil: np.ndarray, dist: np.ndarray, lay: Layout, marks: Marks, rnd: random.Random) -> Shading:
    xs, ys = lay.grid()
    radius = schema.RELIEF_RADIUS * lay.w  # how far in from the edge the cloth has turned to face us
    d = np.minimum(dist, radius)
    height = np.sqrt(d * (2 * radius - d))
    folds, valleys, params = _folds(sil, lay, marks, xs, ys, rnd)
    height = cv2.GaussianBlur(height - folds * radius * schema.FOLD_DEPTH, (0, 0), schema.relief_blur(lay.w))
    gy, gx = np.gradient(height)
    norm = np.sqrt(gx * gx + gy * gy + 1.0)
    nx, ny, nz = -gx / norm, -gy / norm, 1.0 / norm
    diffuse = (nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2] + WRAP) / (1.0 + WRAP)
    shade = (AMBIENT + (1 - AMBIENT) * np.clip(diffuse, 0, 1)) * (1 - 0.12 * valleys) * _contact(lay, marks, xs, ys)
    n_dot_h = np.clip(nx * HALF[0] + ny * HALF[1] + nz * HALF[2], 0, 1).astype(np.float32)
    rows = [round(marks.fold_top / lay.h, 4), round(lay.hem / lay.h, 4)]  # where folds start and end deepening
    return Shading(normalise(shade, sil), n_dot_h, {"folds": params, "fold_rows": rows})


def _folds(sil: np.ndarray, lay: Layout, marks: Marks, xs: np.ndarray, ys: np.ndarray,
           rnd: random.Random) -> tuple[np.ndarray, np.ndarray, list]:
    """Fold depth (0..~1 per fold) as a height offset, the same without ridges (for occlusion), and the folds.

    Two draws place them all: how many, and how far along the hem the first lies; widths and depths vary from fold
    to fold by fixed steps. In generator pairs both draws come from the style (garments.render_garment), so where
    folds, and a leather's glints on them, fall is something the generator is told: drawn fold by fold from the
    render's seed (before session 10) they were not, and L1 smoothed leather into a matt cloth (0 of 21 read
    as leather)."""
    row = int(min(lay.hem - 0.03 * lay.h, lay.h - 1))
    cols = np.flatnonzero(sil[row]) if row > 0 else np.array([], int)
    depth_map = np.zeros_like(xs)
    valleys = np.zeros_like(xs)
    if cols.size == 0:
        return depth_map, valleys, []
    env = np.clip((ys - marks.fold_top) / max(lay.hem - marks.fold_top, 1.0), 0.0, 1.0) ** 0.8
    params = []
    count, shift = rnd.randint(3, 6), rnd.random()  # two draws: every fold follows from them (see garment_shading)
    for k in range(count):
        across = (k + shift) / count  # spread over the hem, all moved together by the shift
        x0 = float(cols[min(int(across * cols.size), cols.size - 1)]) + 0.5
        width = (0.025 + 0.04 * ((0.618 * k + shift) % 1.0)) * lay.w
        depth = 0.4 + 0.6 * ((0.382 * k + 0.5 * shift) % 1.0)
        slant = 0.12 * (2 * across - 1)  # folds fan out a little towards the hem
        u = (xs - x0 - slant * (ys - lay.hem)) / width
        valley = np.where(np.abs(u) < 1, 0.5 + 0.5 * np.cos(math.pi * u), 0.0) * depth * env
        depth_map += valley
        valleys += valley
        params.append({"x": round(x0 / lay.w, 4), "width": round(width / lay.w, 4), "depth": round(depth, 4),
                       "slant": round(slant, 4)})
    return depth_map, np.clip(valleys, 0, 1), params


def _contact(lay: Layout, marks: Marks, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    out = np.ones_like(xs)
    r = 0.055 * lay.w
    spots = [(p, 0.22) for p in marks.armpits] + ([(marks.crotch, 0.25)] if marks.crotch else [])
    for (x, y), strength in spots:
        out *= 1.0 - strength * np.exp(-((xs - x) ** 2 + (ys - y) ** 2) / (2 * r * r))
    return out


def normalise(field: np.ndarray, sil: np.ndarray) -> np.ndarray:
    """Scale a multiplier so its mean over the garment is exactly 1."""
    mean = float(field[sil].mean()) if sil.any() else 1.0
    return (field / mean).astype(np.float32)
