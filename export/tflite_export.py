"""TFLite (LiteRT): fp32 through litert-torch, int8 through ai-edge-quantizer on the fp32 file.

Names: the model is converted with its inputs passed by keyword and its outputs returned as a dict, so the LiteRT
signature's input and output keys are the ONNX names (`ids`, `logits`), not `args_0` / `output_0`; the runtime binds
them by name (edge_app/runtime.py).

int8 route: ai-edge-quantizer's `dynamic_wi8_afp32` recipe on the fp32 .tflite: per-channel int8 weights for every
FULLY_CONNECTED, convolution and EMBEDDING_LOOKUP, float32 inputs and outputs, activations quantized at run time.
Rejected: litert-torch's own PT2E route (`quant_config=QuantConfig(pt2e_quantizer=...)`). Its dynamic config writes
an embedding table the interpreter refuses ("embedding_lookup.cc: zero_point == 0 was not true"), and its static
config, like ai-edge-quantizer's `static_wi8_ai8`, makes the model's inputs and outputs int8, which is a different
contract from the ONNX model's. So TFLite int8 here is always dynamic-range, as ONNX int8 is.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import tempfile
from pathlib import Path

import torch
from torch import nn

from export.named_io import NamedIO, submodule_path

log = logging.getLogger(__name__)


def export_tflite(
    model: nn.Module,
    sample: dict[str, torch.Tensor],
    output_names: list[str],
    path: Path,
) -> Path:
    """Write `model` as fp32 .tflite with static shapes; int64 inputs become int32 (what LiteRT runs)."""
    import litert_torch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wrapped = NamedIO(model.eval(), list(sample), output_names, as_dict=True)
    with contextlib.redirect_stdout(sys.stderr):  # its progress log must not mix with a command's output
        litert_torch.convert(wrapped, sample_kwargs=dict(sample)).export(str(path))
    return path


def litert_scope(model: nn.Module, dotted: str) -> str:
    """A regex for the tensor names of `model`'s submodule `dotted`: litert-torch gives each module but a ModuleList a
    level "package.Class_name" (a container's child: its index), "stages.1.conv" ->
    ".../models.generator.Stage_1/torch.nn.modules.container.Sequential_conv/...". (Matching `_NAME` alone, as this
    did until session 14, missed every list's child: "stages.3" stayed int8 in TFLite.)"""
    levels = [f"{type(m).__module__}.{type(m).__name__}_{name}" for name, m, _ in submodule_path(model, dotted)
              if not isinstance(m, nn.ModuleList)]
    return ".*/" + re.escape("/".join(levels)) + "([/;].*)?$"


def export_tflite_int8(
    model: nn.Module,
    sample: dict[str, torch.Tensor],
    output_names: list[str],
    path: Path,
) -> Path:
    """Write `model` as .tflite with int8 weights and dynamic-range int8 compute; float inputs and outputs stay."""
    from ai_edge_quantizer import quantizer, recipe

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="drape-tflite-") as tmp:
        fp32 = export_tflite(model, sample, output_names, Path(tmp) / "fp32.tflite")
        quant = quantizer.Quantizer(str(fp32), recipe.dynamic_wi8_afp32())
        for name in getattr(model, "keep_float", ()):
            quant.update_quantization_recipe(regex=litert_scope(model, name), operation_name="*",
                                             algorithm_key="no_quantize")
        result = quant.quantize(enable_progress_bar=False, enable_progress_report=False)
        result.export_model(str(path), overwrite=True)
    return path
