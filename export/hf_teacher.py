"""Bench rows for an encoder teacher (`--teacher encoder:PATH`): PyTorch, then ONNX fp32 and int8 through optimum.

The backbone is a Hugging Face architecture, so it is exported and quantized by optimum as its users would
(export.hf); the slot heads on top are Drape's own and go through the format table's plain ONNX export. A parse
runs the Hugging Face tokenizer, the backbone, then the heads.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from edge_app.bundle import size_of
from edge_app.frames import Frame, decode_logits
from edge_app.runtime import load_model
from export.formats import FORMATS
from export.hf import export_hf_encoder
from models.parser import SlotHeads, slot_layout

MAX_LENGTH = 64  # tokens, as the encoder teacher was trained (trainer.teachers.encoder_teacher)


class HeadsOnly(nn.Module):
    def __init__(self, slots: SlotHeads):
        super().__init__()
        self.slots = slots

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.slots(hidden, (attention_mask == 0).to(hidden.dtype) * -1e4)


class EncoderTeacherParser:
    """parse(text) through a Hugging Face tokenizer, a backbone and the slot heads, each any callable."""

    def __init__(self, tokenizer, backbone, heads):
        self.tokenizer, self.backbone, self.heads = tokenizer, backbone, heads

    def parse(self, text: str) -> Frame:
        enc = self.tokenizer([text], padding="max_length", truncation=True, max_length=MAX_LENGTH,
                             return_tensors="np")  # static length: the heads' ONNX file has fixed shapes
        hidden = self.backbone({k: v.astype(np.int64) for k, v in enc.items()})
        mask = enc["attention_mask"].astype(np.float32)
        return decode_logits(self.heads(hidden, mask)[0], slot_layout())


def _torch_backbone(model):
    def run(feeds):
        with torch.inference_mode():
            ids, mask = torch.from_numpy(feeds["input_ids"]), torch.from_numpy(feeds["attention_mask"])
            return model.backbone(input_ids=ids, attention_mask=mask).last_hidden_state.numpy()
    return run


def _torch_heads(model):
    def run(hidden, mask):
        with torch.inference_mode():
            return HeadsOnly(model.slots)(torch.from_numpy(hidden), torch.from_numpy(mask)).numpy()
    return run


def _onnx_backbone(path: Path):
    model = load_model(path, "onnx")

    def run(feeds):
        return model.run({k: feeds[k] for k in model.input_names})["last_hidden_state"]
    return run


def _onnx_heads(path: Path):
    model = load_model(path, "onnx")
    return lambda hidden, mask: model.run({"hidden": hidden, "attention_mask": mask})["logits"]


def encoder_teacher_parsers(folder: Path, workdir: Path) -> list[tuple[str, EncoderTeacherParser, int, str]]:
    """(format, parser, size in bytes, status) for PyTorch, ONNX and ONNX int8; other formats say why not."""
    from trainer.teachers import load_encoder_parser

    model, tokenizer = load_encoder_parser(folder)
    exported = export_hf_encoder(folder, workdir / "backbone")
    hidden = model.backbone.config.hidden_size
    sample = {"hidden": torch.zeros(1, MAX_LENGTH, hidden), "attention_mask": torch.ones(1, MAX_LENGTH)}
    heads = FORMATS["onnx"].export(HeadsOnly(model.slots).eval(), sample, ["logits"], workdir / "heads.onnx")
    params = sum(p.numel() for p in model.parameters()) * 4
    return [
        ("pytorch", EncoderTeacherParser(tokenizer, _torch_backbone(model), _torch_heads(model)), params, "ok"),
        ("onnx", EncoderTeacherParser(tokenizer, _onnx_backbone(exported.onnx), _onnx_heads(heads)),
         size_of(exported.onnx) + size_of(heads), "ok (optimum)"),
        ("onnx_int8", EncoderTeacherParser(tokenizer, _onnx_backbone(exported.onnx_int8), _onnx_heads(heads)),
         size_of(exported.onnx_int8) + size_of(heads), "ok (optimum ORTQuantizer)"),
    ]
