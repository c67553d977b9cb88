"""Every format of the tiny parser against PyTorch, through export.validate (the library's own check)."""

import sys

import numpy as np
import onnx
import pytest
import torch

from edge_app.bundle import size_of
from export.coreml_export import coreml_io_spec
from export.formats import FORMATS
from export.validate import validate
from tests.export.tiny import CLASSES, TinyParser

RUNNABLE = [name for name, fmt in FORMATS.items() if fmt.validates_here]


@pytest.mark.parametrize("format_name", RUNNABLE)
def test_exported_file_matches_pytorch(parser_export, format_name):
    result = validate(parser_export.model, parser_export.files[format_name], format_name, parser_export.samples)
    assert result.status == "ok", result.status
    assert result.validated
    assert result.max_abs_diff["logits"] <= FORMATS[format_name].tolerance
    assert len(result.outputs) == len(parser_export.samples)
    assert result.outputs[0]["logits"].shape == (1, CLASSES)
    assert result.outputs[0]["logits"].dtype == np.float32


def test_runtime_outputs_give_task_metrics(parser_export):
    """A caller can score the runtime's outputs, e.g. top-1 agreement with PyTorch."""
    result = validate(parser_export.model, parser_export.files["onnx_int8"], "onnx_int8", parser_export.samples)
    with torch.inference_mode():
        want = [parser_export.model(torch.from_numpy(s["ids"])).argmax(-1).item() for s in parser_export.samples]
    got = [int(o["logits"].argmax(-1)[0]) for o in result.outputs]
    assert np.mean(np.array(got) == np.array(want)) >= 0.8


def test_over_tolerance_is_reported(parser_export):
    result = validate(parser_export.model, parser_export.files["onnx_int8"], "onnx_int8", parser_export.samples,
                      tolerance=1e-9)
    assert result.status.startswith("over tolerance (") and "> 1e-09)" in result.status
    assert not result.ok


@pytest.mark.parametrize("name", ["onnx", "tflite", "coreml"])
def test_int8_files_are_smaller(parser_export, name):
    assert size_of(parser_export.files[f"{name}_int8"]) < size_of(parser_export.files[name])


def test_onnx_int8_is_dynamic_with_int8_weights(parser_export):
    graph = onnx.load(str(parser_export.files["onnx_int8"])).graph
    ops = {node.op_type for node in graph.node}
    assert {"DynamicQuantizeLinear", "MatMulInteger"} <= ops
    eight_bit = {onnx.TensorProto.INT8, onnx.TensorProto.UINT8}  # onnxruntime stores a Gather table as uint8
    tables = [init for init in graph.initializer if list(init.dims) == [500, 32]]
    assert [t.data_type in eight_bit for t in tables] == [True], "the embedding table should be 8-bit"
    assert all(init.data_type in eight_bit for init in graph.initializer if len(init.dims) == 2)


@pytest.mark.skipif(sys.platform == "darwin", reason="on macOS Core ML is run and compared instead")
@pytest.mark.parametrize("format_name", ["coreml", "coreml_int8"])
def test_coreml_off_macos_checks_the_spec(parser_export, format_name):
    result = validate(parser_export.model, parser_export.files[format_name], format_name, parser_export.samples)
    assert result.status == "not validated off macOS (spec checked: inputs/outputs/shapes match)"
    assert not result.validated and result.outputs == []
    spec = coreml_io_spec(parser_export.files[format_name])
    assert spec == {"inputs": [{"name": "ids", "shape": [1, 48, 8], "dtype": "int32"}],
                    "outputs": [{"name": "logits", "shape": [1, CLASSES], "dtype": "float32"}]}


@pytest.mark.skipif(sys.platform == "darwin", reason="spec-only check runs off macOS")
def test_coreml_spec_mismatch_is_reported(parser_export):
    wider = TinyParser()
    wider.head = torch.nn.Linear(32, CLASSES + 1)
    result = validate(wider.eval(), parser_export.files["coreml"], "coreml", parser_export.samples)
    assert result.status.startswith("spec mismatch: outputs")
