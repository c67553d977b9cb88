"""Utterance files (JSON Lines of {"text", "frame"}) to tensors for the parser."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch.utils.data import TensorDataset

from edge_app.errors import DrapeError
from edge_app.frames import encode_frame
from edge_app.text import Tokenizer
from models.parser import slot_layout
from models.schema import Frame, FrameError


class DataError(DrapeError):
    """An unreadable or malformed data file; the message names the file and line."""


def read_utterances(path: Path) -> list[dict]:
    """Rows {"text": str, "frame": dict with all eleven keys}, each frame validated against the taxonomy."""
    rows = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"cannot read {path}: {err}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rows.append({"text": str(row["text"]), "frame": Frame.from_dict(row["frame"]).to_dict()})
        except (json.JSONDecodeError, KeyError, TypeError, FrameError) as err:
            expected = '{"text": ..., "frame": {...}}'
            raise DataError(f"{path}:{n}: not an utterance row ({err}); expected {expected}") from None
    if not rows:
        raise DataError(f"{path} holds no utterances")
    return rows


def encode_ids(texts: list[str], tokenizer: Tokenizer) -> torch.Tensor:
    return torch.tensor([tokenizer.encode(t) for t in texts], dtype=torch.int32)  # (N, T, F)


def encode_labels(frames: list[dict]) -> torch.Tensor:
    layout = slot_layout()
    return torch.tensor([encode_frame(f, layout) for f in frames], dtype=torch.long)  # (N, S)


def parser_dataset(rows: list[dict], tokenizer: Tokenizer) -> TensorDataset:
    return TensorDataset(encode_ids([r["text"] for r in rows], tokenizer), encode_labels([r["frame"] for r in rows]))


def trim_padding(ids: torch.Tensor) -> torch.Tensor:
    """Drop the token positions that are padding in every row of the batch (training speed only)."""
    used = int((ids[:, :, 0] != 0).sum(dim=1).max().clamp(min=1))
    return ids[:, :used]
