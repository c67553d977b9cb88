import json

import numpy as np
import pytest

import edge_app.bundle
import export.bundle
from edge_app.bundle import BUNDLE_SCHEMA_VERSION, sha256_of, size_of
from export.bundle import BundleWriteError, write_bundle
from models.schema import taxonomy


def test_manifest_lists_every_file_with_hash_size_precision(parser_export):
    manifest = json.loads((parser_export.bundle / "manifest.json").read_text())
    assert manifest["schema_version"] == BUNDLE_SCHEMA_VERSION
    assert manifest["taxonomy"] == taxonomy()
    assert manifest["templates"] == {"upper": {"size": [256, 192]}}
    assert manifest["created"].endswith("+00:00")
    parser = manifest["models"]["parser"]
    assert parser["inputs"] == [{"name": "ids", "shape": [1, 48, 8], "dtype": "int32"}]
    assert parser["outputs"] == [{"name": "logits", "shape": [1, 40], "dtype": "float32"}]
    assert parser["vocabulary"] == ["<pad>", "navy", "dress"]
    assert parser["metrics"] == {"frame_accuracy": {"onnx": 0.91}}
    assert set(parser["files"]) == set(parser_export.files)
    assert parser["files"]["onnx_int8"]["path"] == "parser/student.int8.onnx"
    assert parser["files"]["coreml_int8"]["precision"] == "int8-weights"
    assert parser["files"]["tflite"]["backend"] == "tflite"
    for entry in parser["files"].values():
        placed = parser_export.bundle / entry["path"]
        assert entry["sha256"] == sha256_of(placed)
        assert entry["size_bytes"] == size_of(placed) > 0


def test_hash_function_exists_once():
    assert export.bundle.sha256_of is edge_app.bundle.sha256_of


def _tiny_spec(tmp_path):
    model_file = tmp_path / "m.onnx"
    model_file.write_bytes(b"not really a model")
    return {"m": {"files": {"onnx": model_file}, "inputs": {"x": np.zeros((1, 2), np.float32)},
                  "outputs": [{"name": "y", "shape": [1], "dtype": "float32"}]}}


def test_rewriting_replaces_the_old_bundle(tmp_path):
    out = tmp_path / "bundle"
    write_bundle(out, _tiny_spec(tmp_path))
    (out / "m" / "leftover.bin").write_bytes(b"old")
    write_bundle(out, _tiny_spec(tmp_path))
    assert not (out / "m" / "leftover.bin").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle", "m.onnx"]  # no temp or old dirs left


def test_refuses_to_replace_a_directory_that_is_not_a_bundle(tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(BundleWriteError, match="is not a bundle"):
        write_bundle(out, _tiny_spec(tmp_path))
    assert (out / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.onnx", "precious"]


def test_bad_inputs_are_refused(tmp_path):
    spec = _tiny_spec(tmp_path)
    with pytest.raises(BundleWriteError, match="reserved"):
        write_bundle(tmp_path / "b", spec, extra={"models": {}})
    with pytest.raises(ValueError, match="the formats are: onnx, onnx_int8"):
        write_bundle(tmp_path / "b", {"m": {**spec["m"], "files": {"onnx32": tmp_path / "m.onnx"}}})
    with pytest.raises(BundleWriteError, match="lacks outputs"):
        write_bundle(tmp_path / "b", {"m": {"files": {}, "inputs": {}}})
    with pytest.raises(BundleWriteError, match="JSON-serialisable"):
        write_bundle(tmp_path / "b", {"m": {**spec["m"], "vocabulary": {1, 2}}})
    assert not (tmp_path / "b").exists()


def test_writing_one_model_keeps_the_others(tmp_path):
    import numpy as np

    from edge_app.bundle import load_bundle
    from export.bundle import write_bundle

    def spec(name):
        path = tmp_path / f"{name}.onnx"
        path.write_bytes(name.encode() * 10)
        return {"files": {"onnx": path}, "inputs": {"x": np.zeros((1, 2), np.float32)},
                "outputs": {"y": np.zeros((1, 3), np.float32)}, "note": name}

    out = tmp_path / "bundle"
    write_bundle(out, {"parser": spec("parser")}, extra={"templates": {"a": 1}})
    write_bundle(out, {"generator": spec("generator")})
    bundle = load_bundle(out)
    assert set(bundle.models) == {"parser", "generator"} and bundle.model("parser")["note"] == "parser"
    assert bundle.extras["templates"] == {"a": 1}
    write_bundle(out, {"parser": spec("parser2")})
    assert load_bundle(out).model("parser")["note"] == "parser2" and "generator" in load_bundle(out).models
