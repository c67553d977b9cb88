"""Hugging Face encoders (the parser's `--teacher encoder:PATH`) to ONNX and int8 ONNX, through optimum.

Done the way optimum's users do it: `ORTModelForFeatureExtraction.from_pretrained(dir, export=True)` exports with
dynamic batch and sequence axes and int64 `input_ids` / `attention_mask` / `token_type_ids`; `ORTQuantizer` with an
`AutoQuantizationConfig` preset writes dynamic int8 (MatMul weights per channel). The directory written holds the
config and tokenizer files next to the models, so `from_pretrained(out_dir)` loads it again. Parity is checked by
export.validate.validate against the transformers model, as for any other exported file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ONNX_FILE = "model.onnx"
INT8_SUFFIX = "int8"  # optimum names the quantized file model_<suffix>.onnx
QUANTIZATION_TARGETS = ("arm64", "avx512_vnni", "avx512", "avx2")  # AutoQuantizationConfig presets


@dataclass(frozen=True)
class HfExport:
    directory: Path  # config.json, tokenizer files, both models
    onnx: Path
    onnx_int8: Path


def export_hf_encoder(model_dir: str | Path, out_dir: str | Path, quantize_for: str = "arm64") -> HfExport:
    """Export the encoder saved in `model_dir` (save_pretrained layout) to `out_dir`, fp32 and dynamic int8.

    `quantize_for` picks optimum's preset: "arm64" for phones, "avx512_vnni" / "avx512" / "avx2" for x86 kiosks.
    """
    from optimum.onnxruntime import ORTModelForFeatureExtraction, ORTQuantizer
    from optimum.onnxruntime.configuration import AutoQuantizationConfig
    from transformers import AutoTokenizer

    if quantize_for not in QUANTIZATION_TARGETS:
        raise ValueError(f"unknown quantization target {quantize_for!r}; the targets are: "
                         f"{', '.join(QUANTIZATION_TARGETS)}")
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    if not (model_dir / "config.json").is_file():
        raise FileNotFoundError(f"{model_dir} has no config.json; pass a directory written by save_pretrained")
    ORTModelForFeatureExtraction.from_pretrained(model_dir, export=True).save_pretrained(out_dir)
    if any((model_dir / name).is_file() for name in ("tokenizer.json", "vocab.txt", "tokenizer_config.json")):
        AutoTokenizer.from_pretrained(model_dir).save_pretrained(out_dir)
    preset = getattr(AutoQuantizationConfig, quantize_for)(is_static=False, per_channel=True)
    quantizer = ORTQuantizer.from_pretrained(out_dir, file_name=ONNX_FILE)
    quantizer.quantize(quantization_config=preset, save_dir=out_dir, file_suffix=INT8_SUFFIX)
    return HfExport(out_dir, out_dir / ONNX_FILE, out_dir / f"model_{INT8_SUFFIX}.onnx")
