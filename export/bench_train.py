"""`drape bench train`: training throughput, in samples per second, of both trainings for 1..N processes on this
machine. Each row is a short run of the real `drape train` command (under torchrun when N > 1) at the shipped
model sizes; the loop itself times its steps, so data making, the classifier and scoring are left out.

Every process gets cores / N torch threads, so one process uses the whole machine too and the speed-up is
what more processes buy, not more cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from edge_app.errors import DrapeError
from export.report import markdown_table
from trainer.commands import MULTI_NODE

# What each bench run overrides: less data to make (throughput does not depend on it), the loop as shipped.
RUNS = {
    "parser": (["parser", "corpus_size=4000"], "metrics.json"),
    "generator": (["generator", "--stage", "teacher", "pairs=512", "eval_pairs=16", "classifier_pairs=512",
                   "classifier_epochs=1"],
                  "metrics_teacher.json"),
}


@dataclass
class TrainRow:
    model: str
    loop: str
    processes: int
    threads: int  # torch threads per process
    samples_per_s: float | None
    speedup: float | None = None


def bench_train(processes: list[int], steps: int = 30, models: tuple[str, ...] = tuple(RUNS)) -> list[TrainRow]:
    cores = os.cpu_count() or 1
    rows = []
    for model in models:
        for n in processes:
            threads = max(1, cores // n)
            for loop, rate in _run(model, n, threads, steps).items():
                rows.append(TrainRow(model, loop, n, threads, rate))
    for row in rows:
        base = next((r for r in rows if (r.model, r.loop, r.processes) == (row.model, row.loop, 1)), None)
        if base is not None and base.samples_per_s and row.samples_per_s:
            row.speedup = row.samples_per_s / base.samples_per_s
    return rows


def _run(model: str, processes: int, threads: int, steps: int) -> dict[str, float | None]:
    """{loop: samples per second} of one short `drape train` run."""
    args, metrics_file = RUNS[model]
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "tools.cli", "train", *args, "--out", tmp, "--nproc", str(processes),
                   "--max-steps", str(steps)]
        print(f"bench train: {model}, {processes} process(es) x {threads} thread(s), {steps} steps", file=sys.stderr)
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ,
                                                                            "OMP_NUM_THREADS": str(threads)})
        if done.returncode != 0:
            raise DrapeError(f"the {model} training failed with {processes} process(es): "
                             f"{done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
        rate = json.loads((Path(tmp) / metrics_file).read_text())["samples_per_s"]
    return rate if isinstance(rate, dict) else {"teacher": rate}


COLUMNS = [("Model", "model", None), ("Loop", "loop", None), ("Processes", "processes", None),
           ("Threads each", "threads", None), ("Samples/s", "samples_per_s", 1), ("Speed-up", "speedup", 2)]


def format_train_table(rows: list[TrainRow]) -> str:
    return markdown_table(COLUMNS, rows) + f"\n\nMulti-node GPU run (on each node; nccl, bf16 on GPUs):\n\n{MULTI_NODE}"


def train_notes(rows: list[TrainRow]) -> list[str]:
    """No target is set for training speed (the issue asks for the numbers); say what scaled and how much."""
    best = [r for r in rows if r.speedup is not None and r.processes > 1]
    return [f"- {r.model} {r.loop}: {r.processes} processes {r.speedup:.2f}x one process" for r in best] or \
        ["- only one process count measured"]
