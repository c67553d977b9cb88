"""`drape export parser`: a run's student to every asked format, each checked against PyTorch on the dev set,
then written as the bundle's `parser` with its tokenizer, slot layout, metrics and the run it came from."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from edge_app.parser import TextParser
from edge_app.runtime import load_model
from edge_app.text import Tokenizer
from export.bundle import write_bundle
from export.formats import Format
from export.named_io import torch_outputs
from export.validate import validate
from models.parser import slot_layout
from trainer.metrics import parser_scores
from trainer.parser_data import read_utterances
from trainer.run_info import run_record


class TorchRunner:
    """A PyTorch model behind the runtime's `run(feeds) -> outputs` interface, so one parse path serves both."""

    def __init__(self, model: nn.Module, output_names: tuple[str, ...] | list[str] = ("logits",)):
        self.model, self.output_names = model.eval(), list(output_names)

    def run(self, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return torch_outputs(self.model, feeds, self.output_names)


def dev_samples(tokenizer: Tokenizer, rows: list[dict]) -> list[dict[str, np.ndarray]]:
    return [{"ids": np.asarray([tokenizer.encode(r["text"])], dtype=np.int32)} for r in rows]


def score_parser(parser: TextParser, rows: list[dict]) -> dict[str, float]:
    return parser_scores([parser.parse(r["text"]) for r in rows], [r["frame"] for r in rows])


def export_model_files(model: nn.Module, tokenizer: Tokenizer, formats: list[Format], rows: list[dict],
                       workdir: Path, stem: str) -> tuple[dict[str, Path], dict[str, dict]]:
    """Export `model` to each format in `workdir`, validate it on the dev rows; files and per-format metrics."""
    sample = {"ids": torch.tensor([tokenizer.encode(rows[0]["text"])], dtype=torch.int32)}
    samples = dev_samples(tokenizer, rows)
    files, metrics = {}, {"pytorch": score_parser(TextParser(TorchRunner(model), tokenizer, slot_layout()), rows)}
    for fmt in tqdm(formats, desc=f"export {stem}", unit="format"):
        path = fmt.export(model, sample, ["logits"], workdir / f"{stem}{fmt.suffix}")
        result = validate(model, path, fmt.name, samples)
        entry = result.to_manifest()
        if result.validated:
            entry.update(score_parser(TextParser(load_model(path, fmt.backend), tokenizer, slot_layout()), rows))
        files[fmt.name], metrics[fmt.name] = path, entry
        tqdm.write(f"  {fmt.name:12s} {result.status}" + (f"  frame acc {entry['frame_acc']:.3f}"
                                                         if "frame_acc" in entry else ""), file=sys.stderr)
    return files, metrics


def export_parser(run: Path, out: Path, formats: list[Format], dev: Path) -> dict:
    """Export the student of `run` into the bundle `out`; returns the per-format metrics."""
    from trainer.train_parser import load_student

    model, tokenizer = load_student(run)
    rows = read_utterances(dev)
    with tempfile.TemporaryDirectory() as tmp:
        files, metrics = export_model_files(model, tokenizer, formats, rows, Path(tmp), "student")
        sample_ids = dev_samples(tokenizer, rows[:1])[0]
        write_bundle(out, {"parser": {
            "files": files,
            "inputs": sample_ids,
            "outputs": TorchRunner(model).run(sample_ids),
            "tokenizer": tokenizer.to_dict(),
            "slots": slot_layout(),
            "metrics": {"dev_set": dev.name, "dev_rows": len(rows), **metrics},
            "run": run_record(run),
        }})
    return metrics

