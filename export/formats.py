"""The one table of export formats: it drives argument checks, dispatch, validation and the manifest.

Every export function has the signature
    export_x(model, sample: dict[str, Tensor], output_names: list[str], path: Path) -> Path
where `sample` names forward's arguments in forward's order.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from edge_app.errors import DrapeError
from export.coreml_export import export_coreml, export_coreml_int8
from export.onnx_export import export_onnx, export_onnx_int8
from export.tflite_export import export_tflite, export_tflite_int8


class UnknownFormatError(DrapeError, ValueError):
    """A format name that is not in FORMATS."""


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str  # appended to the model's file stem in a bundle: parser/student.int8.onnx
    precision: str  # fp32 | int8 | fp16 | int8-weights
    backend: str  # the edge_app.runtime backend that runs it
    validates_here: bool  # can this machine run it? (Core ML predicts only on macOS)
    tolerance: float  # default max |exported - PyTorch| per output element
    export: Callable[..., Path]


_ON_MACOS = sys.platform == "darwin"

# Tolerances: fp32 files must agree with PyTorch to float rounding; fp16 to half-precision rounding of O(1) logits;
# int8 ones only roughly (task metrics, e.g. the parser's frame accuracy, are the real gate for those).
FORMATS: dict[str, Format] = {
    row.name: row
    for row in (
        Format("onnx", ".onnx", "fp32", "onnx", True, 1e-4, export_onnx),
        Format("onnx_int8", ".int8.onnx", "int8", "onnx", True, 0.1, export_onnx_int8),
        Format("tflite", ".tflite", "fp32", "tflite", True, 1e-4, export_tflite),
        Format("tflite_int8", ".int8.tflite", "int8", "tflite", True, 0.1, export_tflite_int8),
        Format("coreml", ".mlpackage", "fp16", "coreml", _ON_MACOS, 2e-2, export_coreml),
        Format("coreml_int8", ".int8.mlpackage", "int8-weights", "coreml", _ON_MACOS, 0.1, export_coreml_int8),
    )
}


def get_format(name: str) -> Format:
    """The FORMATS row called `name`; an unknown name raises an error that lists the valid ones."""
    if name not in FORMATS:
        raise UnknownFormatError(f"unknown export format {name!r}; the formats are: {', '.join(FORMATS)}")
    return FORMATS[name]


def parse_formats(names: str | list[str]) -> list[Format]:
    """Rows for a comma-separated string ("onnx,tflite_int8") or a list of names, "all" meaning every format."""
    items = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
    if items == ["all"]:
        return list(FORMATS.values())
    return [get_format(n) for n in items if n]
