from dataclasses import replace

import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

from edge_app.errors import DrapeError
from trainer.loop import LoopConfig, TimeLimit, train

CFG = LoopConfig(epochs=3, batch_size=8, lr=1e-2, warmup_steps=2, seed=3, checkpoint_every=5)


def _data():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(40, 6, generator=g)
    return TensorDataset(x, (x.sum(1, keepdim=True) > 0).float())


def _model():
    torch.manual_seed(1)
    return nn.Sequential(nn.Linear(6, 16), nn.Dropout(0.2), nn.ReLU(), nn.Linear(16, 1))


def _loss(model, batch):
    return nn.functional.binary_cross_entropy_with_logits(model(batch[0]), batch[1])


def test_training_lowers_the_loss(tmp_path):
    data, model = _data(), _model()
    before = _loss(model.eval(), data.tensors).item()
    train(model, data, _loss, replace(CFG, epochs=20), tmp_path / "ckpt", "t")
    assert _loss(model, data.tensors).item() < before * 0.8
    assert (tmp_path / "ckpt").exists() and not (tmp_path / "ckpt.tmp").exists()


def test_killed_and_resumed_run_ends_where_an_unbroken_one_does(tmp_path):
    data = _data()
    unbroken = _model()
    train(unbroken, data, _loss, CFG, tmp_path / "a", "a")

    calls = {"n": 0}

    def crashing_loss(model, batch):
        calls["n"] += 1
        if calls["n"] == 8:  # dies after the checkpoint at step 5, mid-epoch 2
            raise KeyboardInterrupt
        return _loss(model, batch)

    with pytest.raises(KeyboardInterrupt):
        train(_model(), data, crashing_loss, CFG, tmp_path / "b", "b")
    resumed = _model()
    train(resumed, data, _loss, CFG, tmp_path / "b", "b", resume=True)
    for p, q in zip(unbroken.parameters(), resumed.parameters(), strict=True):
        assert torch.allclose(p, q, atol=1e-6)


def test_accumulated_micro_batches_match_the_whole_batch(tmp_path):
    def deterministic():
        torch.manual_seed(1)
        return nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))

    whole, split = deterministic(), deterministic()
    train(whole, _data(), _loss, CFG, tmp_path / "a", "a")
    train(split, _data(), _loss, replace(CFG, accumulate=2), tmp_path / "b", "b")
    for p, q in zip(whole.parameters(), split.parameters(), strict=True):
        assert torch.allclose(p, q, atol=1e-5)


def test_max_steps_stops_early_and_resume_goes_on_to_the_end(tmp_path):
    unbroken, stopped = _model(), _model()
    train(unbroken, _data(), _loss, CFG, tmp_path / "a", "a")
    assert train(stopped, _data(), _loss, replace(CFG, max_steps=7), tmp_path / "b", "b")["steps"] == 7
    assert torch.load(tmp_path / "b", weights_only=False)["step"] == 7
    assert train(stopped, _data(), _loss, CFG, tmp_path / "b", "b", resume=True)["steps"] == 15 - 7
    for p, q in zip(unbroken.parameters(), stopped.parameters(), strict=True):
        assert torch.allclose(p, q, atol=1e-6)


def test_time_limit_checkpoints_and_says_how_to_go_on(tmp_path):
    with pytest.raises(TimeLimit, match="--resume"):
        train(_model(), _data(), _loss, replace(CFG, max_minutes=1e-9), tmp_path / "c", "c")
    assert torch.load(tmp_path / "c", weights_only=False)["step"] == 1


def test_a_batch_too_small_to_split_and_bad_settings_are_refused(tmp_path):
    with pytest.raises(DrapeError, match="a batch of 2 rows cannot be split"):
        train(_model(), _data(), _loss, replace(CFG, batch_size=2, accumulate=4), tmp_path / "d", "d")
    with pytest.raises(DrapeError, match="a batch of 4 rows"):  # 40 rows: the last batch of 12 holds 4
        train(_model(), _data(), _loss, replace(CFG, batch_size=12, accumulate=8), tmp_path / "d", "d")
    with pytest.raises(ValueError, match="precision"):
        replace(CFG, precision="fp8")


@pytest.mark.parametrize("precision", ["bf16", "fp16"])
def test_mixed_precision_trains_and_keeps_its_loss_scale(tmp_path, precision):
    """The autocast and loss-scaler path a GPU takes, run on the CPU (which has bf16 and fp16 autocast too)."""
    data, model = _data(), _model()
    before = _loss(model.eval(), data.tensors).item()
    train(model, data, _loss, replace(CFG, epochs=20, precision=precision), tmp_path / "ckpt", "t")
    assert _loss(model, data.tensors).item() < before * 0.8
    scaler = torch.load(tmp_path / "ckpt", weights_only=False)["scaler"]
    assert bool(scaler) == (precision == "fp16")  # bf16 needs no loss scale; fp16 keeps one for --resume
