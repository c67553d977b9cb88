"""Real garment datasets for the generator's discriminator (unpaired): one table of adapters, `load_real`, and
`to_sprite`, which puts a real garment on the generator's RGBA canvas.

    load_real("dresscode", ROOT, split="train", labels=FILE) -> iterator of RealGarment
    to_sprite(garment) -> (128, 96, 4) uint8 RGBA, the garment's mask as alpha

Each adapter (viton.py, dresscode.py, deepfashion.py) checks the layout when called, so a wrong root fails at once
with a one-line message, and reads images only as the iterator is consumed. Masks load lazily too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np

from models.schema import SPRITE_SIZE
from trainer.data.deepfashion import deepfashion_mm
from trainer.data.dresscode import dresscode
from trainer.data.real_common import Parse, RealDataError, RealGarment
from trainer.data.viton import viton_hd

__all__ = ["ADAPTERS", "RealDataError", "RealGarment", "load_real", "to_sprite"]

ADAPTERS: dict[str, Callable[..., Iterator[RealGarment]]] = {
    "viton-hd": viton_hd,
    "dresscode": dresscode,
    "deepfashion-mm": deepfashion_mm,
}
SPRITE_MARGIN = 0.04  # of the canvas on each side, so a garment's edge is not cut by the border


def load_real(name: str, root: str | Path, split: str = "train", labels: str | Path | None = None,
              parse: Parse | None = None) -> Iterator[RealGarment]:
    """The garments of dataset `name` under `root`. labels (JSON Lines of {"image", "frame"}) or parse (text ->
    frame) give viton-hd and dresscode their attributes; deepfashion-mm has its own annotations."""
    adapter = ADAPTERS.get(name)
    if adapter is None:
        raise RealDataError(f"unknown real dataset {name!r}; the datasets are: {', '.join(ADAPTERS)}")
    return adapter(root, split=split, labels=labels, parse=parse)


def _fit(height: int, width: int, size: tuple[int, int]) -> tuple[int, int]:
    """(h, w) of a height x width crop scaled to fit inside the canvas's margins, aspect kept."""
    room_h, room_w = size[0] * (1 - 2 * SPRITE_MARGIN), size[1] * (1 - 2 * SPRITE_MARGIN)
    scale = min(room_h / height, room_w / width)
    return max(1, round(height * scale)), max(1, round(width * scale))


def to_sprite(garment: RealGarment, size: tuple[int, int] = SPRITE_SIZE) -> np.ndarray:
    """(H, W, 4) uint8 RGBA, straight alpha: the garment cropped to its mask, scaled to fit the canvas keeping its
    aspect, centred; alpha is the mask (area-resampled, so edges are soft), RGB is zero where alpha is."""
    height, width = size
    rgb, mask = garment.load_image(), garment.load_mask()
    if mask.shape != rgb.shape[:2]:
        mask = cv2.resize(mask.astype(np.uint8), rgb.shape[1::-1], interpolation=cv2.INTER_NEAREST) > 0
    if not mask.any():
        raise RealDataError(f"{garment.image_path}: its garment mask is empty, so there is nothing to draw; "
                            "skip this garment or fix its mask")
    ys, xs = np.nonzero(mask)
    crop = np.s_[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    h, w = _fit(ys.max() + 1 - ys.min(), xs.max() + 1 - xs.min(), size)
    shrink = h < crop[0].stop - crop[0].start
    interpolation = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
    rgb = cv2.resize(np.ascontiguousarray(rgb[crop]), (w, h), interpolation=interpolation)
    alpha = cv2.resize(mask[crop].astype(np.float32), (w, h), interpolation=interpolation)
    alpha = np.clip(np.rint(alpha * 255), 0, 255).astype(np.uint8)
    sprite = np.zeros((height, width, 4), np.uint8)
    top, left = (height - h) // 2, (width - w) // 2
    sprite[top:top + h, left:left + w, :3] = np.where(alpha[..., None] > 0, rgb, 0)
    sprite[top:top + h, left:left + w, 3] = alpha
    return sprite
