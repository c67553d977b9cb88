"""Generator training pairs: random complete garments, a style vector each, and the renderer's sprite for both."""

from __future__ import annotations

import itertools
import random

import numpy as np
import torch
from torch.utils.data import TensorDataset
from tqdm import tqdm

from edge_app.garments import complete_garment
from edge_app.generator import encode_garment
from models.renderer_lookups import NECK_SLOTS, NECK_WINDOW, SPAN_SLOTS, SPAN_SUPERSAMPLE, slot_combinations, slot_index
from models.renderer_parts import (
    FOLD_FIELDS,
    FOLD_ROWS,
    FOLDS,
    GEOMETRY_WAVES,
    MATERIAL,
    MOTIF_FIELDS,
    MOTIF_PIXELS,
    MOTIF_SPAN,
    attribute_layout,
)
from models.schema import GRAPHICS, PALETTE, SPRITE_SIZE, VALUES, garment_templates
from trainer.data.garments import render_garment, sample_garment
from trainer.data.materials import Context, material_look
from trainer.data.patterns import draw_graphic
from trainer.data.silhouettes import build_shape, downsample


def garment_pairs(n: int, seed: int, style_dim: int, progress: bool = True) -> tuple[TensorDataset, list[dict]]:
    """n pairs as tensors (attributes int32 (N, 9), rgb (N, 6), style (N, S), truth uint8 (N, 4, H, W), waves
    (N, GEOMETRY_WAVES, 5), see `print_waves`, cover uint8 (N, 1, H, W), the print's secondary-colour share as the
    renderer drew it, sheen uint8 (N, 1, H, W), the material's blend towards white as it drew it, folds (N,
    FOLDS * FOLD_FIELDS + FOLD_ROWS), see `fold_truth`, motif (N, MOTIF_FIELDS), see `motif_truth`) and the garments
    drawn. Deterministic for (n, seed)."""
    rnd, layout = random.Random(seed), attribute_layout()
    style = np.random.default_rng(seed).random((n, style_dim), dtype=np.float64).astype(np.float32)
    attributes, rgbs, truth, garments = [], [], np.zeros((n, 4, *SPRITE_SIZE), np.uint8), []
    waves = np.zeros((n, GEOMETRY_WAVES, 5), np.float32)
    cover = np.zeros((n, 1, *SPRITE_SIZE), np.uint8)
    sheen = np.zeros((n, 1, *SPRITE_SIZE), np.uint8)
    folds = np.zeros((n, FOLDS * FOLD_FIELDS + FOLD_ROWS), np.float32)
    motif = np.zeros((n, MOTIF_FIELDS), np.float32)
    for i in tqdm(range(n), desc="render garments", unit="sprite", disable=not progress, mininterval=1.0):
        garment = sample_garment(rnd)
        render = render_garment(garment, rnd.randrange(2**31), SPRITE_SIZE, style=style[i])
        indices, rgb = encode_garment(garment, layout, {k: list(v) for k, v in PALETTE.items()})
        attributes.append(indices)
        rgbs.append(rgb)
        truth[i] = render.rgba.transpose(2, 0, 1)
        waves[i] = print_waves(render.params["pattern"])
        cover[i, 0] = np.round(render.cover * 255)
        sheen[i, 0] = np.round(render.sheen * 255)
        folds[i] = fold_truth(render.params["shading"])
        motif[i] = motif_truth(render.params["pattern"])
        garments.append(garment)
    data = TensorDataset(torch.tensor(attributes, dtype=torch.int32), torch.tensor(rgbs, dtype=torch.float32),
                         torch.from_numpy(style), torch.from_numpy(truth), torch.from_numpy(waves),
                         torch.from_numpy(cover), torch.from_numpy(sheen), torch.from_numpy(folds),
                         torch.from_numpy(motif))
    return data, garments


def print_waves(pattern_params: dict) -> np.ndarray:
    """(GEOMETRY_WAVES, 5): per wave fx, fy (cycles per sprite height), phase at the sprite's corner, threshold, and
    1 where the print has that wave (0 rows where it has fewer: solid and sleeve colour blocks have none)."""
    out = np.zeros((GEOMETRY_WAVES, 5), np.float32)
    for k, wave in enumerate(pattern_params.get("waves", [])):
        out[k] = [*wave["f"], wave["phase"], wave["threshold"], 1.0]
    return out


def fold_truth(shading_params: dict) -> np.ndarray:
    """(FOLDS * FOLD_FIELDS + FOLD_ROWS,): per fold x, width (sprite widths), depth, slant and 1 (0 rows past the
    garment's folds), then where folds start deepening and the hem (sprite heights), as models.renderer_parts.FoldRelief
    draws them."""
    out = np.zeros(FOLDS * FOLD_FIELDS + FOLD_ROWS, np.float32)
    for k, fold in enumerate(shading_params["folds"]):
        out[k * FOLD_FIELDS:(k + 1) * FOLD_FIELDS] = [fold["x"], fold["width"], fold["depth"], fold["slant"], 1.0]
    out[FOLDS * FOLD_FIELDS:] = shading_params["fold_rows"]
    return out


def motif_truth(pattern_params: dict) -> np.ndarray:
    """(MOTIF_FIELDS,): a graphic print's x (sprite widths), y (sprite heights), size (sprite widths), tilt
    (degrees) and motif (its index in GRAPHICS + 1), as models.renderer_parts.GraphicMotif draws it; zeros for other
    prints."""
    if "graphic" not in pattern_params:
        return np.zeros(MOTIF_FIELDS, np.float32)
    (x, y), kind = pattern_params["at"], GRAPHICS.index(pattern_params["graphic"]) + 1
    return np.array([x, y, pattern_params["size"], pattern_params["tilt"], kind], np.float32)


def graphic_templates() -> torch.Tensor:
    """The renderer's motifs (patterns.draw_graphic) on GraphicMotif's template grid, upright, tips at its 1:
    (len(GRAPHICS), MOTIF_PIXELS ** 2), where a generator's templates start (train_generator)."""
    half = MOTIF_PIXELS / 2
    return torch.stack([torch.from_numpy(draw_graphic(kind, (MOTIF_PIXELS, MOTIF_PIXELS), half, half,
                                                      half / MOTIF_SPAN, 0.0)).flatten() for kind in GRAPHICS])


def material_textures(size: tuple[int, int] = SPRITE_SIZE) -> torch.Tensor:
    """The renderer's texture per material (its swatch, materials.py) over a flat canvas the sprite's size, as
    MaterialTexture's maps hold them (texture - 1, flattened; the none row flat): where a generator's textures start
    (train_generator). The renderer draws the same grain at the same places on every garment, so L1 keeps them."""
    h, w = size
    flat = Context(h, w, np.ones((h, w), bool), np.full((h, w), float(h), np.float32), np.ones((h, w), np.float32),
                   np.full((h, w), 0.9, np.float32))
    labels = attribute_layout()[MATERIAL]["labels"]
    maps = torch.zeros(len(labels), h * w)
    for i, material in enumerate(labels[1:], start=1):
        maps[i] = torch.from_numpy(material_look(material, flat).texture - 1.0).flatten()
    return maps


SHAPE = ("category", "sleeve", "neckline", "length", "fit")  # what a silhouette depends on (silhouettes.py)


def shape_garments() -> list[dict]:
    """Every distinct garment shape a frame can ask for (complete_garment over all SHAPE labels, none included):
    1,188 garments, solid red cotton."""
    shapes = {}
    for labels in itertools.product(*([None, *VALUES[slot]] for slot in SHAPE)):
        frame = {slot: label for slot, label in zip(SHAPE, labels, strict=True) if label is not None}
        garment, _ = complete_garment({**frame, "color": "red"}, garment_templates())
        shapes[tuple(garment[slot] for slot in SHAPE)] = garment
    return list(shapes.values())


def silhouette_tables(size: tuple[int, int] = SPRITE_SIZE) -> tuple[torch.Tensor, ...]:
    """models.renderer_lookups.SilhouetteCut's tables from the renderer's silhouettes (build_shape): the neck's row per
    (category, neckline) and its distinct windows (row 0 cuts nothing), the row spans' row per (category, length,
    fit) and their distinct span tables (row 0 keeps everything). Seconds of drawing; deterministic."""
    top, bottom, left, right = NECK_WINDOW
    middle = (left + right) // 2
    necks, spans, layout, palette = {}, {}, attribute_layout(), {k: list(v) for k, v in PALETTE.items()}
    for garment in shape_garments():
        labels = torch.tensor([encode_garment(garment, layout, palette)[0]])
        shape = build_shape(garment, size)
        window = downsample(shape.mask)[top:bottom, left:right]
        necks.setdefault(int(slot_index(labels, NECK_SLOTS)[0]), []).append(window)
        spans.setdefault(int(slot_index(labels, SPAN_SLOTS)[0]), []).append(_row_spans(shape.mask))
    drawn = {key: found for key, found in spans.items() if all(f is not None for f in found)}  # one span a row, all
    neck_rows, neck = _distinct(necks, np.ones((bottom - top) * (right - left)), NECK_SLOTS)
    right_half = neck.view(len(neck), bottom - top, right - left)[:, :, middle - left:]
    left_half = neck.view(len(neck), bottom - top, right - left)[:, :, :middle - left].flip(2)
    everything = np.tile([0.0, size[1] * SPAN_SUPERSAMPLE / 2], size[0])
    span_rows, span = _distinct(drawn, everything, SPAN_SLOTS)
    return neck_rows, torch.maximum(right_half, left_half).flatten(1), span_rows, span


def _row_spans(mask: np.ndarray) -> np.ndarray | None:
    """A double-size silhouette (uint8, 255 inside) as per sprite row the first and last whole pixel inside either of
    its two rows, counted from the centre, (2 * sprite rows,); None where a row is not one span symmetric about the
    centre (an upper garment's sleeves)."""
    inside = mask > 127
    half = inside.shape[1] // 2
    if not np.array_equal(inside[:, :half], inside[:, half:][:, ::-1]):
        return None
    out = np.tile([1.0, 0.0], len(inside) // SPAN_SUPERSAMPLE)  # an empty row: first after last
    for y, row in enumerate(inside[:, half:].reshape(-1, SPAN_SUPERSAMPLE, half).any(axis=1)):
        where = np.flatnonzero(row)
        if len(where) and len(where) != where[-1] - where[0] + 1:
            return None
        if len(where):
            out[2 * y:2 * y + 2] = where[0], where[-1]
    return out


def _distinct(tables: dict[int, list[np.ndarray]], nothing: np.ndarray, slots: tuple[str, ...]
              ) -> tuple[torch.Tensor, torch.Tensor]:
    """Per key, what all its garments agree on (`nothing`'s value where they differ) -> (the row per slot
    combination (0: `nothing`), the distinct rows, `nothing` first)."""
    rows, distinct = {}, {nothing.astype(np.float32).tobytes(): 0}
    for key, found in tables.items():
        found = np.stack([f.reshape(-1) for f in found])
        agreed = np.where(np.ptp(found, axis=0) <= 1e-6, found[0], nothing).astype(np.float32)
        rows[key] = distinct.setdefault(agreed.tobytes(), len(distinct))
    index = torch.zeros(slot_combinations(slots), dtype=torch.int32)
    for key, row in rows.items():
        index[key] = row
    return index, torch.stack([torch.from_numpy(np.frombuffer(b, np.float32).copy()) for b in distinct])
