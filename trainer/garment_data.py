"""Generator training pairs: random complete garments, a style vector each, and the renderer's sprite for both."""

from __future__ import annotations

import random

import numpy as np
import torch
from torch.utils.data import TensorDataset
from tqdm import tqdm

from edge_app.generator import encode_garment
from models.generator import attribute_layout
from models.schema import PALETTE, SPRITE_SIZE
from trainer.data.garments import render_garment, sample_garment


def garment_pairs(n: int, seed: int, style_dim: int, progress: bool = True) -> tuple[TensorDataset, list[dict]]:
    """n pairs as tensors (attributes int32 (N, 9), rgb (N, 6), style (N, S), truth uint8 (N, 4, H, W)) and the
    garments drawn. Deterministic for (n, seed)."""
    rnd, layout = random.Random(seed), attribute_layout()
    style = np.random.default_rng(seed).random((n, style_dim), dtype=np.float64).astype(np.float32)
    attributes, rgbs, truth, garments = [], [], np.zeros((n, 4, *SPRITE_SIZE), np.uint8), []
    for i in tqdm(range(n), desc="render garments", unit="sprite", disable=not progress, mininterval=1.0):
        garment = sample_garment(rnd)
        render = render_garment(garment, rnd.randrange(2**31), SPRITE_SIZE, style=style[i])
        indices, rgb = encode_garment(garment, layout, {k: list(v) for k, v in PALETTE.items()})
        attributes.append(indices)
        rgbs.append(rgb)
        truth[i] = render.rgba.transpose(2, 0, 1)
        garments.append(garment)
    data = TensorDataset(torch.tensor(attributes, dtype=torch.int32), torch.tensor(rgbs, dtype=torch.float32),
                         torch.from_numpy(style), torch.from_numpy(truth))
    return data, garments
