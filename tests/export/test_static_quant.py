"""The static QDQ route of onnx_int8, on a tiny CNN shaped like the generator student."""

import numpy as np
import onnx
import torch

from edge_app.bundle import size_of
from export.formats import get_format
from export.validate import validate
from tests.export.tiny import TinyGenerator


def test_generator_cnn_static_int8(tmp_path):
    torch.manual_seed(0)
    model = TinyGenerator().eval()
    rng = np.random.default_rng(0)
    calibration = [{"z": rng.standard_normal((1, 16)).astype(np.float32)} for _ in range(16)]
    held_out = [{"z": rng.standard_normal((1, 16)).astype(np.float32)} for _ in range(4)]
    sample = {"z": torch.from_numpy(calibration[0]["z"])}

    fp32 = get_format("onnx").export(model, sample, ["image"], tmp_path / "gen.onnx")
    int8 = get_format("onnx_int8").export(model, sample, ["image"], tmp_path / "gen.int8.onnx", calibration)

    ops = [node.op_type for node in onnx.load(str(int8)).graph.node]
    assert "QuantizeLinear" in ops and "DequantizeLinear" in ops  # QDQ: activations quantized too
    assert "DynamicQuantizeLinear" not in ops
    assert size_of(int8) < size_of(fp32)
    result = validate(model, int8, "onnx_int8", held_out, tolerance=0.02)  # sigmoid output in [0, 1]
    assert result.ok, result.status
    assert result.outputs[0]["image"].shape == (1, 4, 32, 32)
