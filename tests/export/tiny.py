"""Tiny models shaped like the real students, and one cached export of the parser to every format.

The export is cached per directory, so tests/export and tests/edge_app share one export per session
(both pass the session's base temp directory).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from export.bundle import write_bundle
from export.formats import FORMATS

VOCAB, DIM, TOKENS, FEATURES, CLASSES = 500, 32, 48, 8, 40


class TinyParser(nn.Module):
    """Like the parser student: int32 token features (1, 48, 8), 0 = padding → logits (1, 40)."""

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(VOCAB, DIM, padding_idx=0)
        self.encoder = nn.TransformerEncoderLayer(DIM, nhead=4, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.head = nn.Linear(DIM, CLASSES)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.embed(ids).sum(dim=2)  # (B, T, C): a token is the sum of its features
        present = (ids != 0).any(dim=2).unsqueeze(-1).to(x.dtype)  # (B, T, 1)
        x = self.encoder(x)  # (B, T, C)
        pooled = (x * present).sum(dim=1) / present.sum(dim=1).clamp(min=1.0)  # (B, C)
        return self.head(pooled)  # (B, 40)


class TinyGenerator(nn.Module):
    """Like the generator student: 16 floats → RGBA (1, 4, 32, 32) through conv → depthwise conv → conv."""

    def __init__(self) -> None:
        super().__init__()
        self.project = nn.Linear(16, 16 * 8 * 8)
        self.conv = nn.Conv2d(16, 16, 3, padding=1)
        self.depthwise = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.to_rgba = nn.Conv2d(16, 4, 1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.project(z).view(-1, 16, 8, 8)  # (B, 16, 8, 8)
        x = torch.relu(self.conv(self.up(x)))  # (B, 16, 16, 16)
        x = torch.relu(self.depthwise(self.up(x)))  # (B, 16, 32, 32)
        return torch.sigmoid(self.to_rgba(x))  # (B, 4, 32, 32)


def tiny_parser() -> TinyParser:
    torch.manual_seed(0)
    return TinyParser().eval()


def parser_samples(count: int = 6, seed: int = 1) -> list[dict[str, np.ndarray]]:
    """Token-feature inputs of different lengths, padded with 0 like the real ones."""
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(count):
        ids = rng.integers(1, VOCAB, size=(1, TOKENS, FEATURES), dtype=np.int32)
        ids[:, rng.integers(3, TOKENS):] = 0
        ids[:, :, rng.integers(2, FEATURES):] = 0
        samples.append({"ids": ids})
    return samples


@dataclass(frozen=True)
class ParserExport:
    model: TinyParser
    samples: list[dict[str, np.ndarray]]
    files: dict[str, Path]  # format name → exported path
    bundle: Path


@functools.cache
def export_tiny_parser(root: Path) -> ParserExport:
    """The tiny parser exported to every format in FORMATS under `root`, and a bundle of them in `root`/bundle."""
    model = tiny_parser()
    samples = parser_samples()
    sample = {"ids": torch.from_numpy(samples[0]["ids"])}
    files = {name: fmt.export(model, sample, ["logits"], root / "files" / f"parser{fmt.suffix}")
             for name, fmt in FORMATS.items()}
    with torch.inference_mode():
        logits = model(sample["ids"])
    write_bundle(root / "bundle", {
        "parser": {
            "files": files,
            "inputs": sample,
            "outputs": {"logits": logits},
            "vocabulary": ["<pad>", "navy", "dress"],
            "metrics": {"frame_accuracy": {"onnx": 0.91}},
        }
    }, extra={"templates": {"upper": {"size": [256, 192]}}})
    return ParserExport(model, samples, files, root / "bundle")
