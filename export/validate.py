"""Parity of an exported file with its PyTorch model, run through the device's own runtime (edge_app.runtime).

Library code, so the exporter, the CLI and the tests all run the same check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from torch import nn

from edge_app.runtime import load_model
from export.formats import Format, get_format
from export.named_io import tensor_specs, torch_outputs

_COREML_IO_DTYPES = {"int64": "int32"}  # Core ML has no int64 I/O; the converter declares int32


@dataclass(frozen=True)
class ValidationResult:
    format: str
    path: Path
    status: str  # "ok", "over tolerance (x > tol)", "shape mismatch …", or "not validated off macOS (…)"
    tolerance: float
    max_abs_diff: dict[str, float] = field(default_factory=dict)  # per output; empty when the file was not run
    outputs: list[dict[str, np.ndarray]] = field(default_factory=list)  # runtime outputs, one dict per sample

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def validated(self) -> bool:
        """True when the file was run and compared (whatever the result), False when only its spec was checked."""
        return bool(self.max_abs_diff)

    def to_manifest(self) -> dict:
        """What the bundle's metrics record for this file."""
        return {"status": self.status, "tolerance": self.tolerance, "max_abs_diff": self.max_abs_diff}


def validate(
    model: nn.Module,
    exported_path: Path,
    format_name: str,
    samples: list[dict[str, np.ndarray]],
    tolerance: float | None = None,
) -> ValidationResult:
    """Run `samples` through the exported file and through `model`; compare every output.

    `tolerance` defaults to the format's row in FORMATS. Where the format cannot run on this OS (Core ML off
    macOS) the file's spec (input/output names, shapes, dtypes) is checked against the model instead.
    """
    if not samples:
        raise ValueError("validate needs at least one sample")
    fmt = get_format(format_name)
    tolerance = fmt.tolerance if tolerance is None else tolerance
    if not fmt.validates_here:
        return _check_spec_only(model, Path(exported_path), fmt, samples, tolerance)
    loaded = load_model(exported_path, fmt.backend)
    got = [loaded.run(feeds) for feeds in samples]
    want = [torch_outputs(model, feeds, loaded.output_names) for feeds in samples]
    for name in loaded.output_names:
        if got[0][name].shape != want[0][name].shape:
            status = f"shape mismatch: {name} is {list(got[0][name].shape)}, PyTorch {list(want[0][name].shape)}"
            return ValidationResult(fmt.name, Path(exported_path), status, tolerance, {}, got)
    diffs = {
        name: float(max(np.max(np.abs(g[name].astype(np.float64) - w[name])) for g, w in zip(got, want, strict=True)))
        for name in loaded.output_names
    }
    worst = max(diffs.values())
    status = "ok" if worst <= tolerance else f"over tolerance ({worst:.3g} > {tolerance:.3g})"
    return ValidationResult(fmt.name, Path(exported_path), status, tolerance, diffs, got)


def _check_spec_only(
    model: nn.Module, path: Path, fmt: Format, samples: list[dict[str, np.ndarray]], tolerance: float
) -> ValidationResult:
    from export.coreml_export import coreml_io_spec

    found = coreml_io_spec(path)
    output_names = [o["name"] for o in found["outputs"]]
    expected = {
        "inputs": tensor_specs(samples[0]),
        "outputs": tensor_specs(torch_outputs(model, samples[0], output_names)),
    }
    for spec in expected["inputs"] + expected["outputs"]:
        spec["dtype"] = _COREML_IO_DTYPES.get(spec["dtype"], spec["dtype"])
    for kind in ("inputs", "outputs"):
        if found[kind] != expected[kind]:
            status = f"spec mismatch: {kind} are {found[kind]}, PyTorch has {expected[kind]}"
            return ValidationResult(fmt.name, path, status, tolerance)
    status = "not validated off macOS (spec checked: inputs/outputs/shapes match)"
    return ValidationResult(fmt.name, path, status, tolerance)
