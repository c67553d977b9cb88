"""Generated sprites against what was asked: the numbers training, export validation and the benchmark share.

    delta_e   median CIEDE2000 between asked palette colour and produced colour, over solid garments
    iou       mean alpha-mask IoU against the renderer's silhouette for the same garment
    attr_acc  mean accuracy of the attribute classifier (trained on rendered sprites) on the generated ones
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.schema import PALETTE, SPRITE_SIZE
from trainer.garment_metrics import colour_error, mask_iou, mean_delta_e, ssim

CLASSIFIER = "attribute_classifier.pt"  # kept in the generator's run folder


def to_rgba_uint8(sprites: np.ndarray) -> np.ndarray:
    """Generator output (N, 4, H, W) floats in [0, 1] -> (N, H, W, 4) uint8."""
    return (np.clip(sprites, 0, 1).transpose(0, 2, 3, 1) * 255 + 0.5).astype(np.uint8)


def sprite_quality(sprites: np.ndarray, garments: list[dict], classifier_path: Path | None = None) -> dict:
    """sprites (N, H, W, 4) uint8 for `garments` -> {"delta_e", "iou", "attr_acc"} (attr_acc None without one)."""
    from trainer.data.garments import silhouette_only

    solid = [colour_error(s, PALETTE[g["color"]]) for s, g in zip(sprites, garments, strict=True)
             if g["pattern"] == "solid" and (s[..., 3] >= 128).any()]
    ious = [mask_iou(s, silhouette_only(g, SPRITE_SIZE)) for s, g in zip(sprites, garments, strict=True)]
    out = {"delta_e": float(np.median(solid)) if solid else None, "iou": float(np.mean(ious)), "attr_acc": None}
    if classifier_path is not None and classifier_path.exists():
        from trainer.attribute_classifier import attribute_accuracy, load_classifier

        out["attr_acc"] = float(attribute_accuracy(load_classifier(classifier_path), sprites, garments)["mean"])
    return out


def agreement(a: np.ndarray, b: np.ndarray) -> dict:
    """Student against teacher: mean SSIM and mean per-pixel CIEDE2000 over sprite pairs (N, H, W, 4) uint8."""
    return {"ssim": float(np.mean([ssim(x, y) for x, y in zip(a, b, strict=True)])),
            "delta_e": float(np.mean([mean_delta_e(x, y) for x, y in zip(a, b, strict=True)]))}
