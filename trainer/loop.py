"""One training loop for every model: seeded batch order, warmup + cosine LR, progress bar, TensorBoard
scalars, checkpoints written to a temporary name and renamed, and `resume` that continues mid-epoch."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import TensorDataset
from tqdm import tqdm

LossFn = Callable[[nn.Module, tuple[torch.Tensor, ...]], torch.Tensor]


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


def save_atomic(obj: object, path: Path) -> None:
    """torch.save to `path.tmp`, then rename: a crash never leaves a half-written checkpoint behind."""
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def _schedule(cfg: LoopConfig, total_steps: int) -> Callable[[int], float]:
    def factor(step: int) -> float:
        if step < cfg.warmup_steps:
            return (step + 1) / cfg.warmup_steps
        progress = (step - cfg.warmup_steps) / max(1, total_steps - cfg.warmup_steps)
        return 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))

    return factor


def _batch_order(n: int, cfg: LoopConfig, epoch: int) -> torch.Tensor:
    return torch.randperm(n, generator=torch.Generator().manual_seed(cfg.seed * 100_003 + epoch))


def train(model: nn.Module, data: TensorDataset, loss_fn: LossFn, cfg: LoopConfig, checkpoint: Path,
          tag: str, writer=None, resume: bool = False) -> nn.Module:
    """Train `model` in place on `data`; `checkpoint` is written every `checkpoint_every` steps and at the end."""
    torch.manual_seed(cfg.seed)
    n = len(data)
    per_epoch = math.ceil(n / cfg.batch_size)
    total = per_epoch * cfg.epochs
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, _schedule(cfg, total))
    step = _restore(checkpoint, model, opt, sched) if resume and checkpoint.exists() else 0
    model.train()
    with tqdm(total=total, initial=step, desc=tag, unit="step", dynamic_ncols=True, mininterval=1.0) as bar:
        while step < total:
            epoch, offset = divmod(step, per_epoch)
            order = _batch_order(n, cfg, epoch)
            index = order[offset * cfg.batch_size : (offset + 1) * cfg.batch_size]
            loss = loss_fn(model, tuple(t[index] for t in data.tensors))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            opt.step()
            sched.step()
            step += 1
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.4f}", epoch=epoch + 1)
            if writer is not None and step % 10 == 0:
                writer.add_scalar(f"{tag}/loss", loss.item(), step)
                writer.add_scalar(f"{tag}/lr", sched.get_last_lr()[0], step)
            if step % cfg.checkpoint_every == 0 or step == total:
                _save(checkpoint, model, opt, sched, step)
    model.eval()
    return model


def _save(path: Path, model: nn.Module, opt, sched, step: int) -> None:
    save_atomic({"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                 "step": step, "torch_rng": torch.get_rng_state()}, path)


def _restore(path: Path, model: nn.Module, opt, sched) -> int:
    state = torch.load(path, map_location="cpu", weights_only=False)
    model.load_state_dict(state["model"])
    opt.load_state_dict(state["optimizer"])
    sched.load_state_dict(state["scheduler"])
    torch.set_rng_state(state["torch_rng"])
    tqdm.write(f"resumed {path} at step {state['step']}")
    return state["step"]
