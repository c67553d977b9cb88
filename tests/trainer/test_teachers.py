import pytest
import torch

from edge_app.errors import DrapeError
from edge_app.text import Tokenizer, build_vocab
from models.parser import slot_sizes
from trainer.loop import LoopConfig
from trainer.teachers import make_teacher

ROWS = [
    {"text": "a red dress", "frame": {"intent": "new", "category": "dress", "color": "red"}},
    {"text": "make it blue", "frame": {"intent": "modify", "color": "blue"}},
    {"text": "换成长袖", "frame": {"intent": "modify", "sleeve": "long"}},
    {"text": "undo", "frame": {"intent": "undo"}},
] * 4
TEXTS = [r["text"] for r in ROWS[:4]]


def _tokenizer():
    return Tokenizer(build_vocab(TEXTS, min_count=1), buckets=128, max_tokens=16)


def test_scratch_teacher_fits_and_gives_layout_shaped_logits(tmp_path):
    teacher = make_teacher("scratch", _tokenizer())
    teacher.fit(ROWS, LoopConfig(epochs=1, batch_size=8), tmp_path / "ckpt", None, False)
    assert teacher.logits(TEXTS).shape == (4, sum(slot_sizes()))
    teacher.save(tmp_path)
    assert (tmp_path / "teacher.pt").exists()


def test_encoder_teacher_fine_tunes_a_hugging_face_encoder(tiny_encoder_dir, tmp_path):
    teacher = make_teacher(f"encoder:{tiny_encoder_dir}", _tokenizer())
    before = teacher.logits(TEXTS).clone()
    teacher.fit(ROWS, LoopConfig(epochs=2, batch_size=8, lr=1e-2), tmp_path / "ckpt", None, False)
    after = teacher.logits(TEXTS)
    assert after.shape == (4, sum(slot_sizes())) and not torch.allclose(before, after)
    teacher.save(tmp_path)
    assert (tmp_path / "teacher_encoder" / "config.json").exists()


def test_causal_lm_teacher_scores_every_candidate(tiny_causal_lm_dir):
    teacher = make_teacher(f"causal-lm:{tiny_causal_lm_dir}", _tokenizer())
    scores = teacher.logits(TEXTS[:2])
    assert scores.shape == (2, sum(slot_sizes()))
    assert torch.isfinite(scores).all() and (scores <= 0).all()  # mean log-probabilities
    assert not torch.allclose(scores[0], scores[1])  # the utterance changes the scores


@pytest.mark.parametrize("spec", ["gpt:foo", "encoder:/no/such/folder", "causal-lm:"])
def test_bad_teacher_spec_is_a_user_error(spec):
    with pytest.raises(DrapeError, match="teacher"):
        make_teacher(spec, _tokenizer())
