"""optimum export of a Hugging Face encoder: the suite's tiny random BERT (tests/conftest.py), nothing downloaded."""

import numpy as np
import pytest

from edge_app.bundle import size_of
from export.validate import validate

TEXTS = ["a navy polka dot dress", "make it red", "striped linen shirt size m", "换成长袖"]


def test_encoder_exports_and_quantizes_with_parity(tiny_encoder_dir, tmp_path):
    from optimum.onnxruntime import ORTModelForFeatureExtraction
    from transformers import AutoTokenizer, BertModel

    from export.hf import export_hf_encoder

    exported = export_hf_encoder(tiny_encoder_dir, tmp_path / "onnx", quantize_for="arm64")
    assert exported.onnx.is_file() and exported.onnx_int8.is_file()
    assert size_of(exported.onnx_int8) < size_of(exported.onnx)

    tokenizer = AutoTokenizer.from_pretrained(exported.directory)  # saved beside the models
    samples = [dict(tokenizer([text], return_tensors="np")) for text in TEXTS]
    teacher = BertModel.from_pretrained(tiny_encoder_dir).eval()
    fp32 = validate(teacher, exported.onnx, "onnx", samples)
    int8 = validate(teacher, exported.onnx_int8, "onnx_int8", samples)
    assert fp32.ok and int8.ok, (fp32.status, int8.status)
    assert fp32.max_abs_diff["last_hidden_state"] < 1e-4
    assert int8.outputs[0]["last_hidden_state"].shape == (1, samples[0]["input_ids"].shape[1], 32)

    reloaded = ORTModelForFeatureExtraction.from_pretrained(exported.directory, file_name=exported.onnx_int8.name)
    hidden = reloaded(**tokenizer([TEXTS[0]], return_tensors="pt")).last_hidden_state
    np.testing.assert_allclose(np.asarray(hidden), int8.outputs[0]["last_hidden_state"], atol=1e-5)


def test_unknown_quantization_target(tiny_encoder_dir, tmp_path):
    from export.hf import export_hf_encoder

    with pytest.raises(ValueError, match="arm64, avx512_vnni"):
        export_hf_encoder(tiny_encoder_dir, tmp_path, quantize_for="riscv")
