"""A tiny generator run exported into a bundle beside a parser, then drawn on the device runtime."""

import numpy as np
import pytest

from edge_app.bundle import load_bundle
from edge_app.generator import GarmentGenerator
from export.bundle import write_bundle
from export.formats import parse_formats
from export.generator import export_generator, int8_status
from models.generator import GeneratorConfig
from models.schema import SPRITE_SIZE
from trainer.loop import LoopConfig
from trainer.train_generator import GeneratorTrainConfig, train_generator

TINY = GeneratorTrainConfig(pairs=8, eval_pairs=4, classifier_pairs=8, wave_steps=20,
                            loop=LoopConfig(epochs=1, batch_size=4),
                            teacher=GeneratorConfig(channels=(16, 8, 8, 4), cond_dim=32, geometry=2, coverage=2,
                                                    texture=True, relief=True, motif=True, silhouette=True),
                            student=GeneratorConfig(channels=(8, 4, 4, 4), cond_dim=16, depthwise=True, geometry=2,
                                                    coverage=2, texture=True, relief=True, motif=True,
                                                    silhouette=True))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """(run folder, bundle folder): a tiny generator run exported beside a parser entry."""
    run = tmp_path_factory.mktemp("genrun")
    train_generator(TINY, "teacher", run)
    train_generator(TINY, "student", run)
    out = tmp_path_factory.mktemp("bundles") / "bundle"
    parser_file = run / "parser.onnx"
    parser_file.write_bytes(b"stands in for a parser file")
    spec = {"files": {"onnx": parser_file}, "inputs": [{"name": "ids", "shape": [1], "dtype": "int32"}],
            "outputs": [{"name": "logits", "shape": [1], "dtype": "float32"}]}
    write_bundle(out, {"parser": spec})
    export_generator(run, out, parse_formats("onnx,onnx_int8,tflite_int8"))
    return run, out


@pytest.fixture(scope="module")
def bundle_dir(exported):
    return exported[1]


def test_generator_joins_the_bundle_with_templates_and_metrics(bundle_dir):
    bundle = load_bundle(bundle_dir)
    assert set(bundle.models) == {"parser", "generator"}
    entry = bundle.model("generator")
    assert set(entry.files) == {"onnx", "onnx_int8", "tflite_int8"} and entry["style_dim"] == 8
    assert entry["metrics"]["onnx"]["status"] == "ok" and 0 <= entry["metrics"]["onnx"]["iou"] <= 1
    assert "pytorch" in entry["metrics"] and bundle.extras["templates"]["sprite_size"] == list(SPRITE_SIZE)
    assert set(entry["run"]["stages"]) == {"teacher", "student"} and entry["run"]["config"]["pairs"] == 8


@pytest.mark.parametrize("backend, precision", [("onnx", "fp32"), ("onnx", "int8"), ("tflite", "int8")])
def test_device_draws_from_every_exported_file(bundle_dir, backend, precision):
    sprite = GarmentGenerator.from_bundle(bundle_dir, backend, precision).generate({"category": "dress"}, seed=1)
    assert sprite.rgba.shape == (*SPRITE_SIZE, 4) and sprite.family == "full"
    fp32 = GarmentGenerator.from_bundle(bundle_dir, "onnx", "fp32").generate({"category": "dress"}, seed=1)
    assert np.abs(sprite.rgba.astype(int) - fp32.rgba.astype(int)).mean() < 8  # int8 close to fp32


def test_drape_generate_writes_a_png_and_says_what_it_dropped(bundle_dir, tmp_path, capsys):
    from PIL import Image

    from tools.cli import main

    out = tmp_path / "garment.png"
    frame = '{"category": "shorts", "sleeve": "long", "color": "red"}'
    assert main(["generate", "--frame", frame, "-o", str(out), "--bundle", str(bundle_dir), "--backend",
                 "onnx", "--precision", "fp32"]) == 0
    image = Image.open(out)
    assert image.mode == "RGBA" and image.size == (SPRITE_SIZE[1], SPRITE_SIZE[0])
    captured = capsys.readouterr()
    assert "sleeve=long dropped" in captured.err and "category=shorts" in captured.out


@pytest.mark.parametrize("frame, message", [('{"colour": "red"}', "key 'colour'"), ('{"color": "rouge"}', "rouge"),
                                            ("{nope", "not valid JSON")])
def test_drape_generate_bad_frames_are_one_line(bundle_dir, tmp_path, capsys, frame, message):
    from tools.cli import main

    assert main(["generate", "--frame", frame, "-o", str(tmp_path / "x.png"), "--bundle", str(bundle_dir)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_bench_generator_rows_and_targets(exported):
    from export.bench_generator import bench_generator, format_generator_table, generator_targets

    run, bundle_dir = exported
    rows = bench_generator(bundle_dir, run, n=4)
    assert [(r.model, r.format) for r in rows][:2] == [("teacher", "pytorch"), ("teacher", "onnx")]
    student = [r for r in rows if r.model == "student"]
    assert [r.format for r in student] == ["pytorch", "onnx", "onnx_int8", "tflite_int8"]
    assert all(r.ms_p50 > 0 and 0 <= r.iou <= 1 and r.mmacs > 0 for r in student)
    coreml = next(r for r in rows if r.model == "teacher" and r.format == "coreml")
    assert coreml.iou is None and "macOS" in coreml.status
    assert format_generator_table(rows).startswith("| Model | Format | Status | Size (MB) | ΔE | IoU | attr acc")
    assert any("teacher / student MACs" in line for line in generator_targets(rows))


def test_int8_files_are_judged_by_the_metrics_within_their_bounds():
    reference = {"delta_e": 1.8, "iou": 0.965}
    flipped = {"status": "over tolerance (0.55 > 0.1)", "max_abs_diff": {"sprite": 0.55}}
    assert int8_status({**flipped, "status": "ok", "delta_e": 9.0, "iou": 0.5}, reference) == "ok"
    said = int8_status({**flipped, "delta_e": 1.85, "iou": 0.964}, reference)
    assert said.startswith("ok (delta_e +0.05, iou -0.001") and "max |diff| 0.55" in said
    assert int8_status({**flipped, "delta_e": 1.7, "iou": 0.99}, reference).startswith("ok (")  # better is fine
    assert int8_status({**flipped, "delta_e": 2.9, "iou": 0.97}, reference).startswith("over int8 bounds (delta_e +1.1")
    assert int8_status({**flipped, "delta_e": 1.8, "iou": 0.95}, reference).startswith("over int8 bounds")
    assert int8_status({**flipped, "delta_e": None, "iou": None}, reference) == flipped["status"]
