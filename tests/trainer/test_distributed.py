"""Both trainings under torchrun with two gloo processes on the CPU: they match one process with the same global
batch, and a worker killed with SIGKILL is restarted by torchrun and the run ends where an unbroken one does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from models.schema import SPRITE_SIZE
from trainer.train_generator import load_generator

DEV_ROWS = 24
PARSER = ["corpus_size=256", "dropout=0", "teacher_loop.epochs=1", "student_loop.epochs=1",
          "teacher_loop.batch_size=32", "student_loop.batch_size=32"]
GENERATOR = ["pairs=32", "eval_pairs=4", "classifier_pairs=32", "wave_steps=20", "loop.epochs=2", "loop.batch_size=8",
             "loop.checkpoint_every=2",
             "teacher.channels=[16,8,8,4]", "teacher.cond_dim=32"]


def drape_train(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "tools.cli", "train", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)


def finish(process: subprocess.Popen) -> str:
    out, _ = process.communicate(timeout=300)
    assert process.returncode == 0, out[-3000:]
    return out


@pytest.fixture(scope="module")
def dev_file(tmp_path_factory) -> Path:
    from trainer.paths import PARSER_DEV_SET

    path = tmp_path_factory.mktemp("dev") / "dev.jsonl"
    path.write_text("".join(PARSER_DEV_SET.read_text(encoding="utf-8").splitlines(True)[:DEV_ROWS]), encoding="utf-8")
    return path


def _weights(path: Path) -> dict[str, torch.Tensor]:
    return torch.load(path, map_location="cpu")["model"]


def _max_diff(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> float:
    return max((a[k].float() - b[k].float()).abs().max().item() for k in a)


def test_two_processes_train_the_parser_as_one_does(tmp_path, dev_file):
    args = [*PARSER, f"dev={dev_file}"]
    one, two = (drape_train("parser", *args, "--out", str(tmp_path / f"p{n}"), "--nproc", str(n)) for n in (1, 2))
    finish(one), finish(two)
    for name in ("teacher.pt", "student.pt"):  # no dropout, equal global batches: equal up to float rounding
        assert _max_diff(_weights(tmp_path / "p1" / name), _weights(tmp_path / "p2" / name)) < 1e-5, name
    assert '"processes": 2' in (tmp_path / "p2" / "metrics.json").read_text()
    assert not (tmp_path / "p2" / "checkpoints" / "student.ckpt.tmp").exists()


@pytest.fixture(scope="module")
def generator_runs(tmp_path_factory) -> tuple[Path, Path]:
    """(one-process run, two-process run) of the tiny generator teacher, started together."""
    root = tmp_path_factory.mktemp("gan")
    runs = [drape_train("generator", "--stage", "teacher", *GENERATOR, "--out", str(root / f"g{n}"), "--nproc", str(n))
            for n in (1, 2)]
    for run in runs:
        finish(run)
    return root / "g1", root / "g2"


def _sprites(run: Path) -> torch.Tensor:
    from trainer.garment_data import garment_pairs

    data, _ = garment_pairs(8, 77, 8, progress=False)
    with torch.no_grad():
        return load_generator(run / "teacher.pt")(*data.tensors[:3])


def test_two_processes_train_the_generator_as_one_does(generator_runs):
    """Equal within 2e-3 per pixel: the critic's attribute loss averages over each process's labelled rows, not
    the global batch's, and Adam's first steps turn rounding in near-zero gradients into +-lr."""
    one, two = generator_runs
    assert _sprites(one).shape == (8, 4, *SPRITE_SIZE)
    assert (_sprites(one) - _sprites(two)).abs().max() < 2e-3
    assert (two / "run.json").read_text().count('"processes": 2') == 1


def test_a_worker_killed_mid_run_is_restarted_and_ends_as_an_unbroken_run(generator_runs, tmp_path):
    run = tmp_path / "killed"
    launcher = drape_train("generator", "--stage", "teacher", *GENERATOR, "--out", str(run), "--nproc", "2",
                           "--max-restarts", "1")
    checkpoint = run / "checkpoints" / "teacher.ckpt"
    deadline = time.monotonic() + 240
    while not checkpoint.exists():  # the first checkpoint (step 2 of 8) is on disk
        assert launcher.poll() is None and time.monotonic() < deadline, "the run ended before its first checkpoint"
        time.sleep(0.05)
    workers = _grandchildren(launcher.pid)
    assert len(workers) == 2
    os.kill(workers[-1], signal.SIGKILL)
    out = finish(launcher)
    assert "resumed" in out and "at step" in out  # torchrun restarted the workers and they resumed
    assert (_sprites(run) - _sprites(generator_runs[1])).abs().max() < 1e-5


def _grandchildren(pid: int) -> list[int]:
    """The worker processes: children of torchrun, itself the child of `drape train --nproc`."""
    def children(p: int) -> list[int]:
        try:
            return [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except FileNotFoundError:
            return []

    deadline = time.monotonic() + 30
    while True:
        found = [g for c in children(pid) for g in children(c)]
        if len(found) >= 2 or time.monotonic() > deadline:
            return sorted(found)
        time.sleep(0.05)
