"""ONNX: fp32 through torch.onnx.export, int8 through onnxruntime.quantization.

Exporter: the TorchScript-based one (`dynamo=False`), static shapes, opset 17. In torch 2.13 the torch.export-based
exporter (the default) needs `onnxscript`, which the resolved dependency stack does not install. Tried side by side
(onnxscript 0.7.2 in a scratch directory) on a small transformer (nn.TransformerEncoderLayer, masked or not,
F.scaled_dot_product_attention, an embedding over int32 ids): both export, with the same parity (≤ 1e-7 fp32,
0.007 int8); the dynamo graph has half the nodes and a 8 % smaller int8 file, but a 40 % larger fp32 file and 1.5 to
3.6 s per export against 0.1 s. Move to `dynamo=True` (and add onnxscript) when torch drops the legacy path.

Quantization: dynamic (int8 weights, activations quantized at run time; MatMul and Gather, so the embedding too)
for transformer-like models, the default; static QDQ (int8 weights and activations, calibrated, per channel) when
`calibration` samples are given, as for the generator CNN. Both run onnxruntime's pre-processing first (shape
inference and graph clean-up), which shrinks the quantized file and is what onnxruntime asks for.

A model may name submodules whose nodes stay float in static int8 (`keep_float`, a tuple of attribute names):
the generator's PatternField feeds phases of up to a few hundred radians into sin, and int8 steps of a radian
or more turned its waves to noise (SQNR 8 dB at the head of an untrained student; over 30 dB once kept float).
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
from torch import nn

from export.named_io import NamedIO

ONNX_OPSET = 17  # LayerNormalization is a single op from 17 on


def export_onnx(
    model: nn.Module,
    sample: dict[str, torch.Tensor],
    output_names: list[str],
    path: Path,
    calibration: list[dict[str, np.ndarray]] | None = None,
) -> Path:
    """Write `model` as fp32 ONNX with static shapes; inputs named as `sample`, outputs as `output_names`.

    `calibration` is unused (fp32 needs none); it is accepted so every format's function has one signature.
    """
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


def float_nodes(model: nn.Module, onnx_path: Path) -> list[str]:
    """Names of the ONNX nodes that belong to `model.keep_float` submodules (the exporter scopes them /model/NAME/)."""
    import onnx

    scopes = [f"/model/{name}/" for name in getattr(model, "keep_float", ())]
    return [n.name for n in onnx.load(str(onnx_path)).graph.node if any(n.name.startswith(s) for s in scopes)]


class _FeedReader:
    """onnxruntime's CalibrationDataReader protocol over a list of feeds."""

    def __init__(self, feeds: list[dict[str, np.ndarray]]):
        self._feeds: Iterator[dict[str, np.ndarray]] = iter(feeds)

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._feeds, None)


def export_onnx_int8(
    model: nn.Module,
    sample: dict[str, torch.Tensor],
    output_names: list[str],
    path: Path,
    calibration: list[dict[str, np.ndarray]] | None = None,
) -> Path:
    """Write `model` as int8 ONNX: dynamic quantization, or static QDQ calibrated on `calibration` when given."""
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_dynamic, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="drape-onnx-") as tmp:
        fp32 = export_onnx(model, sample, output_names, Path(tmp) / "fp32.onnx")
        prepared = Path(tmp) / "prepared.onnx"
        # Symbolic shape inference asserts on the exporter's Reshape of a computed shape; with static shapes
        # onnx's own shape inference, which still runs, already knows every shape.
        quant_pre_process(str(fp32), str(prepared), skip_symbolic_shape=True)
        if calibration:
            quantize_static(
                str(prepared), str(path), _FeedReader(calibration),
                quant_format=QuantFormat.QDQ, per_channel=True, nodes_to_exclude=float_nodes(model, prepared),
                activation_type=QuantType.QInt8, weight_type=QuantType.QInt8,
            )
        else:
            quantize_dynamic(str(prepared), str(path), per_channel=True, weight_type=QuantType.QInt8)
    return path
