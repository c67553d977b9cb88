"""Garment silhouettes on their family's canvas, laid on the template keypoints of models.schema.

A shape is drawn at SUPERSAMPLE x the output size and area-averaged down, which anti-aliases its edges.
It depends only on category, sleeve, neckline, length and fit, never on a seed: the generator's alpha-mask
IoU metric compares against exactly this shape. Torsos, skirts and trouser legs are row profiles (a
half-width per row, cut by a top and a bottom line per column); sleeves are tapered capsules along
shoulder -> elbow -> wrist. Lengths are in canvas-height fractions, widths in canvas-width fractions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from models.schema import CATEGORY_FAMILY, TEMPLATE_KEYPOINTS
from trainer.data.necklines import neck_extras, neck_hole_bottom, off_shoulder_cut, shoulder_line

SUPERSAMPLE = 2


@dataclass(frozen=True)
class Fit:
    body: float  # added to torso and hip half-widths
    waist: float  # waist half-width relative to the chest (negative: shaped, positive: boxy)
    sleeve: float  # sleeve radius multiplier
    flare: float  # skirt flare multiplier
    knee: float  # trouser-leg half-width at the knee
    ankle: float  # trouser-leg half-width at the ankle (loose: wide-leg)


FITS: dict[str, Fit] = {
    "slim": Fit(body=-0.03, waist=-0.04, sleeve=0.8, flare=0.3, knee=0.06, ankle=0.048),
    "regular": Fit(body=0.0, waist=-0.02, sleeve=1.0, flare=1.0, knee=0.078, ankle=0.07),
    "loose": Fit(body=0.05, waist=0.004, sleeve=1.3, flare=1.7, knee=0.105, ankle=0.125),
}
SLEEVE_END = {"short": 0.5, "medium": 1.35, "long": 2.03}  # along shoulder (0) -> elbow (1) -> wrist (2)
SLEEVE_RADIUS = (0.068, 0.052, 0.044)  # at shoulder, elbow, wrist, for shoulders 0.23 W apart from the centre
# Where the hem sits, as a fraction of the canvas height (lower: knees at 0.50, ankles 0.93; full: 0.71, 0.95).
HEM_Y: dict[str, dict[str, float]] = {
    "skirt": {"short": 0.34, "knee": 0.54, "midi": 0.75, "long": 0.93},
    "trousers": {"short": 0.33, "knee": 0.53, "midi": 0.8, "long": 0.95},
    "shorts": {"short": 0.32, "knee": 0.47, "midi": 0.56, "long": 0.64},
    "dress": {"short": 0.61, "knee": 0.73, "midi": 0.85, "long": 0.955},
    "coat": {"short": 0.61, "knee": 0.73, "midi": 0.85, "long": 0.955},
}
FLARE = {"dress": 0.16, "coat": 0.05, "skirt": 0.2}  # hem widening per pixel of drop, before the fit's multiplier
CROTCH_Y = 0.19  # lower canvas


@dataclass
class Geometry:
    """One garment's hi-res canvas: keypoints and named anchors (rows, half-widths, points) in hi-res pixels."""

    garment: dict
    family: str
    h: int
    w: int
    kp: dict[str, np.ndarray]
    fit: Fit
    a: dict[str, float] = field(default_factory=dict)
    paths: dict[str, np.ndarray] = field(default_factory=dict)  # polylines details draw along (seams, edges)

    @property
    def category(self) -> str:
        return self.garment["category"]

    def xs(self) -> np.ndarray:
        return np.arange(self.w, dtype=np.float32) + 0.5

    def ys(self) -> np.ndarray:
        return np.arange(self.h, dtype=np.float32) + 0.5

    def dx(self) -> np.ndarray:
        """Per column: distance from the centre line."""
        return np.abs(self.xs() - self.a["cx"])


@dataclass
class Shape:
    """A garment's silhouette at hi-res: all of it, and the sleeves alone (for colour blocks and shading)."""

    geom: Geometry
    mask: np.ndarray  # uint8 (h, w), 255 inside
    sleeves: np.ndarray  # uint8 (h, w)


def make_geometry(garment: dict, size: tuple[int, int]) -> Geometry:
    h, w = size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE
    family = CATEGORY_FAMILY[garment["category"]]
    kp = {k: np.array([x * w, y * h], np.float32) for k, (x, y) in TEMPLATE_KEYPOINTS[family].items()}
    g = Geometry(garment, family, h, w, kp, FITS[garment["fit"] or "regular"])
    g.a["cx"] = w / 2
    if family == "lower":
        _lower_anchors(g)
    else:
        _upper_anchors(g)
    return g


def _upper_anchors(g: Geometry) -> None:
    a, kp, w, f = g.a, g.kp, g.w, g.fit
    a["ny"] = float(kp["neck"][1])
    a["sy"] = float(kp["right_shoulder"][1])
    a["sdx"] = a["cx"] - float(kp["right_shoulder"][0])
    a["hip_y"] = float(kp["right_hip"][1])
    a["L"] = a["hip_y"] - a["ny"]  # torso length: necklines scale with it
    a["nhw"] = 0.42 * a["sdx"]
    a["ay"] = a["sy"] + 0.33 * (float(kp["right_elbow"][1]) - a["sy"])
    a["chest"] = a["sdx"] - 0.015 * w + f.body * w
    a["waist"] = a["chest"] + f.waist * w
    a["hips"] = a["cx"] - float(kp["right_hip"][0]) + 0.06 * w + f.body * w
    a["waist_y"] = a["ay"] + 0.5 * (a["hip_y"] - a["ay"]) if g.family == "upper" else a["sy"] + 0.58 * (
        a["hip_y"] - a["sy"])
    hem = HEM_Y.get(g.category, {}).get(g.garment["length"] or "knee")
    a["hem_y"] = hem * g.h if g.family == "full" else float(kp["hem"][1])


def _lower_anchors(g: Geometry) -> None:
    a, kp, w, h = g.a, g.kp, g.w, g.h
    a["hip_y"] = float(kp["right_hip"][1])
    a["top"] = a["hip_y"] - 0.035 * h
    a["hips"] = a["cx"] - float(kp["right_hip"][0]) + 0.045 * w + g.fit.body * w
    a["crotch_y"] = CROTCH_Y * h
    a["hem_y"] = HEM_Y[g.category][g.garment["length"] or "knee"] * h


def smooth_profile(g: Geometry, points: list[tuple[float, float]], smooth: float = 0.025) -> np.ndarray:
    """Half-width per row through (y, half-width) points, box-smoothed so corners round off."""
    py, phw = zip(*points, strict=True)
    hw = np.interp(g.ys(), py, phw)
    k = max(1, int(smooth * g.h)) | 1
    padded = np.pad(hw, k // 2, mode="edge")
    return np.convolve(padded, np.ones(k) / k, mode="valid").astype(np.float32)


def hem_line(g: Geometry, hem_y: float, hem_hw: float, sag: float) -> np.ndarray:
    """Per column: the hem's y, sagging by `sag` at the centre as cloth seen a little from above does."""
    u = np.clip(g.dx() / max(hem_hw, 1.0), 0.0, 1.0)
    return hem_y + sag * (1.0 - u * u)


def _region(g: Geometry, hw: np.ndarray, top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    ys = g.ys()[:, None]
    return (g.dx()[None, :] < hw[:, None]) & (ys > top[None, :]) & (ys < bottom[None, :])


def _torso_profile(g: Geometry) -> list[tuple[float, float]]:
    a, w, f = g.a, g.w, g.fit
    if g.garment["sleeve"] in (None, "sleeveless"):  # an armhole: narrower where the arm passes
        top = [(a["sy"] - 0.02 * g.h, a["sdx"] - 0.05 * w), (a["sy"], a["sdx"] - 0.05 * w),
               ((a["sy"] + a["ay"]) / 2, a["sdx"] - 0.08 * w + 0.5 * f.body * w)]
    else:
        top = [(a["sy"] - 0.02 * g.h, a["sdx"] + 0.02 * w), (a["sy"] + 0.01 * g.h, a["sdx"] + 0.015 * w)]
    body = [(a["ay"], a["chest"]), (a["waist_y"], a["waist"]), (a["hip_y"], a["hips"])]
    if g.family == "upper":
        a["hem_hw"] = a["hips"] + (0.006 * w if f.waist > 0 else 0.0)
        tail = [(a["hem_y"], a["hem_hw"])]
    else:
        drop = a["hem_y"] - a["hip_y"]
        a["hem_hw"] = min(a["hips"] + FLARE[g.category] * f.flare * drop, 0.485 * w)
        tail = [(a["hem_y"], a["hem_hw"])]
    return top + body + tail


def _torso(g: Geometry) -> np.ndarray:
    hw = smooth_profile(g, _torso_profile(g))
    top = shoulder_line(g)
    hole = neck_hole_bottom(g)
    top = np.where(np.isfinite(hole), np.maximum(top, hole), top)
    sag = 0.012 * g.h if g.family == "upper" else 0.018 * g.h
    bottom = hem_line(g, g.a["hem_y"], g.a["hem_hw"], sag)
    g.paths["hem"] = _hem_path(g, bottom, g.a["hem_hw"])
    return _region(g, hw, top, bottom)


def _hem_path(g: Geometry, bottom: np.ndarray, hem_hw: float) -> np.ndarray:
    xs = g.xs()
    keep = np.abs(xs - g.a["cx"]) < hem_hw - 0.01 * g.w
    return np.stack([xs[keep], bottom[keep]], axis=1)[::4]


def arm_chain(g: Geometry, side: str, t_end: float) -> list[tuple[np.ndarray, float]]:
    """(centre, radius) points along one arm from the shoulder to `t_end` (0 shoulder, 1 elbow, 2 wrist)."""
    joints = [g.kp[f"{side}_{j}"] for j in ("shoulder", "elbow", "wrist")]
    scale = g.fit.sleeve * g.a["sdx"] / (0.23 * g.w)
    radii = [r * g.w * scale for r in SLEEVE_RADIUS]
    seg = min(int(t_end), 1)
    t = t_end - seg
    end = joints[seg] + (joints[seg + 1] - joints[seg]) * t
    end_r = radii[seg] + (radii[seg + 1] - radii[seg]) * t
    if t_end <= 0.75:  # a short sleeve opens a little wider than the arm
        end_r *= 1.12
    return [(joints[i], radii[i]) for i in range(seg + 1)] + [(end, end_r)]


def fill_chain(out: np.ndarray, chain: list[tuple[np.ndarray, float]], value: int = 255) -> None:
    """Tapered capsules joint to joint, flat at the far end (a sleeve's cuff is cut straight)."""
    for (p0, r0), (p1, r1) in zip(chain, chain[1:], strict=False):
        d = (p1 - p0) / max(float(np.linalg.norm(p1 - p0)), 1e-6)
        n = np.array([-d[1], d[0]], np.float32)
        quad = np.stack([p0 + n * r0, p1 + n * r1, p1 - n * r1, p0 - n * r0])
        cv2.fillConvexPoly(out, np.round(quad * 16).astype(np.int32), value, cv2.LINE_8, 4)
        cv2.circle(out, tuple(np.round(p0 * 16).astype(int)), int(round(r0 * 16)), value, -1, cv2.LINE_8, 4)


def _sleeves(g: Geometry) -> np.ndarray:
    out = np.zeros((g.h, g.w), np.uint8)
    sleeve = g.garment["sleeve"]
    if sleeve in (None, "sleeveless"):
        return out
    for side in ("right", "left"):
        chain = arm_chain(g, side, SLEEVE_END[sleeve])
        fill_chain(out, chain)
        g.paths[f"{side}_cuff"] = np.stack(_cuff_ends(chain))
    out[g.ys()[:, None] <= shoulder_line(g)[None, :]] = 0
    return out


def _cuff_ends(chain: list[tuple[np.ndarray, float]]) -> tuple[np.ndarray, np.ndarray]:
    (p0, _), (p1, r1) = chain[-2], chain[-1]
    d = (p1 - p0) / max(float(np.linalg.norm(p1 - p0)), 1e-6)
    n = np.array([-d[1], d[0]], np.float32)
    return p1 + n * r1, p1 - n * r1


def _skirt(g: Geometry) -> np.ndarray:
    a, w, h = g.a, g.w, g.h
    hip_low = a["hip_y"] + 0.06 * h
    a["hem_hw"] = min(a["hips"] + FLARE["skirt"] * g.fit.flare * (a["hem_y"] - hip_low), 0.485 * w)
    hw = smooth_profile(g, [(a["top"], a["hips"] - 0.025 * w), (hip_low, a["hips"]), (a["hem_y"], a["hem_hw"])])
    bottom = hem_line(g, a["hem_y"], a["hem_hw"], 0.015 * h)
    g.paths["hem"] = _hem_path(g, bottom, a["hem_hw"])
    return _region(g, hw, np.full(g.w, a["top"], np.float32), bottom)


def leg_edges(g: Geometry, side: str) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the outer and inner x of one trouser leg ("right" is the image's left)."""
    a, kp, w, f = g.a, g.kp, g.w, g.fit
    sign = -1.0 if side == "right" else 1.0
    knee, ankle = kp[f"{side}_knee"], kp[f"{side}_ankle"]
    kw, aw = f.knee * w, f.ankle * w
    if g.category == "shorts":  # short legs stand off the thigh
        kw, aw = kw + 0.035 * w, aw + 0.035 * w
    cx, ys = a["cx"], g.ys()
    outer = np.interp(ys, [a["top"], a["hip_y"] + 0.05 * g.h, a["crotch_y"], knee[1], ankle[1]],
                      [cx + sign * (a["hips"] - 0.02 * w), cx + sign * a["hips"], cx + sign * (a["hips"] + 0.003 * w),
                       knee[0] + sign * kw, ankle[0] + sign * aw])
    inner = np.interp(ys, [a["crotch_y"], knee[1], ankle[1]],
                      [cx + sign * 0.012 * w, knee[0] - sign * kw, ankle[0] - sign * aw])
    return outer.astype(np.float32), inner.astype(np.float32)


def _legs(g: Geometry) -> np.ndarray:
    a, xs, ys = g.a, g.xs()[None, :], g.ys()[:, None]
    rows = (ys > a["top"]) & (ys < a["hem_y"])
    mask = np.zeros((g.h, g.w), bool)
    for side in ("right", "left"):
        outer, inner = leg_edges(g, side)
        lo, hi = np.minimum(outer, inner)[:, None], np.maximum(outer, inner)[:, None]
        mask |= rows & (ys >= a["crotch_y"] - 0.02 * g.h) & (xs > lo) & (xs < hi)
        i = np.searchsorted(g.ys(), [a["top"] + 0.01 * g.h, a["hem_y"] - 0.005 * g.h])
        g.paths[f"{side}_outseam"] = np.stack([outer[i[0]:i[1]:6], g.ys()[i[0]:i[1]:6]], axis=1)
        j = int(np.searchsorted(g.ys(), a["hem_y"] - 0.005 * g.h))
        g.paths[f"{side}_hem"] = np.array([[outer[j], ys[j, 0]], [inner[j], ys[j, 0]]], np.float32)
    hips = np.abs(xs - a["cx"]) < (a["cx"] - leg_edges(g, "right")[0])[:, None]
    return mask | (rows & (ys < a["crotch_y"]) & hips)


def build_shape(garment: dict, size: tuple[int, int]) -> Shape:
    """The garment's silhouette at SUPERSAMPLE x `size` (height, width), and its geometry for details."""
    g = make_geometry(garment, size)
    sleeves = np.zeros((g.h, g.w), np.uint8)
    if g.family == "lower":
        body = _skirt(g) if g.category == "skirt" else _legs(g)
    else:
        body = _torso(g)
        sleeves = _sleeves(g)
    mask = np.where(body, 255, 0).astype(np.uint8) | sleeves | neck_extras(g)
    k = max(3, int(0.02 * g.w) | 1)  # close the hairline slits where a sleeve meets the torso under the arm
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    if g.family != "lower" and garment["neckline"] == "off_shoulder":
        above = g.ys()[:, None] <= off_shoulder_cut(g)[None, :]
        mask[above] = 0
        sleeves[above] = 0
    return Shape(g, mask, sleeves)


def downsample(hi: np.ndarray) -> np.ndarray:
    """Area-average a hi-res uint8 layer to the output size: float32 coverage in [0, 1]."""
    h, w = hi.shape[0] // SUPERSAMPLE, hi.shape[1] // SUPERSAMPLE
    return cv2.resize(hi, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
