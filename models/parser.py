"""The parser: token features in, one logit vector out, split by slot (see `slot_layout`).

Teacher and student are the same module with different configs. Every slot reads the tokens through
its own learned query (attention pooling), so "navy" feeds `color` while "long" feeds `sleeve` or
`length` depending on the words around it. Attention is written with plain matmuls and no -inf so
that ONNX, TFLite and Core ML all convert it and an all-padding input stays finite.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from models.schema import SLOTS, VALUES

NULL = None


def slot_layout() -> list[dict]:
    """Per slot: its name and class labels; `intent` is never null, every other slot has null first."""
    return [{"name": s, "labels": list(VALUES[s]) if s == "intent" else [NULL, *VALUES[s]]} for s in SLOTS]


def slot_sizes() -> tuple[int, ...]:
    return tuple(len(s["labels"]) for s in slot_layout())


@dataclass(frozen=True)
class ParserConfig:
    vocab_size: int = 8192  # rows of the embedding table: pad, unknown, vocabulary, hash buckets
    max_tokens: int = 48
    features: int = 10  # ids per token (word id + hashed n-grams)
    dim: int = 128
    layers: int = 2
    heads: int = 4
    ff: int = 256
    dropout: float = 0.1


STUDENT = ParserConfig()
TEACHER = ParserConfig(dim=192, layers=4, heads=6, ff=768)


class SelfAttention(nn.Module):
    def __init__(self, cfg: ParserConfig):
        super().__init__()
        self.heads = cfg.heads
        self.scale = (cfg.dim // cfg.heads) ** -0.5  # a constant, so tracing sees no shape arithmetic
        self.qkv = nn.Linear(cfg.dim, 3 * cfg.dim)
        self.proj = nn.Linear(cfg.dim, cfg.dim)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, c = x.shape  # (B, T, C); bias (B, 1, 1, T): 0 for tokens, -1e4 for padding
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (z.reshape(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))  # (B, H, T, D)
        att = torch.softmax(q @ k.transpose(-2, -1) * self.scale + bias, dim=-1)
        return self.proj((att @ v).transpose(1, 2).reshape(b, t, c))


class Block(nn.Module):
    def __init__(self, cfg: ParserConfig):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(cfg.dim), nn.LayerNorm(cfg.dim)
        self.attn = SelfAttention(cfg)
        self.mlp = nn.Sequential(nn.Linear(cfg.dim, cfg.ff), nn.GELU(approximate="tanh"), nn.Linear(cfg.ff, cfg.dim))
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        x = x + self.drop(self.attn(self.ln1(x), bias))
        return x + self.drop(self.mlp(self.ln2(x)))


class SlotHeads(nn.Module):
    """One query per slot pools the tokens; one linear per slot gives its logits, concatenated."""

    def __init__(self, dim: int):
        super().__init__()
        self.queries = nn.Parameter(torch.randn(len(SLOTS), dim) * dim**-0.5)
        self.scale = dim**-0.5
        self.heads = nn.ModuleList(nn.Linear(dim, n) for n in slot_sizes())

    def forward(self, h: torch.Tensor, pad_bias: torch.Tensor) -> torch.Tensor:
        scores = h @ self.queries.t() * self.scale + pad_bias.unsqueeze(-1)  # (B, T, S)
        pooled = torch.softmax(scores, dim=1).transpose(1, 2) @ h  # (B, S, C)
        return torch.cat([head(pooled[:, i]) for i, head in enumerate(self.heads)], dim=-1)  # (B, sum classes)


class ParserModel(nn.Module):
    def __init__(self, cfg: ParserConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.dim, padding_idx=0)
        self.embed_ln = nn.LayerNorm(cfg.dim)
        self.pos = nn.Parameter(torch.zeros(cfg.max_tokens, cfg.dim))
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.layers))
        self.ln = nn.LayerNorm(cfg.dim)
        self.slots = SlotHeads(cfg.dim)
        # Word order decides "red and white" and "blue, no wait, green": positions start as large as the
        # normalised token vectors, or the model begins (and, in our runs, stays) a bag of words.
        nn.init.normal_(self.embed.weight, std=0.02)
        nn.init.normal_(self.pos, std=1.0)
        with torch.no_grad():
            self.embed.weight[0].zero_()

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """ids (B, T, F) int -> logits (B, sum of slot sizes)."""
        pad_bias = (ids[:, :, 0] == 0).to(torch.float32) * -1e4  # (B, T)
        x = self.embed_ln(self.embed(ids).sum(dim=2)) + self.pos[: ids.shape[1]]  # (B, T, C)
        for block in self.blocks:
            x = block(x, pad_bias[:, None, None, :])
        return self.slots(self.ln(x), pad_bias)

    def config_dict(self) -> dict:
        return asdict(self.cfg)


def split_logits(logits: torch.Tensor) -> list[torch.Tensor]:
    """(B, sum classes) -> one (B, classes) tensor per slot, in SLOTS order."""
    return list(torch.split(logits, list(slot_sizes()), dim=-1))


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
