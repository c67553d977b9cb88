import json
import shutil

import numpy as np
import pytest
import torch

from edge_app.bundle import BundleError, load_bundle, sha256_of
from models.schema import taxonomy


@pytest.fixture
def bundle_copy(parser_export, tmp_path):
    """A private copy of the session's bundle, for tests that damage it."""
    return shutil.copytree(parser_export.bundle, tmp_path / "bundle")


def test_loads_the_manifest(parser_export):
    bundle = load_bundle(parser_export.bundle)
    assert bundle.taxonomy == taxonomy()
    assert bundle.extras == {"templates": {"upper": {"size": [256, 192]}}}
    parser = bundle.models["parser"]
    assert parser.input_names == ("ids",) and parser.output_names == ("logits",)
    assert parser.inputs[0].shape == (1, 48, 8) and parser.inputs[0].dtype == "int32"
    assert parser.extras["vocabulary"] == parser["vocabulary"] == ["<pad>", "navy", "dress"]
    assert "metrics" in parser and parser.get("slots") is None
    with pytest.raises(BundleError, match="model 'parser' has no 'slots' \\(it has: vocabulary, metrics\\)"):
        parser["slots"]
    assert set(parser.files) == {"onnx", "onnx_int8", "tflite", "tflite_int8", "coreml", "coreml_int8"}
    assert bundle.model_path("parser", "onnx_int8") == parser_export.bundle / "parser" / "student.int8.onnx"
    assert bundle.model_path("parser", "coreml").is_dir()


@pytest.mark.parametrize("format_name", ["onnx", "onnx_int8", "tflite", "tflite_int8"])
def test_bundle_models_run_like_pytorch(parser_export, format_name):
    model = load_bundle(parser_export.bundle).load_model("parser", format_name)
    tolerance = 0.1 if format_name.endswith("int8") else 1e-4
    for feeds in parser_export.samples:
        with torch.inference_mode():
            want = parser_export.model(torch.from_numpy(feeds["ids"])).numpy()
        np.testing.assert_allclose(model.run(feeds)["logits"], want, atol=tolerance)


def test_unknown_model_or_format_lists_the_valid_ones(parser_export):
    bundle = load_bundle(parser_export.bundle)
    with pytest.raises(BundleError, match="no model 'generator'; it has: parser"):
        bundle.model_path("generator", "onnx")
    with pytest.raises(BundleError, match="no 'pte' file; it has: onnx, onnx_int8, tflite"):
        bundle.model_path("parser", "pte")


@pytest.mark.parametrize("relative", ["parser/student.int8.onnx", "parser/student.tflite"])
def test_one_flipped_byte_is_refused_by_name(bundle_copy, relative):
    target = bundle_copy / relative
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(BundleError) as err:
        load_bundle(bundle_copy)
    assert str(err.value) == (f"model file {relative} does not match its sha256 in manifest.json; "
                              "rebuild the bundle with `drape export`")


def test_a_changed_file_inside_an_mlpackage_is_refused(bundle_copy):
    weights = next((bundle_copy / "parser" / "student.mlpackage").rglob("weight.bin"))
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(BundleError, match="model file parser/student.mlpackage does not match its sha256"):
        load_bundle(bundle_copy)
    assert load_bundle(bundle_copy, verify=False).models["parser"]  # reading without checking still works


def test_missing_file_and_wrong_schema(bundle_copy):
    manifest = bundle_copy / "manifest.json"
    data = json.loads(manifest.read_text())
    data["schema_version"] = 99
    manifest.write_text(json.dumps(data))
    with pytest.raises(BundleError, match="schema version 99, this app reads version 1; rebuild the bundle"):
        load_bundle(bundle_copy)
    data["schema_version"] = 1
    manifest.write_text(json.dumps(data))
    (bundle_copy / "parser" / "student.tflite").unlink()
    with pytest.raises(BundleError, match="model file parser/student.tflite listed in manifest.json is missing"):
        load_bundle(bundle_copy)
    manifest.write_text("{not json")
    with pytest.raises(BundleError, match="is not valid JSON"):
        load_bundle(bundle_copy)
    manifest.unlink()
    with pytest.raises(BundleError, match="is not a bundle: it has no manifest.json"):
        load_bundle(bundle_copy)


def test_directory_hash_covers_names_and_contents(tmp_path):
    package = tmp_path / "m.mlpackage"
    (package / "Data").mkdir(parents=True)
    (package / "Data" / "a.bin").write_bytes(b"alpha")
    (package / "Manifest.json").write_bytes(b"{}")
    first = sha256_of(package)
    assert sha256_of(package) == first
    (package / "Data" / "a.bin").rename(package / "Data" / "b.bin")
    assert sha256_of(package) != first
    (package / "Data" / "b.bin").rename(package / "Data" / "a.bin")
    assert sha256_of(package) == first
    (package / "Data" / "a.bin").write_bytes(b"alphb")
    assert sha256_of(package) != first
