"""Category cues drawn inside the silhouette: seams, collar and lapel outlines, plackets, pockets, buttons, hoods.

Details never change the silhouette (silhouettes.py owns it); they are drawn at hi-res into a few uint8
layers that render_garment turns into shading, stitches and button paint:
ink (dark seams and outlines), shadow (soft dark fills), lift (light raised parts), stitch (dashed topstitching,
contrast-coloured on denim), buttons (button coverage, painted in Details.button_rgb).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from trainer.data.silhouettes import Geometry, Shape, downsample

LAYERS = ("ink", "shadow", "lift", "stitch", "buttons")
BUTTONS = {"jacket": (185, 125, 60), "coat": (45, 38, 32), "blazer": (45, 38, 32)}  # the rest are tone-on-tone


@dataclass
class Details:
    """Output-size float layers in [0, 1], and the colour buttons are painted."""

    ink: np.ndarray
    shadow: np.ndarray
    lift: np.ndarray
    stitch: np.ndarray
    buttons: np.ndarray
    button_rgb: tuple[int, int, int]
    params: dict


class Canvas:
    """Hi-res drawing layers with the pen sizes of one geometry."""

    def __init__(self, g: Geometry) -> None:
        self.g = g
        self.layers = {name: np.zeros((g.h, g.w), np.uint8) for name in LAYERS}
        self.pen = max(1, round(g.w / 190))  # 1 px at 192 wide output after 2x supersampling: thin seams

    def line(self, pts, layer: str = "ink", value: int = 255, width: float = 1.0) -> None:
        pts = np.round(np.asarray(pts, np.float32) * 16).astype(np.int32)
        cv2.polylines(self.layers[layer], [pts], False, value, max(1, round(self.pen * width)), cv2.LINE_AA, 4)

    def poly(self, pts, layer: str, value: int = 255) -> None:
        pts = np.round(np.asarray(pts, np.float32) * 16).astype(np.int32)
        cv2.fillPoly(self.layers[layer], [pts], value, cv2.LINE_AA, 4)

    def dashed(self, pts, dash: float = 0.012, value: int = 255) -> None:
        """Topstitching: dashes of `dash` x width along a polyline."""
        pts = _resample(np.asarray(pts, np.float32), dash * self.g.w)
        for i in range(0, len(pts) - 1, 2):
            self.line(pts[i:i + 2], "stitch", value)

    def button(self, x: float, y: float, r: float = 0.013) -> None:
        rad = r * self.g.w
        cv2.circle(self.layers["buttons"], (round(x * 16), round(y * 16)), round(rad * 16), 255, -1, cv2.LINE_AA, 4)
        cv2.circle(self.layers["ink"], (round(x * 16), round(y * 16)), round(rad * 16), 150, self.pen, cv2.LINE_AA, 4)


def _resample(pts: np.ndarray, step: float) -> np.ndarray:
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    dist = np.concatenate([[0.0], np.cumsum(seg)])
    at = np.arange(0.0, dist[-1] + 1e-6, max(step, 1.0))
    return np.stack([np.interp(at, dist, pts[:, 0]), np.interp(at, dist, pts[:, 1])], axis=1)


def _shift(pts, dx: float = 0.0, dy: float = 0.0) -> np.ndarray:
    return np.asarray(pts, np.float32) + np.array([dx, dy], np.float32)


# ---- cues shared by several categories ------------------------------------------------------------------------------

def hem_and_cuffs(c: Canvas, band: float = 0.0) -> None:
    """Topstitch above the hem and at sleeve ends; `band` > 0 draws a rib band of that height instead."""
    g = c.g
    if "hem" in g.paths:
        _band_or_stitch(c, g.paths["hem"], (0.0, -1.0), band)
    for side in ("right", "left"):
        if f"{side}_cuff" in g.paths:
            p, q = g.paths[f"{side}_cuff"]
            up = _cuff_up(g, side)
            _band_or_stitch(c, np.stack([p, q]), up, band * 0.8)
        if f"{side}_hem" in g.paths:
            _band_or_stitch(c, g.paths[f"{side}_hem"], (0.0, -1.0), band)


def _cuff_up(g: Geometry, side: str) -> np.ndarray:
    """Unit vector from a sleeve's end back towards the shoulder."""
    p, q = g.paths[f"{side}_cuff"]
    d = g.kp[f"{side}_shoulder"] - (p + q) / 2
    return d / max(float(np.linalg.norm(d)), 1e-6)


def _band_or_stitch(c: Canvas, edge: np.ndarray, up, band: float) -> None:
    up = np.asarray(up, np.float32)
    if band > 0:
        inner = edge + up * band * c.g.h
        c.line(inner, "ink", 200)
        c.poly(np.concatenate([edge, inner[::-1]]), "shadow", 70)
    else:
        c.dashed(edge + up * 0.014 * c.g.h)


def neck_rib(c: Canvas) -> None:
    if "neckline" in c.g.paths and len(c.g.paths["neckline"]) > 1:
        c.line(_shift(c.g.paths["neckline"], dy=0.012 * c.g.h), "ink", 140)


def collar(c: Canvas) -> None:
    g = c.g
    for side in ("right", "left"):
        if f"collar_{side}" in g.paths:
            pts = g.paths[f"collar_{side}"]
            c.poly(pts, "lift", 255)
            c.poly(_shift(pts, dy=0.012 * g.h), "shadow", 120)  # the flap's shadow on the chest
            c.line(np.concatenate([pts, pts[:1]]), "ink", 230)
    if g.garment["neckline"] == "collared":  # inside of the collar band, behind the neck
        a = g.a
        c.poly([[a["cx"] - 0.95 * a["nhw"], a["ny"] - 0.045 * a["L"]], [a["cx"] + 0.95 * a["nhw"],
                a["ny"] - 0.045 * a["L"]], [a["cx"], a["ny"] + 0.06 * a["L"]]], "shadow", 150)


def opening(c: Canvas, x_off: float = 0.0) -> float:
    """The front edge of an open-fronted garment, neck to hem; returns where it starts."""
    a = c.g.a
    y0 = a.get("neck_bottom", a["ny"] + 0.05 * a["L"])
    x = a["cx"] + x_off * c.g.w
    c.line([[x, y0], [x, a["hem_y"] + 0.02 * c.g.h]], "ink", 255, 1.5)
    c.dashed([[x + 0.012 * c.g.w, y0], [x + 0.012 * c.g.w, a["hem_y"]]])
    return y0


def buttons_column(c: Canvas, x: float, y0: float, y1: float, n: int, r: float = 0.013) -> None:
    for y in np.linspace(y0, y1, n):
        c.button(x, y, r)


def patch_pocket(c: Canvas, x: float, y: float, w: float, h: float, flap: bool = False) -> None:
    """A pocket with its top-left at (x, y), sizes in canvas fractions of width/height."""
    g = c.g
    pw, ph = w * g.w, h * g.h
    pts = np.array([[x, y], [x + pw, y], [x + pw, y + ph * 0.85], [x + pw / 2, y + ph], [x, y + ph * 0.85]])
    c.poly(pts, "shadow", 45)
    c.line(np.concatenate([pts, pts[:1]]), "ink", 190)
    c.dashed(_shift(pts[1:], dx=-0.01 * g.w)[::-1])
    if flap:
        c.poly([[x - 0.004 * g.w, y], [x + pw + 0.004 * g.w, y], [x + pw, y + ph * 0.3], [x, y + ph * 0.3]], "lift",
               200)
        c.line([[x, y + ph * 0.3], [x + pw, y + ph * 0.3]], "ink", 220)


def lapels(c: Canvas) -> None:
    """Notched lapels along a V front (blazers, coats)."""
    g, a = c.g, c.g.a
    cx, ny, nhw, L, w = a["cx"], a["ny"], a["nhw"], a["L"], g.w
    bottom = a.get("neck_bottom", ny + 0.28 * L)
    for s in (-1.0, 1.0):
        pts = np.array([[cx + s * 0.95 * nhw, ny - 0.005 * L], [cx + s * 0.01 * w, bottom],
                        [cx + s * (nhw + 0.06 * w), ny + 0.13 * L], [cx + s * (nhw + 0.035 * w), ny + 0.1 * L],
                        [cx + s * (nhw + 0.045 * w), ny + 0.06 * L], [cx + s * 1.02 * nhw, ny + 0.02 * L]])
        c.poly(pts, "lift", 220)
        c.poly(_shift(pts[1:4], dx=s * 0.01 * w, dy=0.01 * g.h), "shadow", 110)
        c.line(np.concatenate([pts, pts[:1]]), "ink", 230)


# ---- one function per category --------------------------------------------------------------------------------------

def _tshirt(c: Canvas, rnd: random.Random) -> dict:
    neck_rib(c)
    hem_and_cuffs(c)
    return {}


def _shirt(c: Canvas, rnd: random.Random) -> dict:
    a, g = c.g.a, c.g
    y0 = a.get("neck_bottom", a["ny"] + 0.05 * a["L"])
    for dx in (-0.018, 0.018):
        c.line([[a["cx"] + dx * g.w, y0], [a["cx"] + dx * g.w, a["hem_y"]]], "ink", 150)
    buttons_column(c, a["cx"], y0 + 0.04 * a["L"], a["hem_y"] - 0.06 * a["L"], 6, 0.011)
    pocket = rnd.random() < 0.5
    if pocket:
        patch_pocket(c, a["cx"] + 0.07 * g.w, a["ny"] + 0.26 * a["L"], 0.1, 0.06)
    hem_and_cuffs(c, 0.03 if g.garment["sleeve"] == "long" else 0.0)
    return {"chest_pocket": pocket}


def _polo(c: Canvas, rnd: random.Random) -> dict:
    a, g = c.g.a, c.g
    y0, y1 = a.get("neck_bottom", a["ny"] + 0.04 * a["L"]), a["ny"] + 0.24 * a["L"]
    box = [[a["cx"] - 0.022 * g.w, y0], [a["cx"] - 0.022 * g.w, y1], [a["cx"] + 0.022 * g.w, y1],
           [a["cx"] + 0.022 * g.w, y0]]
    c.line(box, "ink", 200)
    buttons_column(c, a["cx"], y0 + 0.04 * a["L"], y1 - 0.04 * a["L"], 2, 0.01)
    hem_and_cuffs(c, 0.0)
    for side in ("right", "left"):  # ribbed sleeve bands
        if f"{side}_cuff" in g.paths:
            _band_or_stitch(c, g.paths[f"{side}_cuff"], _cuff_up(g, side), 0.025)
    return {}


def _blouse(c: Canvas, rnd: random.Random) -> dict:
    a, g = c.g.a, c.g
    gathers = rnd.randint(3, 6)
    y0 = a.get("neck_bottom", a["ny"] + 0.05 * a["L"])
    for x in np.linspace(-0.08, 0.08, gathers):  # soft gathers falling from the neckline
        c.line([[a["cx"] + x * g.w, y0 + 0.02 * a["L"]], [a["cx"] + 1.3 * x * g.w, y0 + 0.2 * a["L"]]], "shadow", 90,
               2.5)
    neck_rib(c)
    hem_and_cuffs(c)
    return {"gathers": gathers}


def _sweater(c: Canvas, rnd: random.Random) -> dict:
    neck_rib(c)
    _turtle_fold(c)
    hem_and_cuffs(c, 0.04)
    return {}


def _turtle_fold(c: Canvas) -> None:
    a = c.g.a
    if "band_top" in a:
        y = a["band_top"] + 0.45 * (a["ny"] - a["band_top"])
        c.line([[a["cx"] - a["band_hw"], y], [a["cx"] + a["band_hw"], y]], "ink", 170, 1.5)


def _hoodie(c: Canvas, rnd: random.Random) -> dict:
    g, a = c.g, c.g.a
    cx, cy, hw, hh = a["cx"], a["hood_cy"], a["hood_hw"], a["hood_hh"]
    lining = np.zeros_like(c.layers["shadow"])
    cv2.ellipse(lining, (round(cx * 16), round((cy - 0.2 * hh) * 16)), (round(0.78 * hw * 16), round(0.75 * hh * 16)),
                0, 180, 360, 255, -1, cv2.LINE_AA, 4)
    c.layers["shadow"] = np.maximum(c.layers["shadow"], lining // 2)
    cv2.ellipse(c.layers["ink"], (round(cx * 16), round(cy * 16)), (round(hw * 16), round(hh * 16)), 0, 0, 360, 160,
                c.pen, cv2.LINE_AA, 4)
    y0 = a.get("neck_bottom", a["ny"] + 0.05 * a["L"])
    for s in (-1, 1):  # drawstrings
        x = cx + s * 0.035 * g.w
        c.line([[x, y0], [x + s * 0.004 * g.w, y0 + 0.16 * a["L"]]], "ink", 220, 1.5)
    _kangaroo_pocket(c)
    hem_and_cuffs(c, 0.04)
    _turtle_fold(c)
    return {}


def _kangaroo_pocket(c: Canvas) -> None:
    g, a = c.g, c.g.a
    top, bottom = a["waist_y"] + 0.02 * g.h, a["hem_y"] - 0.075 * g.h
    tw, bw = 0.13 * g.w, 0.17 * g.w
    pts = [[a["cx"] - tw, top], [a["cx"] + tw, top], [a["cx"] + bw, bottom], [a["cx"] - bw, bottom]]
    c.poly(pts, "shadow", 40)
    c.line(pts + pts[:1], "ink", 200)
    for s in (-1, 1):  # the slanted hand openings
        c.line([[a["cx"] + s * tw, top], [a["cx"] + s * (bw + 0.005 * g.w), top + 0.65 * (bottom - top)]], "ink",
               255, 1.5)


def _jacket(c: Canvas, rnd: random.Random) -> dict:
    g, a = c.g, c.g.a
    y0 = opening(c)
    buttons_column(c, a["cx"] + 0.03 * g.w, y0 + 0.03 * a["L"], a["hem_y"] - 0.07 * g.h, 5)
    for s in (-1, 1):
        patch_pocket(c, a["cx"] + (0.055 if s > 0 else -0.165) * g.w, a["ny"] + 0.22 * a["L"], 0.11, 0.075, True)
        c.dashed([[a["cx"] + s * 0.02 * g.w, a["ny"] + 0.17 * a["L"]], [a["cx"] + s * 0.2 * g.w,
                                                                          a["ny"] + 0.15 * a["L"]]])
    hem_and_cuffs(c, 0.045)
    return {}


def _blazer(c: Canvas, rnd: random.Random) -> dict:
    g, a = c.g, c.g.a
    if g.garment["neckline"] == "v_neck":
        lapels(c)
    y0 = opening(c)
    n = rnd.choice([1, 2, 3])
    buttons_column(c, a["cx"] + 0.012 * g.w, max(y0 + 0.03 * a["L"], a["waist_y"] - 0.05 * g.h),
                   a["waist_y"] + 0.04 * g.h * (n - 1), n, 0.014)
    for s in (-1, 1):  # flap pockets at the hips, a welt on the chest
        x = a["cx"] + s * 0.13 * g.w
        c.poly([[x - 0.06 * g.w, a["hip_y"] - 0.04 * g.h], [x + 0.06 * g.w, a["hip_y"] - 0.04 * g.h],
                [x + 0.06 * g.w, a["hip_y"] - 0.02 * g.h], [x - 0.06 * g.w, a["hip_y"] - 0.02 * g.h]], "lift", 170)
        c.line([[x - 0.06 * g.w, a["hip_y"] - 0.02 * g.h], [x + 0.06 * g.w, a["hip_y"] - 0.02 * g.h]], "ink", 220)
    c.line([[a["cx"] + 0.08 * g.w, a["ny"] + 0.3 * a["L"]], [a["cx"] + 0.16 * g.w, a["ny"] + 0.29 * a["L"]]], "ink",
           200, 1.5)
    hem_and_cuffs(c)
    return {"buttons": n}


def _coat(c: Canvas, rnd: random.Random) -> dict:
    g, a = c.g, c.g.a
    if g.garment["neckline"] == "v_neck":
        lapels(c)
    y0 = opening(c, 0.03)
    rows = rnd.choice([3, 4])
    for dx in (-0.04, 0.09):  # double-breasted
        buttons_column(c, a["cx"] + dx * g.w, max(y0, a["ny"] + 0.3 * a["L"]), a["waist_y"] + 0.02 * g.h, rows, 0.015)
    belt = rnd.random() < 0.4
    if belt:
        y = a["waist_y"] + 0.01 * g.h
        hw = float(np.interp(y, [a["waist_y"], a["hip_y"]], [a["waist"], a["hips"]]))
        band = [[a["cx"] - hw, y - 0.012 * g.h], [a["cx"] + hw, y - 0.012 * g.h], [a["cx"] + hw, y + 0.012 * g.h],
                [a["cx"] - hw, y + 0.012 * g.h]]
        c.poly(band, "lift", 150)
        c.line(band + band[:1], "ink", 200)
    for s in (-1, 1):
        x = a["cx"] + s * 0.14 * g.w
        c.line([[x - 0.03 * g.w, a["hip_y"]], [x + 0.02 * g.w, a["hip_y"] + 0.08 * g.h]], "ink", 220, 1.5)
    hem_and_cuffs(c)
    return {"belt": belt, "button_rows": rows}


def _dress(c: Canvas, rnd: random.Random) -> dict:
    g, a = c.g, c.g.a
    seam = rnd.random() < 0.6 and g.garment["fit"] != "loose"
    if seam:
        hw = a["waist"] - 0.004 * g.w
        c.line([[a["cx"] - hw, a["waist_y"]], [a["cx"] + hw, a["waist_y"]]], "ink", 170, 1.2)
    neck_rib(c)
    hem_and_cuffs(c)
    return {"waist_seam": seam}


def _waistband(c: Canvas) -> None:
    g, a = c.g, c.g.a
    y = a["top"] + 0.035 * g.h
    hw = a["hips"] - 0.02 * g.w
    c.line([[a["cx"] - hw, y], [a["cx"] + hw, y]], "ink", 200, 1.2)
    c.dashed([[a["cx"] - hw, y - 0.008 * g.h], [a["cx"] + hw, y - 0.008 * g.h]])


def _skirt(c: Canvas, rnd: random.Random) -> dict:
    g, a = c.g, c.g.a
    _waistband(c)
    pleats = 0 if g.garment["fit"] == "slim" else rnd.choice([0, 4, 6, 8])
    for u in np.linspace(-0.8, 0.8, pleats):
        top = a["top"] + 0.09 * g.h
        c.line([[a["cx"] + u * a["hips"] * 0.7, top], [a["cx"] + u * a["hem_hw"] * 0.9, a["hem_y"]]], "shadow", 110, 2)
    hem_and_cuffs(c)
    return {"pleats": pleats}


def _trousers(c: Canvas, rnd: random.Random) -> dict:
    g, a = c.g, c.g.a
    _waistband(c)
    cx, top, crotch = a["cx"], a["top"] + 0.035 * g.h, a["crotch_y"]
    c.line([[cx + 0.01 * g.w, top], [cx + 0.01 * g.w, crotch - 0.05 * g.h], [cx - 0.004 * g.w, crotch - 0.025 * g.h]],
           "ink", 200, 1.2)  # fly
    for s in (-1, 1):  # slanted front pockets
        c.line([[cx + s * (a["hips"] - 0.07 * g.w), top], [cx + s * (a["hips"] - 0.005 * g.w), top + 0.08 * g.h]],
               "ink", 220, 1.2)
        for x in (cx + s * 0.06 * g.w, cx + s * (a["hips"] - 0.04 * g.w)):  # belt loops
            c.line([[x, a["top"]], [x, top + 0.004 * g.h]], "ink", 160, 2)
    if g.category == "trousers":
        for side in ("right", "left"):
            k = g.kp[f"{side}_knee"]
            c.line([[k[0], crotch + 0.02 * g.h], [k[0], a["hem_y"] - 0.01 * g.h]], "lift", 120)  # pressed crease
    for side in ("right", "left"):
        c.dashed(g.paths[f"{side}_outseam"] + np.array([0.012 * g.w * (1 if side == "right" else -1), 0]))
    hem_and_cuffs(c, 0.03 if g.category == "shorts" else 0.0)
    return {}


CUES: dict[str, Callable[[Canvas, random.Random], dict]] = {
    "tshirt": _tshirt, "shirt": _shirt, "polo": _polo, "blouse": _blouse, "sweater": _sweater, "hoodie": _hoodie,
    "jacket": _jacket, "coat": _coat, "blazer": _blazer, "dress": _dress, "skirt": _skirt, "trousers": _trousers,
    "shorts": _trousers,
}


def draw_details(shape: Shape, base_rgb: tuple[int, int, int], rnd: random.Random) -> Details:
    """The category's cues for `shape`, clipped to its silhouette, at the output size."""
    c = Canvas(shape.geom)
    params = CUES[shape.geom.category](c, rnd)
    if shape.geom.garment["neckline"] == "collared":
        collar(c)
    if shape.geom.garment["neckline"] == "turtleneck" and shape.geom.category not in ("sweater", "hoodie"):
        _turtle_fold(c)
    out = {name: downsample(np.minimum(layer, shape.mask)) for name, layer in c.layers.items()}
    rgb = BUTTONS.get(shape.geom.category) or _tonal(base_rgb)
    return Details(**out, button_rgb=rgb, params=params)


def _tonal(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """A button a shade off the cloth: lighter on dark cloth, darker on light cloth."""
    lum = 0.3 * rgb[0] + 0.59 * rgb[1] + 0.11 * rgb[2]
    if lum < 110:
        return tuple(int(v * 0.5 + 235 * 0.5) for v in rgb)
    return tuple(int(v * 0.72) for v in rgb)
