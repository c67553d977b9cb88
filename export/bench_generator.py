"""`drape bench generator`: teacher and student in every format on held-out garments, single-threaded.

Rows: Format | Status | Size (MB) | ΔE | IoU | attr acc | MMACs | ms p50 | ms p95. The student's files are the
bundle's; the teacher is exported from the run folder into a temporary directory. Time is one sprite (the
model run and the conversion to uint8 RGBA), after a warm-up pass.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from edge_app.bundle import load_bundle, size_of
from edge_app.runtime import load_model
from export.formats import FORMATS
from export.generator import EVAL_SEED, export_generator_files, generator_samples
from export.parser import TorchRunner
from export.report import check_target, markdown_table
from trainer.garment_data import garment_pairs
from trainer.garment_metrics import count_macs
from trainer.sprite_quality import CLASSIFIER, sprite_quality, to_rgba_uint8


@dataclass
class GeneratorRow:
    model: str
    format: str
    status: str
    size_mb: float | None = None
    delta_e: float | None = None
    iou: float | None = None
    attr_acc: float | None = None
    mmacs: float | None = None
    ms_p50: float | None = None
    ms_p95: float | None = None


COLUMNS = [("Model", "model", None), ("Format", "format", None), ("Status", "status", None),
           ("Size (MB)", "size_mb", 2), ("ΔE", "delta_e", 2), ("IoU", "iou", 3), ("attr acc", "attr_acc", 3),
           ("MMACs", "mmacs", 1), ("ms p50", "ms_p50", 2), ("ms p95", "ms_p95", 2)]


def measure(name: str, fmt: str, runner, samples, garments, classifier: Path, size: int, mmacs: float,
            status: str = "ok") -> GeneratorRow:
    row = GeneratorRow(name, fmt, status, round(size / 1e6, 3), mmacs=mmacs)
    if runner is None:
        return row
    sprites = [to_rgba_uint8(runner.run(s)["sprite"])[0] for s in samples]  # the warm-up pass, scored
    times = []
    for s in samples:
        start = time.perf_counter()
        to_rgba_uint8(runner.run(s)["sprite"])
        times.append((time.perf_counter() - start) * 1000)
    quality = sprite_quality(np.stack(sprites), garments, classifier)
    row.delta_e, row.iou, row.attr_acc = quality["delta_e"], quality["iou"], quality["attr_acc"]
    row.ms_p50, row.ms_p95 = float(np.percentile(times, 50)), float(np.percentile(times, 95))
    print(f"bench: {name} {fmt}: ΔE {row.delta_e}, IoU {row.iou:.3f}, p50 {row.ms_p50:.2f} ms", file=sys.stderr)
    return row


def bench_generator(bundle_dir: Path, run: Path, n: int = 64) -> list[GeneratorRow]:
    from trainer.train_generator import load_generator

    torch.set_num_threads(1)
    student, classifier = load_generator(run / "student.pt"), run / CLASSIFIER
    data, garments = garment_pairs(n, EVAL_SEED, student.cfg.style_dim, progress=False)
    samples = generator_samples(data)
    sample = {k: torch.from_numpy(v) for k, v in samples[0].items()}
    rows = []
    teacher = load_generator(run / "teacher.pt") if (run / "teacher.pt").exists() else None
    if teacher is not None:
        t_macs = count_macs(teacher, sample) / 1e6
        rows.append(measure("teacher", "pytorch", TorchRunner(teacher, ["sprite"]), samples, garments, classifier,
                            sum(p.numel() for p in teacher.parameters()) * 4, t_macs))
        with tempfile.TemporaryDirectory() as tmp:
            files, metrics = export_generator_files(teacher, list(FORMATS.values()), Path(tmp), run, 16, "teacher")
            for fmt_name, path in files.items():
                fmt = FORMATS[fmt_name]
                runner = load_model(path, fmt.backend) if fmt.validates_here else None
                rows.append(measure("teacher", fmt_name, runner, samples, garments, classifier, size_of(path),
                                    t_macs, "ok" if runner else metrics[fmt_name]["status"]))
    s_macs = count_macs(student, sample) / 1e6
    rows.append(measure("student", "pytorch", TorchRunner(student, ["sprite"]), samples, garments, classifier,
                        sum(p.numel() for p in student.parameters()) * 4, s_macs))
    bundle = load_bundle(bundle_dir)
    for fmt_name, file in bundle.model("generator").files.items():
        runner = bundle.load_model("generator", fmt_name) if FORMATS[fmt_name].validates_here else None
        rows.append(measure("student", fmt_name, runner, samples, garments, classifier, file.size_bytes, s_macs,
                            "ok" if runner else "not run: Core ML predicts on macOS only"))
    return rows


def format_generator_table(rows: list[GeneratorRow]) -> str:
    return markdown_table(COLUMNS, rows)


def _find(rows: list[GeneratorRow], model: str, fmt: str) -> GeneratorRow | None:
    return next((r for r in rows if r.model == model and r.format == fmt and r.iou is not None), None)


def generator_targets(rows: list[GeneratorRow]) -> list[str]:
    """DESIGN.md's generator targets against the measured rows, with the distance where missed."""

    lines = []
    teacher = next((r for r in rows if r.model == "teacher"), None)
    for fp32, int8 in (("onnx", "onnx_int8"), ("tflite", "tflite_int8")):
        full, small = _find(rows, "student", fp32), _find(rows, "student", int8)
        if small is None:
            continue
        lines += [check_target(f"student {int8} size", small.size_mb, 1.5, "MB"),
                  check_target(f"student {int8} p50", small.ms_p50, 15.0, "ms"),
                  check_target(f"student {int8} median ΔE", small.delta_e, 5.0, "ΔE"),
                  check_target(f"student {int8} IoU", small.iou, 0.9, "", True),
                  check_target(f"student {int8} attr acc", small.attr_acc, 0.95, "", True)]
        if full is not None and full.delta_e is not None and small.delta_e is not None:
            lines += [check_target(f"{int8} vs {fp32} ΔE increase", small.delta_e - full.delta_e, 1.0, "ΔE"),
                      check_target(f"{int8} vs {fp32} IoU drop", full.iou - small.iou, 0.01, "")]
    if teacher is not None and teacher.mmacs:
        student = next(r for r in rows if r.model == "student")
        lines.append(check_target("teacher / student MACs", teacher.mmacs / student.mmacs, 10.0, "x", True))
    return lines
