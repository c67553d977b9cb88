"""The garment renderer: a complete garment -> an RGBA sprite on its family's canvas, the generator's ground truth.

    render_garment(garment, seed, size) -> Render(rgba, silhouette, cover, sheen, params)
    silhouette_only(garment, size) -> bool mask (what the alpha-mask IoU metric compares against)
    sample_garment(rnd) -> a random complete garment
    write_garments(out_dir, n, seed, size) writes 00000.png (RGBA) + 00000.json pairs

The garment's parts sit on models.schema.TEMPLATE_KEYPOINTS (silhouettes.py); on top come a print pattern
(patterns.py), category details (details.py), shading (shading.py) and a material (materials.py). Shading
and texture are normalised to mean 1 and the result's mean is pinned to the flat pattern's mean, so a solid
garment's average colour is its palette colour. Deterministic for (garment, seed).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from edge_app.garments import complete_garment
from models.schema import GARMENT_SLOTS, PALETTE, VALUES, garment_templates
from trainer.data.details import Details, draw_details
from trainer.data.materials import Context, Look, material_look
from trainer.data.patterns import Layout, pattern_rgb
from trainer.data.shading import Marks, edge_distance, garment_shading
from trainer.data.silhouettes import SUPERSAMPLE, Shape, build_shape, downsample
from trainer.data.style import StyleRandom

DEFAULT_SIZE = (256, 192)  # (height, width): 2x models.schema.SPRITE_SIZE
SHADE_ADD = 25.0  # shading also adds/subtracts a little light, so black cloth shows its folds


@dataclass
class Render:
    rgba: np.ndarray  # uint8 (H, W, 4), straight alpha; RGB 0 where alpha is 0
    silhouette: np.ndarray  # bool (H, W): the garment's shape before any translucency
    cover: np.ndarray  # float32 (H, W) in [0, 1]: the print's secondary-colour share, before shading and material
    sheen: np.ndarray  # float32 (H, W) in [0, 1]: the material's blend towards white (Look.sheen; 0 for matt cloth)
    params: dict  # the random choices (pattern, material, folds, details), JSON-serialisable


def _check(garment: dict, size: tuple[int, int]) -> None:
    missing = [k for k in GARMENT_SLOTS if k not in garment]
    if missing:
        raise ValueError(f"garment lacks {missing}; complete it with edge_app.garments.complete_garment first")
    for key in ("category", "color", "pattern", "material"):
        if garment[key] not in VALUES[key]:
            raise ValueError(f"garment {key}={garment[key]!r} is not one of: {', '.join(VALUES[key])}")
    h, w = size
    if h < 32 or w < 24 or abs(h * 3 - w * 4) > 4:
        raise ValueError(f"size is (height, width) with a 4:3 aspect and at least (32, 24), got {size}")


def silhouette_only(garment: dict, size: tuple[int, int] = DEFAULT_SIZE) -> np.ndarray:
    """The garment's shape (bool H x W), from category, sleeve, neckline, length and fit alone."""
    _check(garment, size)
    return downsample(build_shape(garment, size).mask) >= 0.5


def render_garment(garment: dict, seed: int, size: tuple[int, int] = DEFAULT_SIZE,
                   style: Sequence[float] | None = None) -> Render:
    """Draw a complete garment (every GARMENT_SLOTS key, as complete_garment returns) at `size` (height, width).

    With `style` (values in [0, 1)), the pattern and detail choices are read from it first and the folds from its
    end (style.py), which is how generator training pairs are made; a material's texture is its swatch
    (materials.py), the same on every garment.
    """
    _check(garment, size)
    rnd = random.Random(seed) if style is None else StyleRandom(style, seed)
    folds = rnd if style is None else StyleRandom(list(style)[::-1], seed)  # the folds read the style from its end
    shape = build_shape(garment, size)
    cov = downsample(shape.mask)
    sil = cov >= 0.5
    lay = _layout(shape, cov)
    primary = PALETTE[garment["color"]]
    secondary = PALETTE.get(garment["secondary_color"] or "", None)
    base, cover, pattern_params = pattern_rgb(garment["pattern"], lay, primary, secondary, rnd)
    details = draw_details(shape, primary, rnd)
    dist = edge_distance(sil)
    lit = garment_shading(sil, dist, lay, _marks(shape), folds)
    look = material_look(garment["material"], Context(lay.h, lay.w, sil, dist, lit.shade, lit.n_dot_h))
    rgb = _paint(base, lit.shade, look, details, sil)
    alpha = _alpha(cov, look)
    rgba = np.dstack([np.where(alpha[..., None] > 0, rgb, 0), alpha]).astype(np.uint8)
    params = {"pattern": pattern_params, "material": look.params, "shading": lit.params, "details": details.params}
    sheen = look.sheen if look.sheen is not None else np.zeros(sil.shape, np.float32)
    return Render(rgba, sil, cover, sheen.astype(np.float32), _jsonable(params))


def _paint(base: np.ndarray, shade: np.ndarray, look: Look, details: Details, sil: np.ndarray) -> np.ndarray:
    lum = (1.0 + look.shade_gain * (shade - 1.0)) * look.texture
    lum *= (1.0 - 0.5 * details.ink) * (1.0 - 0.22 * details.shadow) * (1.0 + 0.1 * details.lift)
    lum /= float(lum[sil].mean()) if sil.any() else 1.0
    rgb = base * lum[..., None] + SHADE_ADD * (lum - 1.0)[..., None]
    for coverage, colour in look.flecks:
        rgb += (np.asarray(colour, np.float32) - rgb) * coverage[..., None]
    if look.sheen is not None:
        rgb += (255.0 - rgb) * look.sheen[..., None]
    stitch = np.asarray(look.stitch_rgb, np.float32) if look.stitch_rgb else rgb * 0.72
    rgb += (stitch - rgb) * (0.85 * details.stitch)[..., None]
    button = np.asarray(details.button_rgb, np.float32) * shade[..., None]
    rgb += (button - rgb) * details.buttons[..., None]
    if look.blur > 0:
        rgb = cv2.GaussianBlur(rgb, (0, 0), look.blur)
    return _match_mean(rgb, base, sil)


def _match_mean(rgb: np.ndarray, base: np.ndarray, sil: np.ndarray) -> np.ndarray:
    """Per channel, pin the garment's mean colour to the flat pattern's, never clipping.

    A channel that came out too bright is scaled towards 0; one too dark has its distance to 255 scaled,
    so highlights near white stay below it. Either way the mean lands exactly on the target.
    """
    rgb = np.clip(rgb, 0.0, 255.0)
    if not sil.any():
        return np.round(rgb)
    target = base[sil].mean(axis=0)
    mean = rgb[sil].mean(axis=0)
    darken = target / np.maximum(mean, 1e-3)
    lighten = (255.0 - target) / np.maximum(255.0 - mean, 1e-3)
    out = np.where(target <= mean, rgb * darken, 255.0 - (255.0 - rgb) * lighten)
    return np.clip(np.round(out), 0, 255)


def _alpha(cov: np.ndarray, look: Look) -> np.ndarray:
    if look.edge_soft > 0:  # fuzzy fabric: soften the edge without moving it
        cov = np.minimum(cov, cv2.GaussianBlur(cov, (0, 0), look.edge_soft) * 1.6)
    if look.opacity is not None:
        cov = cov * look.opacity
    return np.round(np.clip(cov, 0.0, 1.0) * 255)


def _layout(shape: Shape, cov: np.ndarray) -> Layout:
    g, s = shape.geom, float(SUPERSAMPLE)
    rows = np.flatnonzero(cov.max(axis=1) > 0)
    h, w = cov.shape
    if g.family == "upper":
        at, size = (g.a["cx"], g.a["ny"] + 0.32 * g.a["L"]), 0.3 * g.w
    elif g.family == "full":
        at, size = (g.a["cx"], g.a["ny"] + 0.34 * g.a["L"]), 0.26 * g.w
    elif g.category == "skirt":
        at, size = (g.a["cx"], g.a["hip_y"] + 0.14 * g.h), 0.28 * g.w
    else:  # on the right thigh of trousers and shorts
        at, size = (float(g.kp["right_knee"][0]) + 0.01 * g.w, g.a["crotch_y"] + 0.04 * g.h), 0.13 * g.w
    return Layout(h, w, g.family, g.a["cx"] / s, float(rows[0]), float(rows[-1]), (at[0] / s, at[1] / s), size / s,
                  downsample(shape.sleeves))


def _marks(shape: Shape) -> Marks:
    g, s = shape.geom, float(SUPERSAMPLE)
    if g.family == "lower":
        crotch = (g.a["cx"] / s, g.a["crotch_y"] / s) if g.category != "skirt" else None
        return Marks([], crotch, (g.a["top"] + 0.1 * g.h) / s)
    armpits = []
    if g.garment["sleeve"] not in (None, "sleeveless"):
        y = (g.a["ay"] + 0.02 * g.h) / s
        armpits = [((g.a["cx"] - g.a["chest"]) / s, y), ((g.a["cx"] + g.a["chest"]) / s, y)]
    fold_top = g.a["waist_y"] if g.family == "full" else g.a["ay"]
    return Marks(armpits, None, fold_top / s)


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    return x


def sample_garment(rnd: random.Random) -> dict:
    """A frame drawn uniformly over categories and attribute values, completed as the app completes it."""
    frame = {slot: rnd.choice(VALUES[slot]) for slot in GARMENT_SLOTS if slot != "secondary_color"}
    frame["secondary_color"] = rnd.choice([c for c in VALUES["secondary_color"] if c != frame["color"]])
    garment, _ = complete_garment(frame, garment_templates())
    return garment


def write_garments(out_dir: str | Path, n: int, seed: int, size: tuple[int, int] = DEFAULT_SIZE,
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Write n random garments as 00000.png (RGBA) + 00000.json ({"garment", "seed", "params"}); returns n.

    `progress(done, total)` is called every 100 garments and at the end.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    for i in range(n):
        garment = sample_garment(rnd)
        item_seed = rnd.randrange(2**31)
        render = render_garment(garment, item_seed, size)
        Image.fromarray(render.rgba, "RGBA").save(out / f"{i:05d}.png", compress_level=1)
        meta = {"garment": garment, "seed": item_seed, "size": list(size), "params": render.params}
        (out / f"{i:05d}.json").write_text(json.dumps(meta), encoding="utf-8")
        if progress is not None and ((i + 1) % 100 == 0 or i + 1 == n):
            progress(i + 1, n)
    return n
