"""Lay a fitted garment over the camera frame: light and folds from the person's own image, a soft alpha blend."""

from __future__ import annotations

import cv2
import numpy as np

from edge_app.fit import Fitted

SHADE_STRENGTH = 0.45  # exponent on the frame's relative brightness: 0 ignores it, 1 copies it
BLUR = 5.0  # pixels (Gaussian sigma): broad folds and light pass, badges and seams of their own clothes do not
SHADE_RANGE = (0.6, 1.3)  # the shading factor is clipped here, so a logo or a dark belt cannot black out cloth


def shading_from_frame(patch: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """(h, w) factor around 1: the person's brightness under the garment relative to its mean there, blurred so
    folds and light come through while the print of the clothes they wear does not."""
    gray = cv2.cvtColor(patch, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    # blurred at half size: the blur is broad anyway, and it costs a quarter
    half = cv2.resize(gray, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA).astype(np.float32)
    lum = cv2.resize(cv2.GaussianBlur(half, (0, 0), BLUR / 2), (w, h), interpolation=cv2.INTER_LINEAR)
    weight = alpha.sum()
    mean = float((lum * alpha).sum() / weight) if weight > 1e-3 else float(lum.mean())
    relative = lum / max(mean, 1.0)
    return np.clip(relative ** SHADE_STRENGTH, *SHADE_RANGE)


def composite(frame: np.ndarray, fitted: Fitted, shade: bool = True) -> np.ndarray:
    """A copy of `frame` (H, W, 3) uint8 RGB with the garment drawn in its box."""
    out = frame.copy()
    x0, y0, x1, y1 = fitted.box
    patch = frame[y0:y1, x0:x1]
    rgb = fitted.rgb
    if shade:
        rgb = rgb * shading_from_frame(patch, fitted.alpha)[..., None]
    a = fitted.alpha[..., None]
    out[y0:y1, x0:x1] = np.clip(patch * (1 - a) + rgb * a, 0, 255).astype(np.uint8)
    return out
