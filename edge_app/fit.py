"""Fit a garment sprite to a body: bone transforms, blended per pixel, and one remap.

The sprite's template (models/schema.py, in the bundle) and the body share keypoint names. Each garment family has
"cores" (the torso between shoulders and hips, the skirt between hips and knees) mapped by an affine fitted to their
four keypoints, and "limbs" (upper arm, forearm, thigh, shin) mapped by a rotation and scale along the bone. For
every frame pixel near the body the template position is a blend of each bone's inverse transform, weighted by
how close the pixel is to that bone in the frame: a smooth warp that bends sleeves and trouser legs with the arms
and legs and keeps the torso whole (an inverse linear-blend skinning). It is evaluated on a coarse grid and
resized, so a frame costs one `cv2.remap` of the garment's box.

Width follows the person: the torso is widened or narrowed until the garment is as wide as the person's mask at
the chest, times the ease of its `fit`. Forearms and hands, wherever they are, take their garment from the arm
bones only, so a hand in front of the torso is drawn over a shirt, and a long sleeve over it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from edge_app.pose import NAMES, Body

EASE = {"slim": 1.0, "regular": 1.06, "loose": 1.16}  # garment width over body width at the chest
GRID = 6  # pixels between the evaluated points of the warp (it is smooth: resized up, it loses nothing)
SOFTNESS = 0.1  # width of the blend between neighbouring bones, as a share of the body's shoulder width
CORES: dict[str, tuple[tuple[str, str, str, str], ...]] = {  # (top right, top left, bottom right, bottom left)
    "upper": (("right_shoulder", "left_shoulder", "right_hip", "left_hip"),),
    "full": (("right_shoulder", "left_shoulder", "right_hip", "left_hip"),
             ("right_hip", "left_hip", "right_knee", "left_knee")),
    "lower": (("right_hip", "left_hip", "right_knee", "left_knee"),),
}
ARMS = (("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"), ("left_shoulder", "left_elbow"),
        ("left_elbow", "left_wrist"))
LEGS = (("right_hip", "right_knee"), ("right_knee", "right_ankle"), ("left_hip", "left_knee"),
        ("left_knee", "left_ankle"))
FOREARMS = (("right_elbow", "right_wrist"), ("left_elbow", "left_wrist"))
SPLIT_LEGS = ("trousers", "shorts")  # skirts and dresses hang from the hips as one piece


@dataclass(frozen=True)
class Fitted:
    """The garment in frame coordinates, for its box only: colour, alpha, and where the box sits."""

    rgb: np.ndarray  # (h, w, 3) float32 0..255
    alpha: np.ndarray  # (h, w) float32 in [0, 1]
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the frame


def _affine(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares 3x3 affine taking points src (N, 2) to dst (N, 2), N >= 3."""
    a = np.hstack([src, np.ones((len(src), 1))])
    m, *_ = np.linalg.lstsq(a, dst, rcond=None)  # (3, 2)
    return np.vstack([m.T, [0, 0, 1]])


def _apply(m: np.ndarray, points: np.ndarray) -> np.ndarray:
    return points @ m[:2, :2].T + m[:2, 2]


def body_keypoints(body: Body, template: dict[str, tuple[float, float]], family: str) -> dict[str, np.ndarray]:
    """Frame position of every template keypoint: the body's where it shows it, else the template's carried by an
    affine fitted on the core keypoints the body does show (a waist-up shot still gets knees for a dress)."""
    shown = [k for k in template if k in NAMES and body.usable(k)]
    core = [k for k in CORES[family][0] if k in shown]
    fit_on = core if len(core) >= 3 else shown
    m = _affine(np.array([template[k] for k in fit_on]), np.array([body.point(k) for k in fit_on]))
    return {k: (body.point(k).astype(np.float64) if k in shown else _apply(m, np.array([template[k]]))[0])
            for k in template}


def _across(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """Unit vector across a core, perpendicular to its spine from `top` to `bottom` midpoints."""
    spine = bottom - top
    return np.array([-spine[1], spine[0]]) / (np.linalg.norm(spine) + 1e-6)


def _core(names, template, body_points, widen: float) -> tuple[np.ndarray, np.ndarray]:
    """One core: (frame -> template 3x3, its quad in the frame), both widened across its spine.

    The transform is the affine of its four keypoints; the quad (top right, top left, bottom left, bottom right)
    is where its bone weight is full."""
    src = np.array([template[k] for k in names])
    dst = np.array([body_points[k] for k in names])
    top, bottom = dst[:2].mean(0), dst[2:].mean(0)
    u = _across(top, bottom)
    centre = (top + bottom) / 2
    stretch = np.eye(2) + (widen - 1) * np.outer(u, u)  # scale by `widen` along u only
    widen_m = np.eye(3)
    widen_m[:2, :2], widen_m[:2, 2] = stretch, centre - stretch @ centre
    return np.linalg.inv(widen_m @ _affine(src, dst)), _apply(widen_m, dst[[0, 1, 3, 2]])


def _limb_transform(a: str, b: str, template, body_points, across_scale: float) -> np.ndarray:
    """Frame -> template 3x3 for one limb: the body bone onto the template bone, its width scaled like the torso."""
    ta, tb = np.array(template[a]), np.array(template[b])
    ba, bb = body_points[a], body_points[b]
    t_dir, b_dir = tb - ta, bb - ba
    t_len, b_len = np.linalg.norm(t_dir) + 1e-6, np.linalg.norm(b_dir) + 1e-6
    t_u, b_u = t_dir / t_len, b_dir / b_len
    t_basis = np.stack([t_u, [-t_u[1], t_u[0]]], axis=1)  # columns: along, across (template)
    b_basis = np.stack([b_u, [-b_u[1], b_u[0]]], axis=1)
    scale = np.diag([t_len / b_len, 1 / across_scale])
    m = t_basis @ scale @ b_basis.T
    out = np.eye(3)
    out[:2, :2], out[:2, 2] = m, ta - m @ ba
    return out


def _quad_distance(points: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Distance from points (P, 2) to the quadrilateral quad (4, 2) in order around it: 0 inside."""
    edges = [(quad[i], quad[(i + 1) % 4]) for i in range(4)]
    crosses = np.stack([(b[0] - a[0]) * (points[:, 1] - a[1]) - (b[1] - a[1]) * (points[:, 0] - a[0])
                        for a, b in edges], axis=1)  # (P, 4) which side of each edge
    inside = (crosses >= 0).all(1) | (crosses <= 0).all(1)
    distance = np.min(np.stack([_segment_distance(points, a, b) for a, b in edges], axis=1), axis=1)
    return np.where(inside, 0.0, distance)


def _segment_distance(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance from points (P, 2) to the segment a-b. Elementwise on purpose: a (P, 2) @ (2,) product goes
    through BLAS, whose threads cost more than the sum on a phone-class CPU."""
    (ax, ay), (bx, by) = a, b
    dx, dy, px, py = bx - ax, by - ay, points[:, 0] - ax, points[:, 1] - ay
    t = np.clip((px * dx + py * dy) / (dx * dx + dy * dy + 1e-6), 0, 1)
    return np.hypot(px - t * dx, py - t * dy)


def chest_width(mask: np.ndarray | None, right: np.ndarray, left: np.ndarray, down: np.ndarray) -> float | None:
    """Width of the person's mask across the chest line (through the shoulders, moved `down`), in pixels."""
    if mask is None:
        return None
    centre, u = (right + left) / 2 + down, (left - right) / (np.linalg.norm(left - right) + 1e-6)
    span = 1.5 * np.linalg.norm(left - right)
    steps = np.linspace(-span, span, 96)
    xy = np.rint(centre + steps[:, None] * u).astype(int)
    h, w = mask.shape
    inside = (xy[:, 0] >= 0) & (xy[:, 0] < w) & (xy[:, 1] >= 0) & (xy[:, 1] < h)
    on = np.zeros(len(steps), bool)
    on[inside] = mask[xy[inside, 1], xy[inside, 0]] > 0.5
    if not on.any() or not on[len(steps) // 2]:
        return None  # the chest line misses the person: no measurement, keep the keypoint width
    lo, hi = len(steps) // 2, len(steps) // 2
    while lo > 0 and on[lo - 1]:
        lo -= 1
    while hi < len(steps) - 1 and on[hi + 1]:
        hi += 1
    return float(steps[hi] - steps[lo])


def _sprite_width(alpha: np.ndarray, right: tuple[float, float], left: tuple[float, float], down: float) -> float:
    """Width of the sprite's garment on its template's chest row, in sprite pixels."""
    row = int(np.clip(round((right[1] + left[1]) / 2 + down), 0, alpha.shape[0] - 1))
    cols = np.flatnonzero(alpha[row] > 127)
    return float(cols[-1] - cols[0] + 1) if len(cols) else abs(left[0] - right[0])


def _widen(sprite, body: Body, body_points, family: str) -> float:
    """How much wider than the keypoint affine the torso must be to match the person and the garment's fit."""
    if family == "lower":
        return 1.0
    tr, tl, tbr, tbl = (sprite.keypoints[k] for k in CORES[family][0])
    t_down = 0.3 * ((tbr[1] + tbl[1]) / 2 - (tr[1] + tl[1]) / 2)
    br, bl = body_points["right_shoulder"], body_points["left_shoulder"]
    b_down = 0.3 * ((body_points["right_hip"] + body_points["left_hip"]) / 2 - (br + bl) / 2)
    measured = chest_width(body.mask, br, bl, b_down)
    if measured is None:
        return 1.0
    scale = np.linalg.norm(bl - br) / (abs(tl[0] - tr[0]) + 1e-6)  # sprite px -> frame px across the shoulders
    drawn = _sprite_width(sprite.rgba[..., 3], tr, tl, t_down) * scale
    return float(np.clip(measured * EASE.get(sprite.garment.get("fit"), 1.0) / drawn, 0.7, 1.5))


def _bones(sprite, body_points: dict, widen: float) -> tuple[list[np.ndarray], list[np.ndarray], list[bool]]:
    """(frame -> template transforms, their frame shapes, which are arm bones) for the sprite's family.

    A shape is a core's quad (4, 2), widened like its transform, or a limb's segment (2, 2)."""
    family, template = sprite.family, sprite.keypoints
    transforms, segments, is_arm = [], [], []
    for names in CORES[family]:
        transform, quad = _core(names, template, body_points, widen)
        transforms.append(transform)
        segments.append(quad)
        is_arm.append(False)
    first = CORES[family][0]
    across = widen * np.linalg.norm(body_points[first[0]] - body_points[first[1]]) / (
        np.linalg.norm(np.subtract(template[first[0]], template[first[1]])) + 1e-6)
    limbs = (ARMS if family != "lower" else ()) + (LEGS if sprite.garment.get("category") in SPLIT_LEGS else ())
    for a, b in limbs:
        transforms.append(_limb_transform(a, b, template, body_points, across))
        segments.append(np.array([body_points[a], body_points[b]]))
        is_arm.append((a, b) in ARMS)
    return transforms, segments, is_arm


def _shape_distance(points: np.ndarray, shape: np.ndarray) -> np.ndarray:
    return _quad_distance(points, shape) if len(shape) == 4 else _segment_distance(points, shape[0], shape[1])


def _forearm_mask(points: np.ndarray, body: Body, width: float) -> np.ndarray:
    """Which grid points lie on a forearm or hand the body shows (the bone carried on half a forearm further)."""
    on = np.zeros(len(points), bool)
    for a, b in FOREARMS:
        if body.usable(a) and body.usable(b):
            ea, eb = body.point(a).astype(np.float64), body.point(b).astype(np.float64)
            on |= _segment_distance(points, ea, eb + 0.5 * (eb - ea)) < width
    return on


def _body_scale(body_points: dict, family: str) -> float:
    """A length that grows with the person on screen: the core's top width or half its height, the larger."""
    tr, tl, br, bl = (body_points[k] for k in CORES[family][0])
    return float(max(np.linalg.norm(tl - tr), 0.5 * np.linalg.norm((br + bl) / 2 - (tr + tl) / 2), 1.0))


def fit_sprite(sprite, body: Body, frame_size: tuple[int, int]) -> Fitted | None:
    """The sprite warped onto `body` for a frame of `frame_size` (height, width); None if it falls outside."""
    body_points = body_keypoints(body, sprite.keypoints, sprite.family)
    transforms, segments, is_arm = _bones(sprite, body_points, _widen(sprite, body, body_points, sprite.family))
    scale = _body_scale(body_points, sprite.family)
    box = _box(np.array(list(body_points.values())), 0.35 * scale, frame_size)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    gx, gy = np.meshgrid(_grid_axis(x0, x1), _grid_axis(y0, y1))
    points = np.stack([gx.ravel(), gy.ravel()], axis=1)  # (P, 2) frame pixels
    weights = np.stack([np.exp(-(_shape_distance(points, shape) / (SOFTNESS * scale)) ** 2) + (0 if arm else 1e-4)
                        for shape, arm in zip(segments, is_arm, strict=True)], axis=1)  # (P, bones)
    weights[_forearm_mask(points, body, 0.22 * scale)] *= np.array(is_arm, float)  # hands wear sleeves only
    total = weights.sum(1, keepdims=True)  # (P, 1)
    mapped = np.stack([_apply(t, points) for t in transforms], axis=1)  # (P, bones, 2) template pixels
    uv = (weights[..., None] * mapped).sum(1) / np.maximum(total, 1e-12)  # (P, 2)
    uv[total[:, 0] < 1e-8] = -1000  # nothing to wear here (a hand over trousers): off the sprite, transparent
    full = cv2.resize(uv.reshape(*gx.shape, 2).astype(np.float32), (x1 - x0, y1 - y0),
                      interpolation=cv2.INTER_LINEAR)  # (h, w, 2) template pixels for every frame pixel of the box
    warped = cv2.remap(sprite.rgba, full[..., 0], full[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                       borderValue=0)
    alpha = cv2.GaussianBlur(warped[..., 3].astype(np.float32) / 255, (5, 5), 0)  # feathered edge
    return Fitted(warped[..., :3].astype(np.float32), alpha, box)


def _grid_axis(start: int, stop: int) -> np.ndarray:
    """Coarse sample positions that cv2.resize (half-pixel centres) stretches back onto start..stop exactly."""
    n = max(2, -(-(stop - start) // GRID))
    return start + (np.arange(n) + 0.5) * (stop - start) / n - 0.5


def _box(points: np.ndarray, margin: float, frame_size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    h, w = frame_size
    x0, y0 = np.floor(points.min(0) - margin).astype(int)
    x1, y1 = np.ceil(points.max(0) + margin).astype(int)
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    return (int(x0), int(y0), int(x1), int(y1)) if x1 - x0 >= 2 and y1 - y0 >= 2 else None
