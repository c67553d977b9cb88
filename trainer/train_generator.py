"""`drape train generator --stage teacher|student`: rendered pairs -> GAN teacher -> distilled student.

run folder: config.json, teacher.pt, student.pt, metrics.json, samples_<stage>.png, checkpoints/, tb/ (TensorBoard
scalars and image grids). The student stage reads teacher.pt from the same folder. `resume` continues a stage.
"""

from __future__ import annotations

import json
import platform
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import torch

from edge_app.errors import DrapeError
from models.generator import STUDENT, TEACHER, Generator, GeneratorConfig
from trainer.gan import GanConfig, GanTrainee
from trainer.garment_data import garment_pairs
from trainer.loop import LoopConfig, run_steps, save_atomic

STAGES = ("teacher", "student")


@dataclass(frozen=True)
class GeneratorTrainConfig:
    pairs: int = 6000
    seed: int = 0
    gan: GanConfig = field(default_factory=GanConfig)
    loop: LoopConfig = field(default_factory=lambda: LoopConfig(epochs=6, batch_size=32, checkpoint_every=100))
    teacher: GeneratorConfig = TEACHER
    student: GeneratorConfig = STUDENT


def sample_grid(generator: Generator, data, count: int = 8) -> np.ndarray:
    """Truth (top row) over generated (bottom row) for the first `count` pairs, RGB on grey, uint8 (H, W, 3)."""
    attributes, rgb, style, truth = (t[:count] for t in data.tensors)
    with torch.no_grad():
        fake = generator.eval()(attributes, rgb, style)
    rows = [truth.float() / 255, fake]
    grey = torch.full_like(rows[0][:, :3], 0.75)
    tiles = [torch.cat(list(r[:, :3] * r[:, 3:] + grey * (1 - r[:, 3:])), dim=2) for r in rows]  # (3, H, W*count)
    return (torch.cat(tiles, dim=1).permute(1, 2, 0).numpy() * 255).astype(np.uint8)


def load_generator(path: Path) -> Generator:
    if not path.exists():
        raise DrapeError(f"no {path.name} in {path.parent}; train it with: drape train generator --stage "
                         f"{path.stem} --out {path.parent}")
    state = torch.load(path, map_location="cpu")
    cfg = state["config"]
    model = Generator(GeneratorConfig(**{**cfg, "channels": tuple(cfg["channels"])}))
    model.load_state_dict(state["model"])
    return model.eval()


def train_generator(cfg: GeneratorTrainConfig, stage: str, run: Path, resume: bool = False) -> dict:
    """Train one stage into `run`; returns its metrics (the last step's losses), also in metrics.json."""
    if stage not in STAGES:
        raise DrapeError(f"unknown stage {stage!r}; the stages are: {', '.join(STAGES)}")
    (run / "checkpoints").mkdir(parents=True, exist_ok=True)
    (run / "config.json").write_text(json.dumps({"generator": asdict(cfg), "torch": torch.__version__,
                                                 "python": platform.python_version()}, indent=2) + "\n")
    teacher = load_generator(run / "teacher.pt") if stage == "student" else None
    generator = Generator(cfg.teacher if stage == "teacher" else cfg.student)
    data, _ = garment_pairs(cfg.pairs, cfg.seed, generator.cfg.style_dim)
    trainee = GanTrainee(generator, cfg.gan, teacher=teacher)
    from torch.utils.tensorboard import SummaryWriter

    writer = SummaryWriter(str(run / "tb"))
    run_steps(trainee, data, replace(cfg.loop, seed=cfg.seed), run / "checkpoints" / f"{stage}.ckpt", stage, writer,
              resume)
    save_atomic({"config": generator.config_dict(), "model": generator.state_dict()}, run / f"{stage}.pt")
    grid = sample_grid(generator, data)
    writer.add_image(f"{stage}/truth_over_generated", grid, dataformats="HWC")
    writer.close()
    from PIL import Image

    Image.fromarray(grid).save(run / f"samples_{stage}.png")
    metrics = {"stage": stage, "pairs": cfg.pairs, "parameters": sum(p.numel() for p in generator.parameters())}
    (run / f"metrics_{stage}.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics
