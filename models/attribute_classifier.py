"""A small CNN that reads a garment's attributes back from its sprite: the yardstick for generated sprites.

Trained on rendered sprites (`trainer.attribute_classifier`), then asked whether a generated sprite
shows the pattern, sleeve, length, neckline and material it was asked for. It stays in the trainer and
the benchmark; the device never runs it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import pairwise

import torch
from torch import nn

from models.schema import VALUES

ATTRIBUTES: tuple[str, ...] = ("pattern", "sleeve", "length", "neckline", "material")
TEXTURES: tuple[str, ...] = ("pattern", "material")  # read from the whole garment: where says nothing about them


def attribute_labels(attribute: str) -> list[str | None]:
    """A head's classes: None (the attribute does not apply, e.g. a skirt's sleeve) first, then VALUES order.

    pattern and material always apply, but keep the None class so every head reads the same way.
    """
    return [None, *VALUES[attribute]]


def labels_of(garment: dict) -> dict[str, int]:
    """A complete garment (edge_app.garments.complete_garment) -> class index per attribute."""
    out = {}
    for attribute in ATTRIBUTES:
        labels = attribute_labels(attribute)
        value = garment.get(attribute)
        if value not in labels:
            raise ValueError(f"{attribute}={value!r} is not one of: None, {', '.join(VALUES[attribute])}")
        out[attribute] = labels.index(value)
    return out


@dataclass(frozen=True)
class AttributeClassifierConfig:
    channels: tuple[int, ...] = (24, 48, 96, 128)  # one block each, ending in a stride-2 conv: 128x96 -> 8x6
    grid: tuple[int, int] = (4, 3)  # pooled (rows, cols) kept before the heads
    hidden: int = 96
    dropout: float = 0.1


def _conv_block(c_in: int, c_out: int) -> nn.Sequential:
    """A 3x3 convolution at full resolution, then a strided one: fine textures are seen before they are halved."""
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.SiLU(),
                         nn.Conv2d(c_out, c_out, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.SiLU())


class AttributeClassifier(nn.Module):
    """RGBA sprite (B, 4, H, W) in [0, 1] -> {attribute: logits (B, classes)}.

    Shape attributes read features pooled to a small grid rather than to one vector: sleeve and length are a
    question of where the garment ends, which a global average would throw away. Textures (pattern, material)
    read the global mean and max of the features instead: a stripe is a stripe anywhere. Held-out pattern
    accuracy on rendered sprites was 0.66-0.70 with one strided convolution per block (16..96 channels); a
    full-resolution convolution before each strided one, wider blocks and a one-cycle learning rate brought
    it to 0.955 (material 0.925, mean 0.976; 6,000 sprites, 10 epochs). The renderer has changed since: on its
    sprites 6,000 and 8 epochs read stripes right 34 times in 58 (pattern 0.85, material 0.86), 12,000 and 6 epochs
    (trainer.train_generator's default) 56 in 58 (pattern 0.96, material 0.91: linen and wool, whose random slubs
    and fuzz were alike at this size, are the rest; mean 0.97); with a fixed swatch per material (session 10)
    material 0.983, pattern 0.938, mean 0.984. BatchNorm rather than GroupNorm: on a
    toy stripes task GroupNorm left the pattern head at chance for half the seeds after 60 steps.
    """

    def __init__(self, cfg: AttributeClassifierConfig | None = None):
        super().__init__()
        self.cfg = cfg = cfg or AttributeClassifierConfig()
        widths = (4, *cfg.channels)
        self.features = nn.Sequential(*(_conv_block(a, b) for a, b in pairwise(widths)))
        self.pool = nn.AdaptiveAvgPool2d(cfg.grid)
        self.trunk = nn.Sequential(nn.Flatten(), nn.Linear(cfg.channels[-1] * cfg.grid[0] * cfg.grid[1], cfg.hidden),
                                   nn.SiLU(), nn.Dropout(cfg.dropout))
        self.texture = nn.Sequential(nn.Linear(2 * cfg.channels[-1], cfg.hidden), nn.SiLU(), nn.Dropout(cfg.dropout))
        self.heads = nn.ModuleDict({a: nn.Linear(cfg.hidden, len(attribute_labels(a))) for a in ATTRIBUTES})

    def forward(self, sprites: torch.Tensor) -> dict[str, torch.Tensor]:
        x = self.features(sprites)  # (B, C, H/16, W/16)
        shape = self.trunk(self.pool(x))  # (B, hidden)
        texture = self.texture(torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1))  # (B, hidden)
        return {a: head(texture if a in TEXTURES else shape) for a, head in self.heads.items()}  # a -> (B, classes)

    def config_dict(self) -> dict:
        return asdict(self.cfg)
