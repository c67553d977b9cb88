import pytest

from edge_app.runtime import BACKENDS
from export.formats import FORMATS, UnknownFormatError, get_format, parse_formats


def test_table_rows_are_consistent():
    assert list(FORMATS) == ["onnx", "onnx_int8", "tflite", "tflite_int8", "coreml", "coreml_int8"]
    assert len({f.suffix for f in FORMATS.values()}) == len(FORMATS)
    for fmt in FORMATS.values():
        assert fmt.backend in BACKENDS
        assert fmt.precision in {"fp32", "int8", "fp16", "int8-weights"}
        assert callable(fmt.export)
    for name in ("onnx", "tflite"):  # int8 rows are looser than their float row
        assert FORMATS[f"{name}_int8"].tolerance > FORMATS[name].tolerance


def test_unknown_format_lists_the_valid_ones():
    with pytest.raises(UnknownFormatError) as err:
        get_format("onnx_int4")
    message = str(err.value)
    assert "'onnx_int4'" in message
    for name in FORMATS:
        assert name in message


def test_parse_formats():
    assert [f.name for f in parse_formats("onnx, tflite_int8")] == ["onnx", "tflite_int8"]
    assert parse_formats("all") == list(FORMATS.values())
    with pytest.raises(UnknownFormatError, match="coreml_int8"):
        parse_formats(["onnx", "pte"])
