"""Core ML: an ML program (.mlpackage) in fp16 from torch.jit.trace, and its int8-weights version.

coremltools converts on Linux but predicts only on macOS, so off macOS an exported package is checked by its spec
(`coreml_io_spec`): input and output names, shapes and dtypes.

Quirks met with coremltools 9 and torch 2.13:
- torch.jit.trace's own re-run check fails on nn.TransformerEncoderLayer in eval mode (the re-run takes the fused
  fast path, the trace does not, so the graphs differ) although the traced graph is right; the check is turned off.
- An fp16 program's outputs default to fp16 on iOS 16+; they are declared float32 here so the contract matches ONNX.
- linear_quantize_weights warns "invalid value encountered in divide" on an all-zero channel (an embedding's
  padding row): its scale is 0, so the row still dequantizes to exact zeros. The warning is silenced for that reason.
- "overflow encountered in cast" during conversion comes from `clamp(min=...)`: its implicit upper bound, float32's
  max, becomes +inf in fp16, which clips nothing, as intended. "embedding (gather) layer does not support any inputs
  besides the weights and indices" means padding_idx is dropped, which only ever mattered for training gradients.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import torch
from torch import nn

from export.named_io import NamedIO

_COREML_DTYPES = {torch.float32: np.float32, torch.float16: np.float16, torch.int32: np.int32, torch.int64: np.int32}


def _convert(model: nn.Module, sample: dict[str, torch.Tensor], output_names: list[str]):
    import coremltools as ct

    wrapped = NamedIO(model.eval(), list(sample), output_names)
    args = tuple(sample.values())
    with torch.no_grad():
        outputs = wrapped(*args)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    traced = torch.jit.trace(wrapped, args, check_trace=False)
    named_outputs = zip(output_names, outputs, strict=True)
    return ct.convert(
        traced,
        inputs=[ct.TensorType(name=n, shape=tuple(t.shape), dtype=_COREML_DTYPES[t.dtype]) for n, t in sample.items()],
        outputs=[ct.TensorType(name=n, dtype=_COREML_DTYPES[t.dtype]) for n, t in named_outputs],
        convert_to="mlprogram",
        compute_precision=ct.precision.FLOAT16,
        minimum_deployment_target=ct.target.iOS16,
    )


def _save(mlmodel, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    mlmodel.save(str(path))
    return path


def export_coreml(
    model: nn.Module,
    sample: dict[str, torch.Tensor],
    output_names: list[str],
    path: Path,
) -> Path:
    """Write `model` as an fp16 Core ML .mlpackage (ML program, iOS 16 / macOS 13 or later)."""
    return _save(_convert(model, sample, output_names), path)


def export_coreml_int8(
    model: nn.Module,
    sample: dict[str, torch.Tensor],
    output_names: list[str],
    path: Path,
) -> Path:
    """Write `model` as a Core ML .mlpackage with int8 per-channel weights (fp16 compute), via linear quantization."""
    from coremltools.optimize.coreml import OpLinearQuantizerConfig, OptimizationConfig, linear_quantize_weights

    config = OptimizationConfig(global_config=OpLinearQuantizerConfig(mode="linear_symmetric", dtype="int8"))
    with np.errstate(invalid="ignore"):  # all-zero channels; see the module docstring
        quantized = linear_quantize_weights(_convert(model, sample, output_names), config=config)
    return _save(quantized, path)


def coreml_io_spec(path: Path) -> dict[str, list[dict]]:
    """{"inputs": [...], "outputs": [...]} of {"name", "shape", "dtype"} read from a .mlpackage's spec (any OS)."""
    import coremltools as ct
    from coremltools.proto.FeatureTypes_pb2 import ArrayFeatureType

    description = ct.utils.load_spec(str(path)).description
    dtype_names = {value: name.lower() for name, value in ArrayFeatureType.ArrayDataType.items()}
    dtype_names[ArrayFeatureType.DOUBLE] = "float64"

    def specs(features) -> list[dict]:
        return [
            {
                "name": f.name,
                "shape": [int(d) for d in f.type.multiArrayType.shape],
                "dtype": dtype_names[f.type.multiArrayType.dataType],
            }
            for f in features
        ]

    return {"inputs": specs(description.input), "outputs": specs(description.output)}
