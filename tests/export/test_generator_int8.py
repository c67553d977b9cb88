"""onnx_int8 of generator-shaped CNNs: dynamic quantization of the convolutions, kept-float modules left alone."""

import re

import numpy as np
import onnx
import torch

from edge_app.bundle import size_of
from export.formats import get_format
from export.onnx_export import onnx_scope
from export.tflite_export import litert_scope
from export.validate import validate
from tests.export.tiny import TinyGenerator


def test_generator_cnn_int8_quantizes_its_convolutions(tmp_path):
    torch.manual_seed(0)
    model = TinyGenerator().eval()
    rng = np.random.default_rng(0)
    held_out = [{"z": rng.standard_normal((1, 16)).astype(np.float32)} for _ in range(4)]
    sample = {"z": torch.from_numpy(held_out[0]["z"])}

    fp32 = get_format("onnx").export(model, sample, ["image"], tmp_path / "gen.onnx")
    int8 = get_format("onnx_int8").export(model, sample, ["image"], tmp_path / "gen.int8.onnx")

    ops = [node.op_type for node in onnx.load(str(int8)).graph.node]
    assert "ConvInteger" in ops and "DynamicQuantizeLinear" in ops  # int8 weights, activations per input
    assert size_of(int8) < size_of(fp32) / 2
    result = validate(model, int8, "onnx_int8", held_out, tolerance=0.02)  # sigmoid output in [0, 1]
    assert result.ok, result.status
    assert result.outputs[0]["image"].shape == (1, 4, 32, 32)


def test_kept_float_modules_stay_out_of_int8(tmp_path):
    """The generator's wave modules, head and full-resolution layers (Generator.keep_float) stay float: nothing
    quantizes the phases into sin. The material textures are quantized (a Gather from int8 maps, as the parser's
    embeddings are), and so are the silhouette's tables."""
    from models.generator import Generator, GeneratorConfig
    from models.renderer_parts import GRAPHIC, PATTERN
    from trainer.garment_data import silhouette_tables

    torch.manual_seed(0)
    model = Generator(GeneratorConfig(channels=(16, 8, 8, 4), cond_dim=32, geometry=2, coverage=2, texture=True,
                                      relief=True, motif=True, silhouette=True)).eval()
    model.silhouette.fill(*silhouette_tables())
    with torch.no_grad():
        model.texture.maps.uniform_(-0.2, 0.2)  # as if trained; zeros would leave nothing to compare
        model.relief.weights.uniform_(0.0, 0.8)
        model.motif.templates.uniform_(0.0, 1.0)
    rng = np.random.default_rng(0)

    def feed():
        attributes = rng.integers(0, 2, (1, 9)).astype(np.int32)
        attributes[0, PATTERN] = rng.choice([1, GRAPHIC])  # half the time a graphic: its motif drawn
        return {"attributes": attributes, "rgb": rng.random((1, 6), dtype=np.float32),
                "style": rng.random((1, 8), dtype=np.float32)}

    sample = {k: torch.from_numpy(v) for k, v in feed().items()}
    int8 = get_format("onnx_int8").export(model, sample, ["sprite"], tmp_path / "gen.int8.onnx")

    nodes = onnx.load(str(int8)).graph.node
    for name in model.keep_float:
        kept = [n for n in nodes if n.name.startswith(onnx_scope(model, name))]
        assert kept and not [n for n in kept if "Integer" in n.op_type or "Quantize" in n.op_type], name
    last = f"stages.{len(model.stages) - 1}"  # full resolution, where the silhouette's edge is drawn
    for scope, ops in (("geometry", {"Sin", "Cos"}), ("coverage", {"Conv"}), ("head", {"Conv"}), ("mix", {"Conv"}),
                       (last, {"Conv"}), ("stages.0.conv", {"Conv"}), ("relief", {"MaxPool", "Pad", "Sqrt"}),
                       ("motif", {"Gather", "Floor"})):  # the phases over the grid, the waves; float convolutions
        assert ops <= {n.op_type for n in nodes if n.name.startswith(onnx_scope(model, scope))}, scope
    film = [n.op_type for n in nodes if n.name.startswith("/model/stages.0/film/")]
    assert "MatMulInteger" in film  # the rest is quantized: the linear layers, the textures too
    texture = [n for n in nodes if n.name.startswith("/model/texture/")]
    assert any(n.op_type == "Gather" and n.input[0].endswith("maps_quantized") for n in texture)
    assert any(n.op_type == "DequantizeLinear" for n in texture)
    silhouette = [n for n in nodes if n.name.startswith("/model/silhouette/")]
    tables = {n.input[0].split(".")[-1] for n in silhouette if n.op_type == "Gather"}
    assert {"neck_quantized", "spans_quantized"} <= tables
    assert validate(model, int8, "onnx_int8", [feed() for _ in range(4)], tolerance=0.05).ok


def test_tflite_int8_quantizes_the_material_texture_maps(tmp_path):
    """The maps (9 x 128 x 96 floats) are most of a small generator: looked up, TFLite int8 stores them as int8
    (as a one-hot matmul they stayed float, and the shipped student weighed 1.40 MB instead of 1.02)."""
    from models.generator import Generator, GeneratorConfig

    torch.manual_seed(0)
    model = Generator(GeneratorConfig(channels=(16, 8, 8, 4), cond_dim=32, texture=True)).eval()
    with torch.no_grad():
        model.texture.maps.uniform_(-0.2, 0.2)
    maps = model.texture.maps.numel() * 4  # bytes as float
    sample = {"attributes": torch.ones(1, 9, dtype=torch.int32), "rgb": torch.rand(1, 6), "style": torch.rand(1, 8)}
    fp32 = get_format("tflite").export(model, sample, ["sprite"], tmp_path / "gen.tflite")
    int8 = get_format("tflite_int8").export(model, sample, ["sprite"], tmp_path / "gen.int8.tflite")
    assert size_of(fp32) > maps and size_of(int8) < size_of(fp32) - 0.7 * maps
    weights = tflite_weights(int8)
    for name in model.keep_float:  # every kept module's weights stay float; the stages' FiLM layers do not
        kept = [dtype for tensor, dtype in weights.items() if re.fullmatch(litert_scope(model, name), tensor)]
        weighted = [p for p in model.get_submodule(name).parameters() if p.dim() >= 2]
        assert (kept or not weighted) and set(kept) <= {np.float32, np.int32}, (name, kept)
    assert [dtype for tensor, dtype in weights.items() if "Stage_0/torch.nn.modules.linear.Linear_film" in tensor]
    assert all(dtype == np.int8 for tensor, dtype in weights.items() if "Linear_film" in tensor and "Stage_0" in tensor)


def tflite_weights(path) -> dict[str, type]:
    """A .tflite file's constant tensors with two dimensions or more: name -> numpy dtype."""
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=str(path))
    out = {}
    for detail in interpreter.get_tensor_details():
        if len(detail["shape"]) >= 2:
            try:
                out[detail["name"]] = interpreter.get_tensor(detail["index"]).dtype.type
            except ValueError:  # an activation: no data until the model runs
                continue
    return out
