"""`drape train parser`: corpus -> teacher -> soft labels -> distilled student, all in one run folder.

run folder: config.json, tokenizer.json, teacher.pt (or teacher_encoder/), soft_labels.pt, student.pt,
metrics.json, checkpoints/, tb/ (TensorBoard). `resume` picks up whichever stage was interrupted.
"""

from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import torch

from edge_app.frames import decode_logits
from edge_app.text import Tokenizer, build_vocab
from models.parser import STUDENT, ParserConfig, ParserModel, count_parameters, slot_layout
from trainer.distill import distillation_loss
from trainer.loop import LoopConfig, save_atomic, train
from trainer.metrics import parser_scores
from trainer.parser_data import parser_dataset, read_utterances, trim_padding
from trainer.paths import PARSER_DEV_SET
from trainer.teachers import make_teacher


@dataclass(frozen=True)
class ParserTrainConfig:
    teacher: str = "scratch"  # scratch | encoder:PATH | causal-lm:PATH
    data: str | None = None  # a JSON Lines corpus; None generates one
    corpus_size: int = 40_000
    seed: int = 0
    dev: str = str(PARSER_DEV_SET)
    buckets: int = 4096
    temperature: float = 2.0
    alpha: float = 0.5  # weight of the hard labels; the rest goes to the teacher's soft labels
    teacher_loop: LoopConfig = field(default_factory=lambda: LoopConfig(epochs=4, lr=5e-4))
    student_loop: LoopConfig = field(default_factory=lambda: LoopConfig(epochs=8, lr=2e-3))


def training_rows(cfg: ParserTrainConfig) -> list[dict]:
    if cfg.data:
        return read_utterances(Path(cfg.data))
    from trainer.data.text_corpus import generate_corpus

    return generate_corpus(cfg.corpus_size, cfg.seed)


def evaluate(logits: torch.Tensor, rows: list[dict]) -> dict[str, float]:
    layout = slot_layout()
    predicted = [decode_logits(row.detach().numpy(), layout) for row in logits]
    return parser_scores(predicted, [r["frame"] for r in rows])


def _tensorboard(run: Path):
    from torch.utils.tensorboard import SummaryWriter

    return SummaryWriter(str(run / "tb"))


def train_parser(cfg: ParserTrainConfig, run: Path, resume: bool = False) -> dict:
    """Train teacher and student into `run`; returns the dev-set metrics also written to metrics.json."""
    run.mkdir(parents=True, exist_ok=True)
    (run / "checkpoints").mkdir(exist_ok=True)
    _write_json(run / "config.json",
                {"parser": asdict(cfg), "torch": torch.__version__, "python": platform.python_version()})
    rows, dev = training_rows(cfg), read_utterances(Path(cfg.dev))
    tokenizer = Tokenizer(build_vocab(r["text"] for r in rows), buckets=cfg.buckets)
    _write_json(run / "tokenizer.json", tokenizer.to_dict())
    writer = _tensorboard(run)
    started = time.time()

    teacher = make_teacher(cfg.teacher, tokenizer)
    teacher.fit(rows, replace(cfg.teacher_loop, seed=cfg.seed), run / "checkpoints" / "teacher.ckpt", writer, resume)
    teacher.save(run)
    soft = _soft_labels(teacher, rows, run / "soft_labels.pt", resume)

    student = ParserModel(replace(STUDENT, vocab_size=tokenizer.size, max_tokens=tokenizer.max_tokens,
                                  features=tokenizer.features))
    data = parser_dataset(rows, tokenizer)
    data.tensors = (*data.tensors, soft)

    def loss(m, batch):
        ids, labels, teacher_logits = batch
        return distillation_loss(m(trim_padding(ids)), teacher_logits, labels, cfg.temperature, cfg.alpha)

    train(student, data, loss, replace(cfg.student_loop, seed=cfg.seed), run / "checkpoints" / "student.ckpt",
          "student", writer, resume)
    save_atomic({"config": student.config_dict(), "model": student.state_dict()}, run / "student.pt")

    dev_texts = [r["text"] for r in dev]
    with torch.no_grad():
        metrics = {"teacher": evaluate(teacher.logits(dev_texts), dev),
                   "student": evaluate(student(parser_dataset(dev, tokenizer).tensors[0]), dev),
                   "student_parameters": count_parameters(student), "train_rows": len(rows), "dev_rows": len(dev),
                   "minutes": round((time.time() - started) / 60, 2)}
    for who in ("teacher", "student"):
        for name, value in metrics[who].items():
            writer.add_scalar(f"dev/{who}_{name}", value)
    writer.close()
    _write_json(run / "metrics.json", metrics)
    return metrics


def _soft_labels(teacher, rows: list[dict], path: Path, resume: bool) -> torch.Tensor:
    if resume and path.exists():
        return torch.load(path)
    soft = teacher.logits([r["text"] for r in rows]).detach()
    save_atomic(soft, path)
    return soft


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load_parser_model(path: Path) -> ParserModel:
    """A ParserModel saved as {"config", "model"} (a run's teacher.pt or student.pt), in eval mode."""
    state = torch.load(path, map_location="cpu")
    model = ParserModel(ParserConfig(**state["config"]))
    model.load_state_dict(state["model"])
    return model.eval()


def load_student(run: Path) -> tuple[ParserModel, Tokenizer]:
    """The trained student of a run folder and its tokenizer, ready to export."""
    model = load_parser_model(run / "student.pt")
    tokenizer = Tokenizer.from_dict(json.loads((run / "tokenizer.json").read_text(encoding="utf-8")))
    return model, tokenizer
