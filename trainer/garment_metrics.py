"""Generator quality without downloads (DESIGN.md, "Quality without downloads").

FID and LPIPS need weights from the internet, so sprites are judged by what can be computed here:
the colour asked vs the colour drawn (CIEDE2000), the alpha mask vs the renderer's silhouette (IoU),
student vs teacher (SSIM and per-pixel ΔE), and the cost of one forward (MACs and parameters).

Sprites are RGBA uint8, (H, W, 4), straight (not premultiplied) alpha; a pixel is part of the garment
when its alpha is at least `OPAQUE`. numpy and scikit-image only; torch is imported inside `count_macs`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
from skimage.color import deltaE_ciede2000, rgb2lab
from skimage.metrics import structural_similarity

if TYPE_CHECKING:
    import torch
    from torch import nn

OPAQUE = 128  # alpha at or above this is garment; below is background
BACKGROUND = (128, 128, 128)  # what `mean_delta_e` composites onto; see there


def _check_sprite(rgba: np.ndarray) -> np.ndarray:
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError(f"a sprite is an (H, W, 4) uint8 RGBA array, got {rgba.shape} {rgba.dtype}")
    return rgba


def opaque_mask(rgba_or_alpha: np.ndarray) -> np.ndarray:
    """(H, W) bool: alpha >= OPAQUE. Takes an (H, W, 4) uint8 sprite, an (H, W) uint8 alpha or an (H, W) bool mask."""
    a = np.asarray(rgba_or_alpha)
    if a.ndim == 3:
        a = _check_sprite(a)[..., 3]
    if a.ndim != 2:
        raise ValueError(f"expected an (H, W, 4) sprite or an (H, W) alpha, got shape {a.shape}")
    if a.dtype == np.bool_:
        return a
    if a.dtype != np.uint8:
        raise ValueError(f"alpha must be uint8 (0-255) or bool, got {a.dtype}; convert float output with "
                         "np.clip(x * 255 + 0.5, 0, 255).astype(np.uint8)")
    return a >= OPAQUE


def _lab(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) sRGB 0-255 -> (..., 3) CIE Lab (D65)."""
    return rgb2lab(np.asarray(rgb, dtype=np.float64) / 255.0)


def garment_colour(rgba: np.ndarray) -> np.ndarray:
    """The colour a sprite shows: per-channel median in CIE Lab over its opaque pixels, shape (3,).

    The median, not the mean: the renderer and the generator shade folds, seams, highlights and fabric
    texture, so a solid garment is its colour on most pixels and something darker or lighter on a
    minority. The median ignores that minority entirely (up to half the pixels), where a mean drifts
    towards the shadows and would charge the generator for drawing folds.
    """
    rgba = _check_sprite(rgba)
    mask = opaque_mask(rgba)
    if not mask.any():
        raise ValueError(f"sprite has no opaque pixels (alpha >= {OPAQUE}), so it has no colour")
    return np.median(_lab(rgba[..., :3][mask]), axis=0)


def colour_error(rgba: np.ndarray, rgb: tuple[int, int, int] | np.ndarray) -> float:
    """CIEDE2000 between the sprite's garment colour and the asked sRGB colour (0-255), for solid garments.

    About 1 is the threshold of a visible difference; the generator student's target is a median of 5 or less.
    """
    return float(deltaE_ciede2000(garment_colour(rgba), _lab(np.asarray(rgb))))


def mask_iou(rgba_or_alpha: np.ndarray, silhouette: np.ndarray) -> float:
    """IoU of the sprite's opaque pixels with a boolean silhouette of the same (H, W); 1.0 when both are empty."""
    mask = opaque_mask(rgba_or_alpha)
    silhouette = np.asarray(silhouette, dtype=bool)
    if mask.shape != silhouette.shape:
        raise ValueError(f"mask {mask.shape} and silhouette {silhouette.shape} differ in size")
    union = np.logical_or(mask, silhouette).sum()
    return float(np.logical_and(mask, silhouette).sum() / union) if union else 1.0


def _check_pair(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = _check_sprite(a), _check_sprite(b)
    if a.shape != b.shape:
        raise ValueError(f"sprites differ in size: {a.shape} and {b.shape}")
    return a, b


def premultiplied(rgba: torch.Tensor) -> torch.Tensor:
    """RGBA (N, 4, H, W) floats in [0, 1] as seen: colours times alpha (a clear pixel is black whatever its colour
    says), alpha kept. What the generator's L1 (trainer.gan.sprite_l1) and the attribute classifier read."""
    import torch

    return torch.cat([rgba[:, :3] * rgba[:, 3:], rgba[:, 3:]], dim=1)


def _premultiplied(rgba: np.ndarray) -> np.ndarray:
    """(H, W, 3) float in [0, 1]: RGB times alpha, so a transparent pixel is black whatever its RGB says."""
    x = rgba.astype(np.float64) / 255.0
    return x[..., :3] * x[..., 3:]


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """SSIM of two sprites over alpha-premultiplied RGB, so a garment pixel against background counts.

    Gaussian 11x11 window, sigma 1.5, population covariance: the settings of Wang et al. (2004).
    Sprites must be at least 11 pixels on each side.
    """
    a, b = _check_pair(a, b)
    return float(structural_similarity(_premultiplied(a), _premultiplied(b), channel_axis=-1, data_range=1.0,
                                       gaussian_weights=True, sigma=1.5, use_sample_covariance=False))


def _composite(rgba: np.ndarray, background: tuple[int, int, int]) -> np.ndarray:
    """(H, W, 3) sRGB 0-255 of the sprite drawn over a flat background."""
    x = rgba.astype(np.float64)
    alpha = x[..., 3:] / 255.0
    return x[..., :3] * alpha + np.asarray(background, dtype=np.float64) * (1.0 - alpha)


def mean_delta_e(a: np.ndarray, b: np.ndarray, background: tuple[int, int, int] = BACKGROUND) -> float:
    """Mean per-pixel CIEDE2000 of two sprites (student vs teacher) over the union of their opaque masks.

    Straight alpha leaves a transparent pixel's RGB undefined, so both sprites are first composited over
    `background`: a pixel one sprite draws and the other leaves empty then costs the distance from the
    drawn colour to the background. Mid-gray sits between the palette's black and white, so that cost is
    large for most colours (mask disagreement on its own is `mask_iou`'s job). 0.0 when both are empty.
    """
    a, b = _check_pair(a, b)
    union = opaque_mask(a) | opaque_mask(b)
    if not union.any():
        return 0.0
    lab_a, lab_b = _lab(_composite(a, background)[union]), _lab(_composite(b, background)[union])
    return float(np.mean(deltaE_ciede2000(lab_a, lab_b)))


def count_macs(model: nn.Module, inputs: Mapping[str, torch.Tensor]) -> int:
    """Multiply-accumulates of one forward `model(**inputs)`, counted by torch's FlopCounterMode (FLOPs / 2).

    Counts matmuls and convolutions (groups included, so depthwise convs are cheap); elementwise ops,
    norms and activations are not counted, as is usual when comparing MACs. Runs in eval mode, no grad.
    """
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    was_training = model.training
    model.eval()
    try:
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            model(**inputs)
    finally:
        model.train(was_training)
    return counter.get_total_flops() // 2


def count_parameters(model: nn.Module) -> int:
    """Number of parameters (trainable or not); buffers such as BatchNorm statistics are not counted."""
    return sum(p.numel() for p in model.parameters())


def summarise(values: Iterable[float]) -> dict[str, float]:
    """median, mean and 90th percentile of a metric over a set, as the bench tables print them."""
    x = np.asarray(list(values), dtype=np.float64)
    if x.size == 0:
        raise ValueError("nothing to summarise: no values")
    return {"median": float(np.median(x)), "mean": float(np.mean(x)), "p90": float(np.percentile(x, 90))}
