"""`drape export generator`: a run's student to every asked format through the format table, each checked against
PyTorch on held-out garments (parity, colour error, silhouette IoU), then written as the bundle's `generator` with
its attribute layout, style size, metrics and run, beside the garment templates. Both int8 files are dynamic-range
(int8 weights, activations quantized per sprite at run time): see export/onnx_export.py for why not static."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from export.bundle import write_bundle
from export.formats import Format
from export.named_io import torch_outputs
from export.validate import validate
from models.renderer_parts import attribute_layout
from models.schema import garment_templates
from trainer.garment_data import garment_pairs
from trainer.run_info import run_record
from trainer.sprite_quality import CLASSIFIER, sprite_quality, to_rgba_uint8

EVAL_SEED = 2_000_003  # held-out garments: neither training nor the stages' own evaluation drew from this seed


def generator_samples(data) -> list[dict[str, np.ndarray]]:
    attributes, rgb, style = data.tensors[:3]
    return [{"attributes": attributes[i : i + 1].numpy(), "rgb": rgb[i : i + 1].numpy(),
             "style": style[i : i + 1].numpy()} for i in range(len(attributes))]


INT8_BOUNDS = {"delta_e": 1.0, "iou": -0.01}  # how far an int8 file's metric may move from PyTorch's, and which way


def int8_status(entry: dict, reference: dict) -> str:
    """An int8 file's status by the metrics its sprites are judged by (INT8_BOUNDS: within 1 ΔE and 0.01 IoU of
    the PyTorch model's) where the largest pixel difference is over the format's tolerance: a pixel on a print's
    or a glint's edge flips with int8 activations (0.55 of a colour channel in session 11's student), while ΔE and
    IoU move by 0.05 and 0.001. The largest difference stays in the entry's max_abs_diff."""
    if entry["status"] == "ok":
        return "ok"
    moved = {k: entry[k] - reference[k] for k in INT8_BOUNDS if None not in (entry.get(k), reference.get(k))}
    if "iou" not in moved:  # nothing to judge by: the pixels' verdict stands
        return entry["status"]
    said = ", ".join(f"{k} {d:+.3g}" for k, d in moved.items())
    if any(d / INT8_BOUNDS[k] > 1 for k, d in moved.items()):
        return f"over int8 bounds ({said} of PyTorch's; at most {INT8_BOUNDS})"
    return f"ok ({said} of PyTorch's; max |diff| {max(entry['max_abs_diff'].values()):.3g})"


def export_generator_files(model: nn.Module, formats: list[Format], workdir: Path, run: Path, n_eval: int = 64,
                           stem: str = "student") -> tuple[dict[str, Path], dict[str, dict]]:
    """Export `model` to each format and validate it on `n_eval` held-out garments; files and per-format metrics."""
    data, garments = garment_pairs(n_eval, EVAL_SEED, model.cfg.style_dim, progress=False)
    samples = generator_samples(data)
    sample = {k: torch.from_numpy(v) for k, v in samples[0].items()}
    reference = np.concatenate([torch_outputs(model, s, ["sprite"])["sprite"] for s in samples])
    files = {}
    metrics = {"pytorch": sprite_quality(to_rgba_uint8(reference), garments, run / CLASSIFIER)}
    for fmt in tqdm(formats, desc=f"export {stem}", unit="format"):
        path = fmt.export(model, sample, ["sprite"], workdir / f"{stem}{fmt.suffix}")
        result = validate(model, path, fmt.name, samples)
        entry = result.to_manifest()
        if result.validated:
            produced = np.concatenate([o["sprite"] for o in result.outputs])
            entry.update(sprite_quality(to_rgba_uint8(produced), garments, run / CLASSIFIER))
            if fmt.precision == "int8":
                entry["status"] = int8_status(entry, metrics["pytorch"])
        files[fmt.name], metrics[fmt.name] = path, entry
        tqdm.write(f"  {fmt.name:12s} {entry['status']}", file=sys.stderr)
    return files, metrics


def export_generator(run: Path, out: Path, formats: list[Format]) -> dict:
    """Export the student of `run` into the bundle `out` (its other models are kept); returns the metrics."""
    from trainer.train_generator import load_generator

    model = load_generator(run / "student.pt")
    with tempfile.TemporaryDirectory() as tmp:
        files, metrics = export_generator_files(model, formats, Path(tmp), run)
        data, _ = garment_pairs(1, EVAL_SEED, model.cfg.style_dim, progress=False)
        sample = generator_samples(data)[0]
        write_bundle(out, {"generator": {
            "files": files,
            "inputs": sample,
            "outputs": torch_outputs(model, sample, ["sprite"]),
            "attributes": attribute_layout(),
            "style_dim": model.cfg.style_dim,
            "metrics": metrics,
            "run": run_record(run),
        }}, extra={"templates": garment_templates()})
    return metrics
