"""One small interface over the inference backends the device can have: ONNX Runtime, LiteRT (TFLite), Core ML.

`load_model(path, backend)` gives a `LoadedModel` whose `run(feeds)` takes and returns numpy arrays keyed by the
names the model was exported with (the ONNX names), whatever the backend. This module runs on a phone: it imports
no torch and nothing from models/, trainer/ or export/, and it imports each backend only when asked for it.

How TFLite names are mapped: a LiteRT model is called through its signature runner, whose keys are the
signature's input and output names. `export/` converts with the inputs passed by name and the outputs returned as a
dict, so those keys ARE the ONNX names and are used as they are. A .tflite made another way has positional keys
(`args_0`, `args_1`, ... and `output_0`, ...); given `input_names` / `output_names` (from manifest.json, in the
exported order) the k-th positional key is bound to the k-th name. Without names, the signature's own keys are used,
positional ones sorted by their index. The same names, in the same order, come back from every backend.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from edge_app.errors import DrapeError

Feeds = dict[str, np.ndarray]


class RuntimeBackendError(DrapeError):
    """A backend that cannot run here, or a model file it cannot load or run; the message is one line for a user."""


@dataclass(frozen=True)
class LoadedModel:
    """A model ready to run: `run(feeds)` maps input name → array to output name → array, in `output_names` order."""

    path: Path
    backend: str
    input_names: tuple[str, ...]
    output_names: tuple[str, ...]
    infer: Callable[[Feeds], Feeds]

    def run(self, feeds: Feeds) -> Feeds:
        if set(feeds) != set(self.input_names):
            raise RuntimeBackendError(
                f"{self.path.name} takes inputs {list(self.input_names)}, was given {sorted(feeds)}"
            )
        try:
            return self.infer(feeds)
        except Exception as err:  # backends raise their own types; the caller needs one error and the file name
            raise RuntimeBackendError(f"{self.backend} could not run {self.path.name}: {_one_line(err)}") from err


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text[:300] + ("…" if len(text) > 300 else "")


def _check_names(path: Path, kind: str, found: Sequence[str], expected: Sequence[str] | None) -> tuple[str, ...]:
    if expected is not None and set(expected) != set(found):
        raise RuntimeBackendError(f"{path.name} has {kind} {list(found)} but the manifest says {list(expected)}")
    return tuple(expected) if expected is not None else tuple(found)


def _load_onnx(path: Path, threads: int, input_names: Sequence[str] | None, output_names: Sequence[str] | None):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = threads
    options.log_severity_level = 3  # errors only: the app shows its own one-line messages
    session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    inputs = _check_names(path, "inputs", [i.name for i in session.get_inputs()], input_names)
    outputs = _check_names(path, "outputs", [o.name for o in session.get_outputs()], output_names)

    def infer(feeds: Feeds) -> Feeds:
        return dict(zip(outputs, session.run(list(outputs), feeds), strict=True))

    return LoadedModel(path, "onnx", inputs, outputs, infer)


def _tflite_interpreter_class():
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:  # devices that ship the older standalone runtime
        from tflite_runtime.interpreter import Interpreter
    return Interpreter


_POSITIONAL_KEY = re.compile(r"^(?:args|output)_(\d+)$")


def _bind_signature_keys(path: Path, kind: str, keys: Sequence[str], names: Sequence[str] | None) -> dict[str, str]:
    """name → signature key, in the exported order (see the module docstring)."""
    if names is not None and set(names) == set(keys):
        return {name: name for name in names}
    positional = [k for k in keys if _POSITIONAL_KEY.match(k)]
    if len(positional) == len(keys):
        keys = sorted(keys, key=lambda k: int(_POSITIONAL_KEY.match(k).group(1)))
        if names is None:
            return {k: k for k in keys}
        if len(names) == len(keys):
            return dict(zip(names, keys, strict=True))
    if names is None:
        return {k: k for k in keys}
    raise RuntimeBackendError(f"{path.name} has signature {kind} {list(keys)} but the manifest says {list(names)}")


def _load_tflite(path: Path, threads: int, input_names: Sequence[str] | None, output_names: Sequence[str] | None):
    interpreter = _tflite_interpreter_class()(model_path=str(path), num_threads=threads)
    signatures = interpreter.get_signature_list()
    if len(signatures) != 1:
        raise RuntimeBackendError(f"{path.name} has signatures {sorted(signatures)}; Drape models have exactly one")
    (key, signature), = signatures.items()
    runner = interpreter.get_signature_runner(key)
    inputs = _bind_signature_keys(path, "inputs", signature["inputs"], input_names)
    outputs = _bind_signature_keys(path, "outputs", signature["outputs"], output_names)

    def infer(feeds: Feeds) -> Feeds:
        result = runner(**{sig_key: feeds[name] for name, sig_key in inputs.items()})
        return {name: result[sig_key] for name, sig_key in outputs.items()}

    return LoadedModel(path, "tflite", tuple(inputs), tuple(outputs), infer)


def _load_coreml(path: Path, threads: int, input_names: Sequence[str] | None, output_names: Sequence[str] | None):
    import coremltools as ct

    model = ct.models.MLModel(str(path))  # Core ML picks its own threads and compute units
    description = model.get_spec().description
    inputs = _check_names(path, "inputs", [i.name for i in description.input], input_names)
    outputs = _check_names(path, "outputs", [o.name for o in description.output], output_names)

    def infer(feeds: Feeds) -> Feeds:
        result = model.predict(feeds)
        return {name: np.asarray(result[name]) for name in outputs}

    return LoadedModel(path, "coreml", inputs, outputs, infer)


BACKENDS: dict[str, Callable[..., LoadedModel]] = {
    "onnx": _load_onnx,
    "tflite": _load_tflite,
    "coreml": _load_coreml,
}

_BACKEND_MODULES: dict[str, tuple[str, ...]] = {
    "onnx": ("onnxruntime",),
    "tflite": ("ai_edge_litert.interpreter", "tflite_runtime.interpreter"),
    "coreml": ("coremltools",),
}


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def _runs_here(backend: str) -> bool:
    if backend == "coreml" and sys.platform != "darwin":
        return False
    return any(_importable(module) for module in _BACKEND_MODULES[backend])


def available_backends() -> list[str]:
    """The backends that can load a model on this machine, in `BACKENDS` order."""
    return [name for name in BACKENDS if _runs_here(name)]


def _backend_refusal(backend: str) -> str | None:
    """Why `backend` cannot run here, or None when it can."""
    if backend not in BACKENDS:
        return f"unknown backend {backend!r}; the backends are: {', '.join(BACKENDS)}"
    if backend == "coreml" and sys.platform != "darwin":
        return "Core ML runs only on macOS; use --backend onnx or tflite"
    if not _runs_here(backend):
        wanted = " or ".join(module.split(".")[0] for module in _BACKEND_MODULES[backend])
        return f"the {backend} backend needs {wanted}, not installed here; available: {', '.join(available_backends())}"
    return None


def load_model(
    path: str | Path,
    backend: str,
    threads: int = 1,
    *,
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
) -> LoadedModel:
    """Load `path` with `backend` ("onnx", "tflite" or "coreml") on `threads` CPU threads.

    `input_names` / `output_names` are the exported names in order (manifest.json has them); they are checked
    against the file, and for a TFLite file with positional signature keys they give those keys their names.
    """
    path = Path(path)
    refusal = _backend_refusal(backend)
    if refusal:
        raise RuntimeBackendError(refusal)
    if not path.exists():
        raise RuntimeBackendError(f"model file {path} does not exist; check the path or rebuild the bundle")
    if threads < 1:
        raise RuntimeBackendError(f"threads must be 1 or more, not {threads}")
    try:
        return BACKENDS[backend](path, threads, input_names, output_names)
    except RuntimeBackendError:
        raise
    except Exception as err:  # a truncated or foreign file: each backend words it differently
        raise RuntimeBackendError(
            f"{backend} cannot load model file {path}: it is corrupt or not a {backend} model ({_one_line(err)})"
        ) from err
