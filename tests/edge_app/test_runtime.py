import subprocess
import sys

import numpy as np
import pytest
import torch

from edge_app.runtime import BACKENDS, RuntimeBackendError, available_backends, load_model


def _torch_logits(model, ids: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        return model(torch.from_numpy(ids)).numpy()


@pytest.mark.parametrize("format_name", ["onnx", "onnx_int8", "tflite", "tflite_int8"])
def test_runs_with_the_onnx_names(parser_export, format_name):
    backend = "onnx" if format_name.startswith("onnx") else "tflite"
    model = load_model(parser_export.files[format_name], backend, threads=2)
    assert (model.input_names, model.output_names) == (("ids",), ("logits",))
    tolerance = 0.1 if format_name.endswith("int8") else 1e-4
    for feeds in parser_export.samples:
        out = model.run(feeds)
        assert list(out) == ["logits"]
        np.testing.assert_allclose(out["logits"], _torch_logits(parser_export.model, feeds["ids"]), atol=tolerance)


def test_tflite_positional_signature_is_bound_to_manifest_names(parser_export, tmp_path):
    """A .tflite converted with positional args has keys args_0 / output_0; the manifest's names map onto them."""
    import litert_torch

    path = tmp_path / "positional.tflite"
    ids = parser_export.samples[0]["ids"]
    litert_torch.convert(parser_export.model, (torch.from_numpy(ids),)).export(str(path))
    raw = load_model(path, "tflite")
    assert (raw.input_names, raw.output_names) == (("args_0",), ("output_0",))
    named = load_model(path, "tflite", input_names=["ids"], output_names=["logits"])
    np.testing.assert_allclose(named.run({"ids": ids})["logits"], _torch_logits(parser_export.model, ids), atol=1e-4)


def test_available_backends_here():
    found = available_backends()
    assert {"onnx", "tflite"} <= set(found)
    assert ("coreml" in found) == (sys.platform == "darwin")


@pytest.mark.skipif(sys.platform == "darwin", reason="Core ML runs on macOS")
def test_coreml_off_macos_says_so(parser_export):
    with pytest.raises(RuntimeBackendError) as err:
        load_model(parser_export.files["coreml"], "coreml")
    assert str(err.value) == "Core ML runs only on macOS; use --backend onnx or tflite"


def test_unknown_backend_lists_the_backends(parser_export):
    with pytest.raises(RuntimeBackendError, match="unknown backend 'tensorrt'; the backends are: onnx, tflite, coreml"):
        load_model(parser_export.files["onnx"], "tensorrt")
    assert list(BACKENDS) == ["onnx", "tflite", "coreml"]


@pytest.mark.parametrize("backend", ["onnx", "tflite"])
def test_missing_and_corrupt_files_are_named(tmp_path, backend):
    missing = tmp_path / f"gone.{backend}"
    with pytest.raises(RuntimeBackendError, match=f"model file {missing} does not exist"):
        load_model(missing, backend)
    corrupt = tmp_path / f"corrupt.{backend}"
    corrupt.write_bytes(b"\x00garbage" * 64)
    with pytest.raises(RuntimeBackendError) as err:
        load_model(corrupt, backend)
    assert f"cannot load model file {corrupt}: it is corrupt" in str(err.value)
    assert "\n" not in str(err.value)


def test_wrong_feeds_and_wrong_names_are_one_line_errors(parser_export):
    model = load_model(parser_export.files["onnx"], "onnx")
    with pytest.raises(RuntimeBackendError, match=r"takes inputs \['ids'\], was given \['tokens'\]"):
        model.run({"tokens": parser_export.samples[0]["ids"]})
    with pytest.raises(RuntimeBackendError, match="could not run parser.onnx") as err:
        model.run({"ids": parser_export.samples[0]["ids"].astype(np.float32)})
    assert "\n" not in str(err.value)
    with pytest.raises(RuntimeBackendError, match=r"has outputs \['logits'\] but the manifest says \['scores'\]"):
        load_model(parser_export.files["onnx"], "onnx", output_names=["scores"])


def test_edge_app_imports_no_torch():
    code = ("import sys, edge_app.runtime, edge_app.bundle; "
            "bad = [m for m in ('torch', 'models', 'trainer', 'export') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_auto_picks_the_first_installed_runtime():
    from edge_app.parser import format_name, resolve_backend
    from edge_app.runtime import available_backends

    assert resolve_backend("auto") == available_backends()[0] == "onnx"  # both runtimes are installed here
    assert format_name("auto", "int8") == "onnx_int8" and resolve_backend("tflite") == "tflite"
