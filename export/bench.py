"""`drape bench parser`: teacher and student in every format on the dev set, single-threaded.

Rows: Format | Status | Size (MB) | frame acc | slot F1 | ms p50 | ms p95. The student's files are the bundle's
(what ships); the teacher is exported from the run folder into a temporary directory. Time is a whole parse
(tokenize, run, decode) of one utterance, taken over the dev set after one warm-up pass.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from edge_app.bundle import load_bundle, size_of
from edge_app.parser import TextParser
from edge_app.text import Tokenizer
from export.formats import FORMATS, Format
from export.parser import TorchRunner, export_model_files
from export.report import check_target, markdown_table
from models.parser import ParserModel, count_parameters, slot_layout


@dataclass
class BenchRow:
    model: str
    format: str
    status: str
    size_mb: float | None = None
    frame_acc: float | None = None
    slot_f1: float | None = None
    ms_p50: float | None = None
    ms_p95: float | None = None


def time_parser(parser: TextParser, texts: list[str]) -> tuple[float, float]:
    """p50 and p95 milliseconds of one parse, after a warm-up pass over the same texts."""
    for text in texts:
        parser.parse(text)
    times = []
    for text in texts:
        start = time.perf_counter()
        parser.parse(text)
        times.append((time.perf_counter() - start) * 1000)
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def measure(name: str, fmt: str, parser: TextParser | None, rows: list[dict], size_bytes: int, status: str) -> BenchRow:
    row = BenchRow(name, fmt, status, round(size_bytes / 1e6, 3))
    if parser is None:
        return row
    predicted = [parser.parse(r["text"]) for r in rows]
    from trainer.metrics import parser_scores

    scores = parser_scores(predicted, [r["frame"] for r in rows])
    p50, p95 = time_parser(parser, [r["text"] for r in rows])
    row.frame_acc, row.slot_f1, row.ms_p50, row.ms_p95 = scores["frame_acc"], scores["slot_f1"], p50, p95
    print(f"bench: {name} {fmt}: frame acc {row.frame_acc:.3f}, p50 {p50:.3f} ms", file=sys.stderr)
    return row


def bench_student(bundle_dir: Path, rows: list[dict]) -> list[BenchRow]:
    bundle = load_bundle(bundle_dir)
    entry = bundle.model("parser")
    tokenizer = Tokenizer.from_dict(entry["tokenizer"])
    out = []
    for name, file in entry.files.items():
        fmt = FORMATS[name]
        if not fmt.validates_here:
            out.append(measure("student", name, None, rows, file.size_bytes, "not run: Core ML predicts on macOS only"))
            continue
        parser = TextParser(bundle.load_model("parser", name, threads=1), tokenizer, entry["slots"])
        out.append(measure("student", name, parser, rows, file.size_bytes, "ok"))
    return out


def bench_torch_and_exports(name: str, model: ParserModel, tokenizer: Tokenizer, rows: list[dict],
                            formats: list[Format]) -> list[BenchRow]:
    """PyTorch fp32, then each format exported afresh from `model` (used for the teacher)."""
    from edge_app.runtime import load_model

    out = [measure(name, "pytorch", TextParser(TorchRunner(model), tokenizer, slot_layout()), rows,
                   count_parameters(model) * 4, "ok")]
    with tempfile.TemporaryDirectory() as tmp:
        files, metrics = export_model_files(model, tokenizer, formats, rows[:32], Path(tmp), name)
        for fmt_name, path in files.items():
            fmt = FORMATS[fmt_name]
            size = size_of(path)
            parser = TextParser(load_model(path, fmt.backend), tokenizer, slot_layout()) if fmt.validates_here else None
            status = metrics[fmt_name]["status"] if parser is None else "ok"
            out.append(measure(name, fmt_name, parser, rows, size, status))
    return out


def bench_parser(bundle_dir: Path, run: Path | None, rows: list[dict]) -> list[BenchRow]:
    torch.set_num_threads(1)
    rows_out = []
    if run is not None and (run / "teacher.pt").exists():
        from trainer.train_parser import load_parser_model, load_student

        teacher = load_parser_model(run / "teacher.pt")
        student, tokenizer = load_student(run)
        rows_out += bench_torch_and_exports("teacher", teacher, tokenizer, rows, list(FORMATS.values()))
        rows_out.append(measure("student", "pytorch", TextParser(TorchRunner(student), tokenizer, slot_layout()),
                                rows, count_parameters(student) * 4, "ok"))
    elif run is not None and (run / "teacher_encoder").is_dir():
        rows_out += bench_encoder_teacher(run / "teacher_encoder", rows)
    else:
        rows_out.append(BenchRow("teacher", "-", f"skipped: no teacher in run folder {run}"))
    return rows_out + bench_student(bundle_dir, rows)


def bench_encoder_teacher(folder: Path, rows: list[dict]) -> list[BenchRow]:
    from export.hf_teacher import encoder_teacher_parsers

    with tempfile.TemporaryDirectory() as tmp:
        out = [measure("teacher", fmt, parser, rows, size, status)
               for fmt, parser, size, status in encoder_teacher_parsers(folder, Path(tmp))]
    reason = "not exported: a Hugging Face teacher goes through optimum, which writes ONNX"
    return out + [BenchRow("teacher", name, reason) for name in FORMATS if name not in ("onnx", "onnx_int8")]


PARSER_COLUMNS = [("Model", "model", None), ("Format", "format", None), ("Status", "status", None),
                  ("Size (MB)", "size_mb", 2), ("frame acc", "frame_acc", 3), ("slot F1", "slot_f1", 3),
                  ("ms p50", "ms_p50", 3), ("ms p95", "ms_p95", 3)]


def format_table(rows: list[BenchRow]) -> str:
    return markdown_table(PARSER_COLUMNS, rows)





def rows_as_json(rows: list[BenchRow]) -> list[dict]:
    return [asdict(r) for r in rows]


def _find(rows: list[BenchRow], model: str, fmt: str) -> BenchRow | None:
    return next((r for r in rows if r.model == model and r.format == fmt and r.frame_acc is not None), None)


def target_report(rows: list[BenchRow]) -> list[str]:
    """DESIGN.md's parser targets against the measured rows, each with its distance where missed."""
    lines = []
    teacher = _find(rows, "teacher", "pytorch")
    for fp32, int8 in (("onnx", "onnx_int8"), ("tflite", "tflite_int8")):
        full, small = _find(rows, "student", fp32), _find(rows, "student", int8)
        if small is None:
            continue
        lines.append(check_target(f"student {int8} size", small.size_mb, 2.0, "MB"))
        lines.append(check_target(f"student {int8} p50", small.ms_p50, 1.0, "ms"))
        lines.append(check_target(f"student {int8} frame acc", 100 * small.frame_acc, 90.0, "points", True))
        if full is not None:
            lines.append(check_target(f"{int8} vs {fp32} frame acc drop", 100 * (full.frame_acc - small.frame_acc), 1.0,
                                "points"))
        if teacher is not None:
            gap = 100 * (teacher.frame_acc - small.frame_acc)
            lines.append(check_target(f"teacher - student {int8} frame acc", gap, 1.0, "points"))
    return lines
