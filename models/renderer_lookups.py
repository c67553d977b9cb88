"""The generator's parts that look up what the renderer draws the same way every time, by label: a texture per
material (MaterialTexture) and the silhouette per garment shape (SilhouetteCut). Their tables are weights that start
as the renderer draws (trainer.garment_data: material_textures, silhouette_tables), looked up as the attribute
embeddings are, so both int8 routes quantize them. What the renderer places by a choice of its own is
models/renderer_parts.py.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from models.renderer_parts import attribute_offsets
from models.schema import GARMENT_SLOTS, SPRITE_SIZE, VALUES


class MaterialTexture(nn.Module):
    """A brightness multiplier per material over the whole sprite: one learnt map each, 0 where flat.

    The renderer draws weave, twill and ribs at fixed places in the sprite, finer than upsampling convolutions from a
    small base can place them: generators without this wore one grid in all eight materials. A map per material
    draws its texture where it lies, and L1 to the truth teaches it directly. (Maps shared at learnt weights, tried
    first, all learnt the one shading every material has.) Quantized with the rest: int8 per pixel is plenty.
    """

    def __init__(self, size: tuple[int, int] = SPRITE_SIZE):
        super().__init__()
        self.size, self.materials = size, len(VALUES["material"]) + 1  # none first, as in attribute_layout
        self.maps = nn.Parameter(torch.zeros(self.materials, size[0] * size[1]))

    def forward(self, material: torch.Tensor) -> torch.Tensor:
        """material (B,) label index (attribute_layout) -> texture (B, 1, H, W). A lookup, as the attribute
        embeddings are, so both int8 routes quantize the maps (a one-hot matmul stayed float in TFLite: +0.43 MB)."""
        return nn.functional.embedding(material, self.maps).view(-1, 1, *self.size)


NECK_SLOTS = ("category", "neckline")  # what SilhouetteCut's neck table is keyed by
SPAN_SLOTS = ("category", "length", "fit")  # and its row spans
NECK_WINDOW = (1, 33, 14, 82)  # rows and columns (top, bottom, left, right) where necklines change the silhouette
NECK_KEYS = 22  # the distinct neck windows the renderer draws (trainer.garment_data.silhouette_tables)
SPAN_KEYS = 37  # the distinct row-span shapes: 36 lower garments, and one that cuts nothing
SPAN_SUPERSAMPLE = 2  # the renderer draws silhouettes at twice the sprite's size; spans count its pixels


def slot_index(attributes: torch.Tensor, slots: tuple[str, ...]) -> torch.Tensor:
    """(B, 9) labels -> (B,) one index per combination of `slots`' labels (none included), mixed-radix."""
    sizes, _ = attribute_offsets()
    index = torch.zeros_like(attributes[:, 0])
    for slot in slots:
        k = GARMENT_SLOTS.index(slot)
        index = index * sizes[k] + attributes[:, k]
    return index


def slot_combinations(slots: tuple[str, ...]) -> int:
    sizes, _ = attribute_offsets()
    return math.prod(sizes[GARMENT_SLOTS.index(s)] for s in slots)


class SilhouetteCut(nn.Module):
    """Where the attributes alone fix the renderer's silhouette, the alpha is cut to it: (B, 1, H, W) in [0, 1],
    multiplying the head's alpha (`alpha_of` in models.generator); 1 where they leave it open.

    The renderer's silhouette is a function of category, sleeve, neckline, length and fit (trainer/data/silhouettes.py),
    and the classifier reads the neckline and the length from it alone: given the renderer's alpha, session 14's
    student read 1.0 of both instead of 0.826 and 0.893 (200 held-out pairs); its head drew a coat's turtleneck
    band as a collar's points and a skirt's hem a few pixels off. Two tables, filled from the renderer
    (trainer.garment_data.silhouette_tables) and looked up by label, so both int8 routes quantize them:
    - the neck: per (category, neckline), the coverage in NECK_WINDOW wherever every garment of that pair agrees
      (1 where sleeve or fit still move it: a sleeveless armhole, an off-shoulder cut); its right half, the larger
      of each pixel and its mirror (the renderer's collars differ by a pixel side to side; the cut may keep a
      pixel, never drops one);
    - row spans: per (category, length, fit), the whole garment where one span of distance from the centre per row
      draws it (the lower family: skirts, trousers, shorts), as the first and last pixel inside on the renderer's
      double-width canvas, so a pixel's coverage is its share of two; a sprite row takes the span of both its rows
      on that canvas (where the hem covers one of them, the head's alpha decides).
    A table of 1,088 bytes per neck and 256 per lower garment, not a sprite each (1,188 garments, 744 distinct
    silhouettes)."""

    def __init__(self, size: tuple[int, int] = SPRITE_SIZE):
        super().__init__()
        top, bottom, left, right = NECK_WINDOW
        h, w = size
        self.window = (bottom - top, (right - left) // 2)  # the right half
        self.pad = (left, w - right, top, h - bottom)  # F.pad's order: left, right, top, bottom
        # weights that never train (trainer.garment_data.silhouette_tables fills them), kept as parameters so int8
        # export quantizes them as it does the material maps
        self.neck = nn.Parameter(torch.ones(NECK_KEYS, self.window[0] * self.window[1]), requires_grad=False)
        wide = SPAN_SUPERSAMPLE * w
        everything = torch.tensor([0.0, wide / 2]).repeat(SPAN_KEYS, h)  # every row all inside
        self.spans = nn.Parameter(everything, requires_grad=False)
        self.register_buffer("neck_rows", torch.zeros(slot_combinations(NECK_SLOTS), dtype=torch.int32))
        self.register_buffer("span_rows", torch.zeros(slot_combinations(SPAN_SLOTS), dtype=torch.int32))
        # per column of the double-width canvas: its whole pixels from the centre
        self.register_buffer("distance", (torch.arange(wide) + 0.5 - wide / 2).abs().view(1, 1, 1, wide) - 0.5,
                             persistent=False)

    def forward(self, attributes: torch.Tensor) -> torch.Tensor:
        """attributes (B, 9) int -> the cut (B, 1, H, W) in [0, 1]."""
        half = nn.functional.embedding(self.neck_rows[slot_index(attributes, NECK_SLOTS)], self.neck)
        half = half.view(-1, 1, *self.window)
        neck = torch.cat([torch.flip(half, dims=[3]), half], dim=3)
        neck = nn.functional.pad(neck - 1, self.pad) + 1  # 1 outside the window
        spans = nn.functional.embedding(self.span_rows[slot_index(attributes, SPAN_SLOTS)], self.spans)
        first, last = spans.view(-1, 1, spans.shape[1] // 2, 2, 1).unbind(3)  # (B, 1, H, 1) each
        # half a pixel of slack each side: the distances are whole, and int8 moves them by less than that
        inside = ((self.distance > first - 0.5) & (self.distance < last + 0.5)).to(neck.dtype)
        spanned = nn.functional.avg_pool2d(inside, (1, SPAN_SUPERSAMPLE))
        return torch.minimum(neck, spanned)  # each bounds the coverage

    def fill(self, neck_rows, neck, span_rows, spans) -> None:
        """Take the renderer's tables (trainer.garment_data.silhouette_tables); they must have this module's rows."""
        for table, given, rows, index, size in ((self.neck, neck, self.neck_rows, neck_rows, "NECK_KEYS"),
                                                (self.spans, spans, self.span_rows, span_rows, "SPAN_KEYS")):
            if given.shape != table.shape:
                raise ValueError(f"the renderer draws {len(given)} distinct tables where SilhouetteCut holds "
                                 f"{len(table)}: set {size} in models/renderer_lookups.py to {len(given)}")
            table.data.copy_(given)
            rows.copy_(index)
