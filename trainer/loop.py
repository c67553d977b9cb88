"""One training loop for every model: seeded batch order, progress bar, TensorBoard scalars, checkpoints written to
a temporary name and renamed, and `resume` that continues mid-epoch with every optimizer and RNG state.

What a step does is the trainee's business: `Supervised` is one model, one loss, AdamW with warmup + cosine; a GAN
trainee (trainer/gan.py) updates a discriminator and a generator. The loop only orders batches and keeps state.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import torch
from torch import nn
from torch.utils.data import TensorDataset
from tqdm import tqdm

Batch = tuple[torch.Tensor, ...]
LossFn = Callable[[nn.Module, Batch], torch.Tensor]


@dataclass(frozen=True)
class LoopConfig:
    epochs: int = 3
    batch_size: int = 64
    lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_steps: int = 100
    seed: int = 0
    checkpoint_every: int = 200  # steps
    grad_clip: float = 1.0


class Trainee(Protocol):
    """What the loop trains: `step` updates the parameters on one batch and returns the scalars to log."""

    def step(self, batch: Batch) -> dict[str, float]: ...

    def state_dict(self) -> dict: ...

    def load_state_dict(self, state: dict) -> None: ...

    def modules(self) -> list[nn.Module]: ...


def save_atomic(obj: object, path: Path) -> None:
    """torch.save to `path.tmp`, then rename: a crash never leaves a half-written checkpoint behind."""
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def warmup_cosine(warmup: int, total: int) -> Callable[[int], float]:
    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warmup) / max(1, total - warmup))))

    return factor


class Supervised:
    """One model and one loss: AdamW, gradient clipping, warmup then cosine decay over `total_steps`."""

    def __init__(self, model: nn.Module, loss_fn: LossFn, cfg: LoopConfig, total_steps: int):
        self.model, self.loss_fn, self.cfg = model, loss_fn, cfg
        self.opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
        self.sched = torch.optim.lr_scheduler.LambdaLR(self.opt, warmup_cosine(cfg.warmup_steps, total_steps))

    def step(self, batch: Batch) -> dict[str, float]:
        loss = self.loss_fn(self.model, batch)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg.grad_clip)
        self.opt.step()
        self.sched.step()
        return {"loss": loss.item(), "lr": self.sched.get_last_lr()[0]}

    def state_dict(self) -> dict:
        return {"model": self.model.state_dict(), "optimizer": self.opt.state_dict(),
                "scheduler": self.sched.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        self.model.load_state_dict(state["model"])
        self.opt.load_state_dict(state["optimizer"])
        self.sched.load_state_dict(state["scheduler"])

    def modules(self) -> list[nn.Module]:
        return [self.model]


def steps_per_epoch(data: TensorDataset, cfg: LoopConfig) -> int:
    return math.ceil(len(data) / cfg.batch_size)


def _batch_order(n: int, cfg: LoopConfig, epoch: int) -> torch.Tensor:
    return torch.randperm(n, generator=torch.Generator().manual_seed(cfg.seed * 100_003 + epoch))


def run_steps(trainee: Trainee, data: TensorDataset, cfg: LoopConfig, checkpoint: Path, tag: str, writer=None,
              resume: bool = False) -> None:
    """Run `cfg.epochs` epochs of `trainee.step` over `data`, checkpointing every `checkpoint_every` steps."""
    torch.manual_seed(cfg.seed)
    n, per_epoch = len(data), steps_per_epoch(data, cfg)
    total = per_epoch * cfg.epochs
    step = _restore(checkpoint, trainee) if resume and checkpoint.exists() else 0
    for module in trainee.modules():
        module.train()
    with tqdm(total=total, initial=step, desc=tag, unit="step", dynamic_ncols=True, mininterval=1.0) as bar:
        while step < total:
            epoch, offset = divmod(step, per_epoch)
            index = _batch_order(n, cfg, epoch)[offset * cfg.batch_size : (offset + 1) * cfg.batch_size]
            scalars = trainee.step(tuple(t[index] for t in data.tensors))
            step += 1
            bar.update(1)
            bar.set_postfix({k: f"{v:.4g}" for k, v in scalars.items() if k != "lr"} | {"epoch": epoch + 1})
            if writer is not None and step % 10 == 0:
                for name, value in scalars.items():
                    writer.add_scalar(f"{tag}/{name}", value, step)
            if step % cfg.checkpoint_every == 0 or step == total:
                save_atomic({"trainee": trainee.state_dict(), "step": step, "torch_rng": torch.get_rng_state()},
                            checkpoint)
    for module in trainee.modules():
        module.eval()


def train(model: nn.Module, data: TensorDataset, loss_fn: LossFn, cfg: LoopConfig, checkpoint: Path,
          tag: str, writer=None, resume: bool = False) -> nn.Module:
    """Train one model on one loss (the `Supervised` trainee); returns the model, in eval mode."""
    run_steps(Supervised(model, loss_fn, cfg, steps_per_epoch(data, cfg) * cfg.epochs), data, cfg, checkpoint, tag,
              writer, resume)
    return model


def _restore(path: Path, trainee: Trainee) -> int:
    state = torch.load(path, map_location="cpu", weights_only=False)
    trainee.load_state_dict(state["trainee"])
    torch.set_rng_state(state["torch_rng"])
    tqdm.write(f"resumed {path} at step {state['step']}")
    return state["step"]
