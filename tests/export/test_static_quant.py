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


def test_kept_float_modules_stay_out_of_static_int8(tmp_path):
    """The generator's PatternField (Generator.keep_float) stays float: no QDQ pair lands on the phases into sin."""
    from models.generator import Generator, GeneratorConfig

    torch.manual_seed(0)
    model = Generator(GeneratorConfig(channels=(16, 8, 8, 4), cond_dim=32, waves=4)).eval()
    rng = np.random.default_rng(0)

    def feed():
        return {"attributes": rng.integers(0, 2, (1, 9)).astype(np.int32),
                "rgb": rng.random((1, 6), dtype=np.float32), "style": rng.random((1, 8), dtype=np.float32)}

    calibration = [feed() for _ in range(16)]
    sample = {k: torch.from_numpy(v) for k, v in calibration[0].items()}
    int8 = get_format("onnx_int8").export(model, sample, ["sprite"], tmp_path / "gen.int8.onnx", calibration)

    nodes = onnx.load(str(int8)).graph.node
    producer = {out: node for node in nodes for out in node.output}
    (sin,) = [node for node in nodes if node.op_type == "Sin"]
    assert producer[sin.input[0]].op_type == "Add" and producer[sin.input[0]].name.startswith("/model/field/")
    before_sin, todo = set(), list(sin.input)  # every tensor of the field's own computation up to the phases
    while todo:
        node = producer.get(todo.pop())
        if node is not None and node.name.startswith("/model/field/") and node.output[0] not in before_sin:
            before_sin.add(node.output[0])
            todo.extend(node.input)
    assert len(before_sin) >= 3  # the frequencies' Gemm, the MatMul over the grid, the phase Add
    assert not [n for n in nodes if n.op_type == "QuantizeLinear" and n.input[0] in before_sin]
    assert validate(model, int8, "onnx_int8", [feed() for _ in range(4)], tolerance=0.05).ok
