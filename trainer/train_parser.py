"""`drape train parser`: corpus -> teacher -> soft labels -> distilled student, all in one run folder.

run folder: config.yaml and run.json (trainer/run_info.py), tokenizer.json, teacher.pt (or teacher_encoder/),
soft_labels.pt, student.pt, metrics.json, checkpoints/, tb/ (TensorBoard). `resume` picks up whichever stage was
interrupted. Under torchrun every process builds the same corpus and trains its share of each batch of both loops;
rank 0 alone writes and scores (the others return {}).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import torch

from edge_app.bundle import sha256_of
from edge_app.frames import decode_logits
from edge_app.text import Tokenizer, build_vocab
from models.parser import STUDENT, ParserConfig, ParserModel, count_parameters, slot_layout
from trainer import distributed
from trainer.distill import distillation_loss
from trainer.loop import LoopConfig, save_atomic, tensorboard, train
from trainer.metrics import parser_scores
from trainer.parser_data import parser_dataset, read_utterances, trim_padding
from trainer.paths import PARSER_DEV_SET
from trainer.run_info import fingerprint, write_run_info
from trainer.teachers import make_teacher


@dataclass(frozen=True)
class ParserTrainConfig:
    teacher: str = "scratch"  # scratch | encoder:PATH | causal-lm:PATH
    data: str | None = None  # a JSON Lines corpus; None generates one
    corpus_size: int = 40_000  # utterances generated when `data` is not given
    seed: int = 0  # seeds the corpus, the models and both loops (it replaces their seed)
    dev: str = str(PARSER_DEV_SET)  # the hand-written dev set the metrics are measured on
    buckets: int = 4096  # hashed character n-gram buckets of the tokenizer
    temperature: float = 2.0  # distillation temperature of the soft labels
    dropout: float = STUDENT.dropout  # of the student and of a scratch teacher
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


def train_parser(cfg: ParserTrainConfig, run: Path, resume: bool = False) -> dict:
    """Train teacher and student into `run`; returns the dev-set metrics also written to metrics.json."""
    distributed.init()
    main = distributed.is_main()
    rows, dev = training_rows(cfg), read_utterances(Path(cfg.dev))
    tokenizer = Tokenizer(build_vocab(r["text"] for r in rows), buckets=cfg.buckets)
    data = parser_dataset(rows, tokenizer)
    write_run_info(run, cfg, {"corpus": fingerprint(data.tensors), "dev": sha256_of(Path(cfg.dev))})
    if main:
        (run / "checkpoints").mkdir(exist_ok=True)
        _write_json(run / "tokenizer.json", tokenizer.to_dict())
    writer = tensorboard(run)
    started = time.time()

    torch.manual_seed(cfg.seed)  # the models' initial weights
    teacher = make_teacher(cfg.teacher, tokenizer, cfg.dropout)
    throughput = {"teacher": teacher.fit(rows, replace(cfg.teacher_loop, seed=cfg.seed),
                                         run / "checkpoints" / "teacher.ckpt", writer, resume)}
    if main:
        teacher.save(run)
    soft = _soft_labels(teacher, rows, run / "soft_labels.pt", resume)

    torch.manual_seed(cfg.seed)
    student = ParserModel(replace(STUDENT, vocab_size=tokenizer.size, max_tokens=tokenizer.max_tokens,
                                  features=tokenizer.features, dropout=cfg.dropout))
    data.tensors = (*data.tensors, soft)

    def loss(m, batch):
        ids, labels, teacher_logits = batch
        return distillation_loss(m(trim_padding(ids)), teacher_logits, labels, cfg.temperature, cfg.alpha)

    throughput["student"] = train(student, data, loss, replace(cfg.student_loop, seed=cfg.seed),
                                  run / "checkpoints" / "student.ckpt", "student", writer, resume)
    if not main:
        return {}
    save_atomic({"config": student.config_dict(), "model": student.state_dict()}, run / "student.pt")

    dev_texts = [r["text"] for r in dev]
    with torch.no_grad():
        metrics = {"teacher": evaluate(teacher.logits(dev_texts), dev),
                   "student": evaluate(student(parser_dataset(dev, tokenizer).tensors[0]), dev),
                   "student_parameters": count_parameters(student), "train_rows": len(rows), "dev_rows": len(dev),
                   "minutes": round((time.time() - started) / 60, 2), "processes": distributed.world_size(),
                   "samples_per_s": {k: v["samples_per_s"] for k, v in throughput.items()}}
    for who in ("teacher", "student"):
        for name, value in metrics[who].items():
            writer.add_scalar(f"dev/{who}_{name}", value)
    writer.close()
    _write_json(run / "metrics.json", metrics)
    return metrics


def _soft_labels(teacher, rows: list[dict], path: Path, resume: bool) -> torch.Tensor:
    """The teacher's logits over the corpus: rank 0 computes and saves them, every process reads them back."""
    if distributed.is_main() and not (resume and path.exists()):
        save_atomic(teacher.logits([r["text"] for r in rows]).detach(), path)
    distributed.barrier()
    return torch.load(path)


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
