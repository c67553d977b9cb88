"""Parser teachers, one function per kind: `--teacher scratch | encoder:PATH | causal-lm:PATH`.

Every teacher gives `fit(rows, ...)` and `logits(texts) -> (N, sum classes)`, laid out as the student's,
so distillation never needs to know which kind taught it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import TensorDataset
from tqdm import tqdm

from edge_app.errors import DrapeError
from edge_app.text import Tokenizer
from models.parser import TEACHER, ParserModel, SlotHeads, slot_layout
from trainer.distill import hard_loss
from trainer.loop import LoopConfig, train
from trainer.parser_data import encode_ids, encode_labels, parser_dataset, trim_padding


@dataclass
class Teacher:
    kind: str
    fit: Callable[[list[dict], LoopConfig, Path, object, bool], dict]  # -> the loop's throughput
    logits: Callable[[list[str]], torch.Tensor]
    save: Callable[[Path], None]


def _batched_logits(fn: Callable[[list[str]], torch.Tensor], texts: list[str], desc: str, size: int = 256):
    with torch.no_grad():
        parts = [fn(texts[i : i + size]) for i in tqdm(range(0, len(texts), size), desc=desc, unit="batch")]
    return torch.cat(parts) if parts else torch.zeros(0)


def scratch_teacher(tokenizer: Tokenizer, dropout: float = TEACHER.dropout, **_) -> Teacher:
    """A wider ParserModel trained from scratch on the corpus (the offline default)."""
    model = ParserModel(replace(TEACHER, vocab_size=tokenizer.size, max_tokens=tokenizer.max_tokens,
                                features=tokenizer.features, dropout=dropout))

    def fit(rows, loop, checkpoint, writer, resume):
        def loss(m, batch):
            return hard_loss(m(trim_padding(batch[0])), batch[1])

        return train(model, parser_dataset(rows, tokenizer), loss, loop, checkpoint, "teacher", writer, resume)

    def logits(texts):
        model.eval()
        return model(trim_padding(encode_ids(texts, tokenizer)))

    def save(path):
        torch.save({"config": model.config_dict(), "model": model.state_dict()}, path / "teacher.pt")

    return Teacher("scratch", fit, lambda t: _batched_logits(logits, t, "teacher logits"), save)


class EncoderParser(nn.Module):
    """A Hugging Face encoder with the student's slot heads on its token states."""

    def __init__(self, backbone: nn.Module):
        super().__init__()
        self.backbone = backbone
        self.slots = SlotHeads(backbone.config.hidden_size)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        h = self.backbone(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state  # (B, T, C)
        return self.slots(h, (attention_mask == 0).to(h.dtype) * -1e4)


def encoder_teacher(path: str, max_length: int = 64, **_) -> Teacher:
    """Fine-tunes any Hugging Face encoder found at PATH (weights and tokenizer, loaded offline)."""
    from transformers import AutoModel, AutoTokenizer

    hf_tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = EncoderParser(AutoModel.from_pretrained(path, local_files_only=True))

    def tokenize(texts):
        enc = hf_tokenizer(texts, padding="max_length", truncation=True, max_length=max_length, return_tensors="pt")
        return enc["input_ids"], enc["attention_mask"]

    def fit(rows, loop, checkpoint, writer, resume):
        ids, mask = tokenize([r["text"] for r in rows])
        data = TensorDataset(ids, mask, encode_labels([r["frame"] for r in rows]))

        def loss(m, b):
            used = int(b[1].sum(1).max())
            return hard_loss(m(b[0][:, :used], b[1][:, :used]), b[2])

        return train(model, data, loss, loop, checkpoint, "teacher", writer, resume)

    def logits(texts):
        model.eval()
        return model(*tokenize(texts))

    def save(out):
        model.backbone.save_pretrained(out / "teacher_encoder")
        hf_tokenizer.save_pretrained(out / "teacher_encoder")
        torch.save({"slots": model.slots.state_dict()}, out / "teacher_encoder" / "slot_heads.pt")

    return Teacher("encoder", fit, lambda t: _batched_logits(logits, t, "teacher logits", 64), save)


def load_encoder_parser(folder: Path):
    """The fine-tuned encoder teacher a run saved in `folder` (teacher_encoder/), and its tokenizer."""
    from transformers import AutoModel, AutoTokenizer

    model = EncoderParser(AutoModel.from_pretrained(folder, local_files_only=True))
    model.slots.load_state_dict(torch.load(folder / "slot_heads.pt", map_location="cpu")["slots"])
    return model.eval(), AutoTokenizer.from_pretrained(folder, local_files_only=True)


def _prompt(text: str, slot: str) -> str:
    return f"A shopper said: \"{text}\"\nThe garment's {slot.replace('_', ' ')} is"


def causal_lm_teacher(path: str, **_) -> Teacher:
    """Scores every candidate value of every slot under a prompt with a causal LM; the softmax over a slot's
    candidates is the soft label. Nothing is trained: the LLM's knowledge is what the student distils."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
    lm = AutoModelForCausalLM.from_pretrained(path, local_files_only=True).eval()
    candidates = [(s["name"], " " + (label or "not said").replace("_", " "))
                  for s in slot_layout() for label in s["labels"]]

    def score(text: str) -> torch.Tensor:
        """Mean log-probability of each candidate's tokens after its slot's prompt, in layout order."""
        prompts = [tok(_prompt(text, slot))["input_ids"] for slot, _ in candidates]
        conts = [tok(c, add_special_tokens=False)["input_ids"] for _, c in candidates]
        seqs = [p + c for p, c in zip(prompts, conts, strict=True)]
        width = max(map(len, seqs))
        ids = torch.tensor([s + [0] * (width - len(s)) for s in seqs])
        mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in seqs])
        logp = torch.log_softmax(lm(input_ids=ids, attention_mask=mask).logits.float(), dim=-1)
        out = []
        for row, (p, c) in enumerate(zip(prompts, conts, strict=True)):
            positions = torch.arange(len(p) - 1, len(p) + len(c) - 1)
            out.append(logp[row, positions, torch.tensor(c)].mean())
        return torch.stack(out)

    def logits(texts):
        return torch.stack([score(t) for t in texts])

    untrained = {"steps": 0, "samples_per_s": None}
    return Teacher("causal-lm", lambda *a: untrained, lambda t: _batched_logits(logits, t, "LLM soft labels", 8),
                   lambda out: None)


class TeacherError(DrapeError):
    """A --teacher spec that names no known kind or no model folder."""


TEACHERS: dict[str, Callable[..., Teacher]] = {
    "scratch": scratch_teacher,
    "encoder": encoder_teacher,
    "causal-lm": causal_lm_teacher,
}


def make_teacher(spec: str, tokenizer: Tokenizer, dropout: float = TEACHER.dropout) -> Teacher:
    """`scratch`, `encoder:PATH` or `causal-lm:PATH` -> a Teacher; an unknown kind names the valid ones."""
    kind, _, path = spec.partition(":")
    if kind not in TEACHERS:
        raise TeacherError(f"unknown teacher {kind!r}; use one of: scratch, encoder:PATH, causal-lm:PATH")
    if kind != "scratch" and not (path and Path(path).is_dir()):
        raise TeacherError(f"--teacher {kind}:PATH needs a folder with a saved Hugging Face model, got {path!r}")
    return TEACHERS[kind](tokenizer=tokenizer, path=path, dropout=dropout)
