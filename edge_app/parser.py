"""Text -> garment frame on the device: tokenizer, slot layout and model all come from the bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from edge_app.bundle import Bundle, load_bundle
from edge_app.errors import DrapeError
from edge_app.frames import Frame, decode_logits
from edge_app.text import Tokenizer

DEFAULT_BUNDLE = Path(__file__).resolve().parent / "default_bundle"
PRECISIONS = {"onnx": ("int8", "fp32"), "tflite": ("int8", "fp32"), "coreml": ("int8", "fp16")}


class Runnable(Protocol):
    def run(self, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]: ...


def resolve_backend(backend: str) -> str:
    """"auto" -> the first runtime installed here (ONNX Runtime, then LiteRT, then Core ML); others unchanged."""
    if backend != "auto":
        return backend
    from edge_app.runtime import available_backends

    found = available_backends()
    if not found:
        raise DrapeError("no inference runtime is installed: pip install onnxruntime (or ai-edge-litert)")
    return found[0]


def format_name(backend: str, precision: str) -> str:
    """The bundle's name for a backend at a precision: onnx + int8 -> onnx_int8, tflite + fp32 -> tflite.

    `backend` may be "auto" (resolve_backend)."""
    backend = resolve_backend(backend)
    if backend not in PRECISIONS:
        raise DrapeError(f"unknown backend {backend!r}; use one of: {', '.join(PRECISIONS)}")
    if precision not in PRECISIONS[backend]:
        raise DrapeError(f"{backend} models come as {' or '.join(PRECISIONS[backend])}, not {precision!r}")
    return backend if precision == PRECISIONS[backend][1] else f"{backend}_int8"


class TextParser:
    """Parses utterances with a parser model: any object with `run({"ids": ...}) -> {"logits": ...}`."""

    def __init__(self, model: Runnable, tokenizer: Tokenizer, layout: list[dict]):
        self.model, self.tokenizer, self.layout = model, tokenizer, layout

    @classmethod
    def from_bundle(cls, bundle: Bundle | Path | None = None, backend: str = "onnx", precision: str = "int8",
                    threads: int = 1) -> TextParser:
        """The parser of a bundle (default: the shipped one) on one runtime backend."""
        bundle = bundle if isinstance(bundle, Bundle) else load_bundle(Path(bundle or DEFAULT_BUNDLE))
        entry = bundle.model("parser")
        model = bundle.load_model("parser", format_name(backend, precision), threads)
        return cls(model, Tokenizer.from_dict(entry["tokenizer"]), entry["slots"])

    def logits(self, text: str) -> np.ndarray:
        ids = np.asarray([self.tokenizer.encode(text)], dtype=np.int32)  # (1, T, F)
        return self.model.run({"ids": ids})["logits"][0]

    def parse(self, text: str) -> Frame:
        return decode_logits(self.logits(text), self.layout)
