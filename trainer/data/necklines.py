"""Necklines and what rises above them: the neck hole each neckline cuts, collars, turtleneck bands and hoods.

All in hi-res pixels of a Geometry (silhouettes.py). Depths scale with the torso length L (neck to hips),
widths with the neck's half-width nhw, so the same table fits the upper and the full canvas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np

if TYPE_CHECKING:
    from trainer.data.silhouettes import Geometry

# neckline -> (depth in L, half-width in nhw, profile of u = |dx| / half-width in [0, 1) -> depth fraction)
NECK_HOLES = {
    "round": (0.075, 1.0, lambda u: np.sqrt(1.0 - u * u)),
    "v_neck": (0.28, 0.95, lambda u: 1.0 - u),
    "square": (0.14, 1.0, lambda u: np.minimum(1.0, (1.0 - u) / 0.12)),
    "collared": (0.06, 0.8, lambda u: np.sqrt(1.0 - u * u)),
}
TURTLENECK = (0.075, 0.75)  # band height in L, half-width in nhw
HOOD = (1.85, 0.1)  # half-width in nhw, half-height in L
COLLAR_STAND = 0.045  # how far a collar rises behind the neck, in L


def shoulder_line(g: Geometry) -> np.ndarray:
    """Per column: the top edge from the neck's base out over the shoulders (continued past them)."""
    a = g.a
    slope = (a["sy"] - a["ny"]) / (a["sdx"] - a["nhw"])
    return (a["ny"] + np.maximum(g.dx() - a["nhw"], 0.0) * slope).astype(np.float32)


def neck_hole_bottom(g: Geometry) -> np.ndarray:
    """Per column: the lower edge of the neck hole; -inf where the column has no hole (off_shoulder: none)."""
    out = np.full(g.w, -np.inf, np.float32)
    spec = NECK_HOLES.get(g.garment["neckline"])
    if spec is None:
        return out
    depth, half, profile = spec
    hw = half * g.a["nhw"]
    u = g.dx() / hw
    inside = u < 1.0
    out[inside] = g.a["ny"] + depth * g.a["L"] * profile(u[inside])
    g.a["neck_bottom"] = g.a["ny"] + depth * g.a["L"]
    g.paths["neckline"] = np.stack([g.xs()[inside], out[inside]], axis=1)[::3]
    return out


def off_shoulder_cut(g: Geometry) -> np.ndarray:
    """Per column: the straight-across top edge of an off-shoulder garment, below the shoulder points."""
    a = g.a
    u = np.minimum(g.dx() / a["sdx"], 1.0)
    return (a["sy"] + 0.06 * a["L"] + 0.025 * a["L"] * (1.0 - u * u)).astype(np.float32)


def neck_extras(g: Geometry) -> np.ndarray:
    """uint8 mask of the parts above the neckline: collar stand and points, turtleneck band, hood."""
    out = np.zeros((g.h, g.w), np.uint8)
    if g.family == "lower":
        return out
    neckline = g.garment["neckline"]
    if g.category == "hoodie":
        out |= _hood(g)
    if neckline == "collared":
        out |= _collar(g)
    elif neckline == "turtleneck":
        out |= _turtleneck(g)
    return out


def _turtleneck(g: Geometry) -> np.ndarray:
    a = g.a
    height, half = TURTLENECK
    hw = half * a["nhw"]
    u = np.minimum(g.dx() / hw, 1.0)
    top = a["ny"] - height * a["L"] + 0.02 * a["L"] * u * u  # the band's lip curves round the neck
    a["band_top"], a["band_hw"] = a["ny"] - height * a["L"], hw
    ys = g.ys()[:, None]
    band = (g.dx()[None, :] < hw) & (ys > top[None, :]) & (ys < shoulder_line(g)[None, :] + 0.01 * a["L"])
    return np.where(band, 255, 0).astype(np.uint8)


def _collar(g: Geometry) -> np.ndarray:
    a, cx, w = g.a, g.a["cx"], g.w
    out = np.zeros((g.h, g.w), np.uint8)
    ny, nhw, L = a["ny"], a["nhw"], a["L"]
    u = np.minimum(g.dx() / (0.95 * nhw), 1.0)
    stand_top = ny - COLLAR_STAND * L * (1.0 - 0.3 * u * u)
    ys = g.ys()[:, None]
    stand = (g.dx()[None, :] < 0.95 * nhw) & (ys > stand_top[None, :]) & (ys < ny + 0.03 * L)
    out[stand] = 255
    big = 1.3 if g.category in ("jacket", "coat") else 1.0
    for side, s in (("right", -1.0), ("left", 1.0)):
        pts = np.array([[cx + s * 0.015 * w, ny + 0.01 * L], [cx + s * 0.065 * w * big, ny + 0.14 * L * big],
                        [cx + s * (nhw + 0.035 * w * big), ny + 0.06 * L * big],
                        [cx + s * 0.97 * nhw, ny - 0.035 * L]], np.float32)
        g.paths[f"collar_{side}"] = pts
        cv2.fillConvexPoly(out, np.round(pts * 16).astype(np.int32), 255, cv2.LINE_8, 4)
    return out


def _hood(g: Geometry) -> np.ndarray:
    """A hood lying on the back: seen from the front, a thick rim round the neck rising above the shoulders."""
    a = g.a
    half_w, half_h = HOOD[0] * a["nhw"], HOOD[1] * a["L"]
    cy = a["ny"] + 0.015 * a["L"]
    g.a.update(hood_cy=cy, hood_hw=half_w, hood_hh=half_h)
    out = np.zeros((g.h, g.w), np.uint8)
    cv2.ellipse(out, (int(a["cx"] * 16), int(cy * 16)), (int(half_w * 16), int(half_h * 16)), 0, 0, 360, 255, -1,
                cv2.LINE_8, 4)
    hole = neck_hole_bottom(g)
    ys = g.ys()[:, None]
    out[(ys < hole[None, :]) & (g.dx()[None, :] < 0.8 * a["nhw"])] = 0  # the neck itself passes here
    return out
