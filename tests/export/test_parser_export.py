"""Train a tiny parser run, export it to a bundle, parse on the device runtime and bench it: the whole flow."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
import yaml

from edge_app.bundle import load_bundle
from edge_app.parser import TextParser
from export.bench import bench_student, format_table, target_report
from export.formats import parse_formats
from export.parser import TorchRunner, export_parser
from models.schema import Frame
from trainer.loop import LoopConfig
from trainer.paths import PARSER_DEV_SET
from trainer.train_parser import ParserTrainConfig, load_student, train_parser


@pytest.fixture(scope="module")
def dev_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("dev") / "dev.jsonl"
    path.write_text("\n".join(PARSER_DEV_SET.read_text(encoding="utf-8").splitlines()[:24]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory, dev_file):
    run = tmp_path_factory.mktemp("run")
    cfg = ParserTrainConfig(corpus_size=192, dev=str(dev_file), teacher_loop=LoopConfig(epochs=1, batch_size=32),
                            student_loop=LoopConfig(epochs=2, batch_size=32))
    return run, train_parser(cfg, run)


@pytest.fixture(scope="module")
def bundle_dir(tiny_run, dev_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("bundles") / "bundle"
    export_parser(tiny_run[0], out, parse_formats("onnx,onnx_int8,tflite_int8"), dev_file)
    return out


def test_run_folder_records_everything(tiny_run):
    run, metrics = tiny_run
    for name in ("config.yaml", "run.json", "tokenizer.json", "teacher.pt", "student.pt", "metrics.json",
                 "soft_labels.pt"):
        assert (run / name).exists(), name
    assert any((run / "tb").iterdir())
    assert yaml.safe_load((run / "config.yaml").read_text())["corpus_size"] == 192
    assert set(json.loads((run / "run.json").read_text())["data"]) == {"corpus", "dev"}
    assert 0.0 <= metrics["student"]["frame_acc"] <= 1.0 and metrics["dev_rows"] == 24


def test_resume_of_a_finished_run_trains_nothing_more(tiny_run):
    run, _ = tiny_run
    before = torch.load(run / "student.pt")["model"]
    cfg = yaml.safe_load((run / "config.yaml").read_text())
    again = ParserTrainConfig(corpus_size=192, dev=cfg["dev"], teacher_loop=LoopConfig(epochs=1, batch_size=32),
                              student_loop=LoopConfig(epochs=2, batch_size=32))
    train_parser(again, run, resume=True)
    model, _ = load_student(run)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_export_writes_a_verified_bundle_with_metrics(bundle_dir):
    bundle = load_bundle(bundle_dir)
    entry = bundle.model("parser")
    assert set(entry.files) == {"onnx", "onnx_int8", "tflite_int8"}
    metrics = entry["metrics"]
    assert metrics["onnx"]["status"] == "ok" and metrics["onnx"]["max_abs_diff"]["logits"] < 1e-4
    assert metrics["onnx"]["frame_acc"] == pytest.approx(metrics["pytorch"]["frame_acc"])
    assert entry.files["onnx_int8"].size_bytes < entry.files["onnx"].size_bytes / 2
    assert entry["run"]["config"]["corpus_size"] == 192  # the run the model came from, with its provenance
    assert len(entry["run"]["data"]["corpus"]) == 64 and entry["run"]["git"] == entry["run"]["exported_at"]
    assert [s["name"] for s in entry["slots"]][:2] == ["intent", "category"]


def test_device_parser_matches_pytorch(tiny_run, bundle_dir):
    model, tokenizer = load_student(tiny_run[0])
    device = TextParser.from_bundle(bundle_dir, "onnx", "fp32")
    torch_parser = TextParser(TorchRunner(model), tokenizer, device.layout)
    for text in ("a navy polka-dot dress", "换成长袖", ""):
        assert np.allclose(device.logits(text), torch_parser.logits(text), atol=1e-4)
        Frame.from_dict(device.parse(text))


def test_bench_rows_and_targets(bundle_dir, dev_file):
    from trainer.parser_data import read_utterances

    rows = bench_student(bundle_dir, read_utterances(dev_file))
    assert [r.format for r in rows] == ["onnx", "onnx_int8", "tflite_int8"]
    assert all(r.ms_p50 > 0 and r.ms_p95 >= r.ms_p50 and 0 <= r.frame_acc <= 1 for r in rows)
    table = format_table(rows)
    assert table.splitlines()[0].startswith("| Model | Format | Status | Size (MB) | frame acc | slot F1 | ms p50")
    report = "\n".join(target_report(rows))
    assert "onnx_int8 size" in report and ("met" in report or "MISSED" in report)


def test_encoder_teacher_is_benched_through_optimum(tiny_encoder_dir, dev_file, tmp_path):
    from export.bench import bench_encoder_teacher
    from trainer.parser_data import read_utterances

    cfg = ParserTrainConfig(teacher=f"encoder:{tiny_encoder_dir}", corpus_size=64, dev=str(dev_file),
                            teacher_loop=LoopConfig(epochs=1, batch_size=32),
                            student_loop=LoopConfig(epochs=1, batch_size=32))
    train_parser(cfg, tmp_path / "run")
    rows = {r.format: r for r in bench_encoder_teacher(tmp_path / "run" / "teacher_encoder",
                                                       read_utterances(dev_file)[:8])}
    assert rows["onnx"].frame_acc == rows["pytorch"].frame_acc and rows["onnx"].slot_f1 == rows["pytorch"].slot_f1
    assert rows["onnx_int8"].size_mb < rows["onnx"].size_mb and rows["onnx_int8"].ms_p50 > 0
    assert "optimum" in rows["tflite"].status and rows["tflite"].frame_acc is None
