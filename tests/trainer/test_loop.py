from dataclasses import replace

import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

from trainer.loop import LoopConfig, train

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
    unbroken = train(_model(), data, _loss, CFG, tmp_path / "a", "a")

    calls = {"n": 0}

    def crashing_loss(model, batch):
        calls["n"] += 1
        if calls["n"] == 8:  # dies after the checkpoint at step 5, mid-epoch 2
            raise KeyboardInterrupt
        return _loss(model, batch)

    with pytest.raises(KeyboardInterrupt):
        train(_model(), data, crashing_loss, CFG, tmp_path / "b", "b")
    resumed = train(_model(), data, _loss, CFG, tmp_path / "b", "b", resume=True)
    for p, q in zip(unbroken.parameters(), resumed.parameters(), strict=True):
        assert torch.allclose(p, q, atol=1e-6)
