"""ONNX: fp32 through torch.onnx.export, int8 through onnxruntime.quantization.

Exporter: the TorchScript-based one (`dynamo=False`), static shapes, opset 17. In torch 2.13 the torch.export-based
exporter (the default) needs `onnxscript`, which the resolved dependency stack does not install. Tried side by side
(onnxscript 0.7.2 in a scratch directory) on a small transformer (nn.TransformerEncoderLayer, masked or not,
F.scaled_dot_product_attention, an embedding over int32 ids): both export, with the same parity (≤ 1e-7 fp32,
0.007 int8); the dynamo graph has half the nodes and a 8 % smaller int8 file, but a 40 % larger fp32 file and 1.5 to
3.6 s per export against 0.1 s. Move to `dynamo=True` (and add onnxscript) when torch drops the legacy path.

Quantization: dynamic (int8 per-channel weights; activations quantized at run time, per input) for every model:
MatMul and Gather for the transformer-like parser (so its embedding too), Conv for the generator CNN. It runs
onnxruntime's pre-processing first (shape inference and graph clean-up), which shrinks the quantized file and is
what onnxruntime asks for.

Static QDQ (activations too, with ranges calibrated on rendered garments) was this module's route for the
generator until 2026-11-24 and lost the colours: on the shipped student, 64 held-out garments, fp32 ΔE 2.7,
static ΔE 16.2 (MinMax, or entropy calibration alike), 6.4 with only the convolutions quantized, 5.9 with the
FiLM arithmetic kept float too; dynamic ΔE 3.6, IoU 0.926 against 0.928. FiLM scales each garment's activations
by its own condition, so one calibrated range per tensor is too wide for most garments; a range per input is
not. Dynamic costs time (8.7 ms a sprite against 1.9 ms fp32 and 3.2 ms static, one thread), inside the 15 ms
target (4.4 ms since the generator's full-resolution layers stay float); TFLite int8 is dynamic-range too
and faster (export/tflite_export.py).

A model may name submodules whose nodes stay float (`keep_float`, a tuple of attribute names): the generator's
print waves feed phases of up to a few hundred radians into sin, and int8 steps of a radian or more turn them to
noise; models.generator.Generator.keep_float says why its other kept parts are kept.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import torch
from torch import nn

from export.named_io import NamedIO, submodule_path

ONNX_OPSET = 17  # LayerNormalization is a single op from 17 on


def export_onnx(
    model: nn.Module,
    sample: dict[str, torch.Tensor],
    output_names: list[str],
    path: Path,
) -> Path:
    """Write `model` as fp32 ONNX with static shapes; inputs named as `sample`, outputs as `output_names`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wrapped = NamedIO(model.eval(), list(sample), output_names)
    with warnings.catch_warnings():
        # The deprecation notice of the TorchScript exporter, chosen on purpose (see the module docstring).
        warnings.filterwarnings("ignore", message=".*legacy TorchScript-based ONNX export.*")
        warnings.filterwarnings("ignore", message=".*feature will be removed.*")
        torch.onnx.export(
            wrapped,
            tuple(sample.values()),
            str(path),
            input_names=list(sample),
            output_names=list(output_names),
            opset_version=ONNX_OPSET,
            do_constant_folding=True,
            dynamo=False,
        )
    return path


def onnx_scope(model: nn.Module, dotted: str) -> str:
    """The prefix of the ONNX node names of `model`'s submodule `dotted`: "stages.1.conv" -> "/model/stages.1/conv/".
    The exporter labels a module by its attribute name, a container's child by the container's label and its index
    ("conv.0", "predict.0.0"), and gives each module but a ModuleList a level of the name."""
    levels, label = ["model"], "model"
    for name, module, in_container in submodule_path(model, dotted):
        label = f"{label}.{name}" if in_container else name
        if not isinstance(module, nn.ModuleList):
            levels.append(label)
    return "/" + "/".join(levels) + "/"


def float_nodes(model: nn.Module, onnx_path: Path) -> list[str]:
    """Names of the ONNX nodes that belong to `model.keep_float` submodules (`onnx_scope`)."""
    import onnx

    scopes = [onnx_scope(model, name) for name in getattr(model, "keep_float", ())]
    nodes = [n for n in onnx.load(str(onnx_path)).graph.node if any(n.name.startswith(s) for s in scopes)]
    # dynamic quantization first rewrites each Gemm as a MatMul named NAME_MatMul (and an Add), then quantizes
    return [n.name for n in nodes] + [f"{n.name}_MatMul" for n in nodes if n.op_type == "Gemm"]


def export_onnx_int8(
    model: nn.Module,
    sample: dict[str, torch.Tensor],
    output_names: list[str],
    path: Path,
) -> Path:
    """Write `model` as int8 ONNX by dynamic quantization; its `keep_float` submodules stay float."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="drape-onnx-") as tmp:
        fp32 = export_onnx(model, sample, output_names, Path(tmp) / "fp32.onnx")
        prepared = Path(tmp) / "prepared.onnx"
        # Symbolic shape inference asserts on the exporter's Reshape of a computed shape; with static shapes
        # onnx's own shape inference, which still runs, already knows every shape.
        quant_pre_process(str(fp32), str(prepared), skip_symbolic_shape=True)
        # reduce_range: 7-bit weights. Without VNNI (AVX2 only, as session 11's machine) onnxruntime's u8s8 kernels
        # add pairs of products in int16, which full 8-bit weights overflow: a tiny parser's int8 logits came out
        # 0.14 off PyTorch's and its frame accuracy fell to 0.67 of fp32's; with 7 bits both match on any CPU.
        quantize_dynamic(str(prepared), str(path), per_channel=True, reduce_range=True, weight_type=QuantType.QInt8,
                         nodes_to_exclude=float_nodes(model, prepared))
    return path
