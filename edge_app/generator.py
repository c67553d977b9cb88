"""Frame -> garment sprite on the device: the bundle's generator student, its attribute layout, palette and
templates. Runs when the frame changes, not per camera frame."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from edge_app.bundle import Bundle, load_bundle
from edge_app.errors import DrapeError
from edge_app.garments import Garment, complete_garment
from edge_app.parser import DEFAULT_BUNDLE, Runnable, format_name


class GenerationError(DrapeError):
    """The generator gave an output that cannot be a sprite (NaN, infinite or out of range)."""


@dataclass(frozen=True)
class Sprite:
    rgba: np.ndarray  # uint8 (H, W, 4), straight alpha
    garment: Garment  # what was drawn, every default filled in
    dropped: list[str]  # attributes the frame asked for that this garment cannot show
    family: str
    keypoints: dict[str, tuple[float, float]]  # template keypoints in pixels of `rgba`


def encode_garment(garment: Garment, layout: list[dict], palette: dict) -> tuple[list[int], list[float]]:
    """A complete garment -> (class index per layout slot, palette RGB of color and secondary_color in [0, 1])."""
    indices = [slot["labels"].index(garment.get(slot["name"])) for slot in layout]
    rgb = [c / 255 for key in ("color", "secondary_color") for c in palette.get(garment[key] or "", [0] * 3)]
    return indices, rgb


def style_vector(seed: int, size: int) -> np.ndarray:
    """The variation a seed picks: uniform in [0, 1), as in training."""
    return np.random.default_rng(seed).random(size, dtype=np.float64).astype(np.float32)[None, :]


class GarmentGenerator:
    """Draws garments with a generator model: any object with `run(feeds) -> {"sprite": ...}`."""

    def __init__(self, model: Runnable, entry: dict, templates: dict, palette: dict[str, list[int]], name: str = ""):
        self.model, self.layout, self.style_dim = model, entry["attributes"], entry["style_dim"]
        self.templates, self.palette, self.name = templates, palette, name

    @classmethod
    def from_bundle(cls, bundle: Bundle | Path | None = None, backend: str = "onnx", precision: str = "int8",
                    threads: int = 1) -> GarmentGenerator:
        bundle = bundle if isinstance(bundle, Bundle) else load_bundle(Path(bundle or DEFAULT_BUNDLE))
        entry, fmt = bundle.model("generator"), format_name(backend, precision)
        model = bundle.load_model("generator", fmt, threads)
        return cls(model, entry.extras, bundle.extras["templates"], bundle.taxonomy["palette"], entry.file(fmt).path)

    def feeds(self, garment: Garment, seed: int) -> dict[str, np.ndarray]:
        indices, rgb = encode_garment(garment, self.layout, self.palette)
        return {"attributes": np.asarray([indices], dtype=np.int32), "rgb": np.asarray([rgb], dtype=np.float32),
                "style": style_vector(seed, self.style_dim)}

    def generate(self, frame: dict, seed: int = 0) -> Sprite:
        garment, dropped = complete_garment(frame, self.templates)
        out = self.model.run(self.feeds(garment, seed))["sprite"][0]  # (4, H, W) in [0, 1]
        if not np.isfinite(out).all() or out.min() < -0.01 or out.max() > 1.01:
            raise GenerationError(f"generator {self.name} gave values outside [0, 1] (min {np.nanmin(out):.3g}, "
                                  f"max {np.nanmax(out):.3g}, NaN {bool(np.isnan(out).any())}); rebuild the bundle")
        rgba = (out.transpose(1, 2, 0) * 255 + 0.5).clip(0, 255).astype(np.uint8)
        family = self.templates["category_family"][garment["category"]]
        h, w = rgba.shape[:2]
        keypoints = {k: (x * w, y * h) for k, (x, y) in self.templates["keypoints"][family].items()}
        return Sprite(rgba, garment, dropped, family, keypoints)
