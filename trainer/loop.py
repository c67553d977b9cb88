"""One training loop for every model: seeded batch order, progress bar, TensorBoard scalars, checkpoints written to
a temporary name and renamed, and `resume` that continues mid-epoch where a killed run stopped.

What a step does is the trainee's business: `Supervised` is one model, one loss, AdamW with warmup + cosine; a GAN
trainee (trainer/gan.py) updates a discriminator and a generator. The loop only orders batches and keeps state.

Several processes (trainer/distributed.py): the global batch order is the same everywhere and each process takes
its shard of every global batch, so a 2-process run sees the batches a 1-process run does. Rank 0 alone logs and
writes checkpoints. A step's randomness is seeded from (seed, step, rank): a resumed run draws what an unbroken
one did without carrying RNG states. The position in the data is the step count itself.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import torch
from torch import nn
from torch.utils.data import TensorDataset
from tqdm import tqdm

from edge_app.errors import DrapeError
from trainer import distributed
from trainer.distributed import Amp

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
    accumulate: int = 1  # micro-batches per optimizer step: a process's share of a batch is split this many times
    precision: str = "auto"  # auto (bf16 on a GPU that has it, else fp32) | fp32 | bf16 | fp16
    max_steps: int | None = None  # stop this loop after so many steps (a checkpoint is written; --resume goes on)
    max_minutes: float | None = None  # stop the run after so many minutes of this loop, checkpointed

    def __post_init__(self):
        if self.precision not in distributed.PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(distributed.PRECISIONS)}, got {self.precision!r}")
        for name in ("epochs", "batch_size", "checkpoint_every", "accumulate"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")


class TimeLimit(Exception):
    """The loop stopped at `max_minutes`, checkpointed; `--resume` continues the run."""


class Trainee(Protocol):
    """What the loop trains: `step` updates the parameters on one batch, given as micro-batches whose gradients
    add up (see distributed.syncing), and returns the scalars to log."""

    def step(self, micro: list[Batch], amp: Amp) -> dict[str, float]: ...

    def state_dict(self) -> dict: ...

    def load_state_dict(self, state: dict) -> None: ...

    def modules(self) -> list[nn.Module]: ...


def save_atomic(obj: object, path: Path) -> None:
    """torch.save to `path.tmp`, then rename: a crash never leaves a half-written checkpoint behind."""
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def tensorboard(run: Path):
    """The run's TensorBoard writer (run/tb) on rank 0, None on the others: they log nothing."""
    if not distributed.is_main():
        return None
    from torch.utils.tensorboard import SummaryWriter

    return SummaryWriter(str(run / "tb"))


def warmup_cosine(warmup: int, total: int) -> Callable[[int], float]:
    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warmup) / max(1, total - warmup))))

    return factor


class Supervised:
    """One model and one loss: AdamW, gradient clipping, warmup then cosine decay over `total_steps`."""

    def __init__(self, model: nn.Module, loss_fn: LossFn, cfg: LoopConfig, total_steps: int):
        self.model, self.loss_fn, self.cfg = distributed.wrap(model), loss_fn, cfg
        self.opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
        self.sched = torch.optim.lr_scheduler.LambdaLR(self.opt, warmup_cosine(cfg.warmup_steps, total_steps))

    def step(self, micro: list[Batch], amp: Amp) -> dict[str, float]:
        self.opt.zero_grad(set_to_none=True)
        total = 0.0
        for i, batch in enumerate(micro):
            with distributed.syncing(self.model, i == len(micro) - 1):
                with amp.autocast():
                    loss = self.loss_fn(self.model, batch) / len(micro)
                amp.backward(loss)
            total += loss.item()
        amp.step(self.opt, clip=(list(self.model.parameters()), self.cfg.grad_clip))
        self.sched.step()
        return {"loss": total, "lr": self.sched.get_last_lr()[0]}

    def state_dict(self) -> dict:
        return {"model": distributed.unwrap(self.model).state_dict(), "optimizer": self.opt.state_dict(),
                "scheduler": self.sched.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        distributed.unwrap(self.model).load_state_dict(state["model"])
        self.opt.load_state_dict(state["optimizer"])
        self.sched.load_state_dict(state["scheduler"])

    def modules(self) -> list[nn.Module]:
        return [self.model]


def steps_per_epoch(data: TensorDataset, cfg: LoopConfig) -> int:
    return math.ceil(len(data) / cfg.batch_size)


def _batch_order(n: int, cfg: LoopConfig, epoch: int) -> torch.Tensor:
    return torch.randperm(n, generator=torch.Generator().manual_seed(cfg.seed * 100_003 + epoch))


def _seed_step(cfg: LoopConfig, step: int) -> None:
    torch.manual_seed((cfg.seed * 1_000_003 + step) * 1_009 + distributed.rank())


def _micro_batches(data: TensorDataset, cfg: LoopConfig, step: int) -> list[Batch]:
    """This process's share of global batch `step`, split into `cfg.accumulate` micro-batches, on its device."""
    per_epoch = steps_per_epoch(data, cfg)
    epoch, offset = divmod(step, per_epoch)
    index = distributed.shard(_batch_order(len(data), cfg, epoch)[offset * cfg.batch_size:][:cfg.batch_size])
    return [tuple(t[part].to(distributed.device()) for t in data.tensors) for part in index.chunk(cfg.accumulate)]


def run_steps(trainee: Trainee, data: TensorDataset, cfg: LoopConfig, checkpoint: Path, tag: str, writer=None,
              resume: bool = False) -> dict:
    """Run `cfg.epochs` epochs of `trainee.step` over `data` (or `cfg.max_steps`), checkpointing every
    `checkpoint_every` steps; returns {"steps", "samples_per_s"} of this call. Raises TimeLimit at `max_minutes`."""
    smallest, parts = min(cfg.batch_size, len(data) % cfg.batch_size or cfg.batch_size), distributed.world_size()
    if smallest < parts * cfg.accumulate:
        raise DrapeError(f"{tag}: a batch of {smallest} rows cannot be split over {parts} process(es) x "
                         f"{cfg.accumulate} micro-batch(es); every micro-batch needs a row (change batch_size, "
                         f"accumulate or the number of training rows, {len(data)})")
    total = steps_per_epoch(data, cfg) * cfg.epochs
    stop = min(total, cfg.max_steps) if cfg.max_steps is not None else total
    amp = Amp(cfg.precision)
    step = first = _restore(checkpoint, trainee, amp) if resume and checkpoint.exists() else 0
    deadline = time.monotonic() + cfg.max_minutes * 60 if cfg.max_minutes is not None else None
    samples, started = 0, time.monotonic()
    for module in trainee.modules():
        module.train()
    with tqdm(total=stop, initial=step, desc=tag, unit="step", dynamic_ncols=True, mininterval=1.0,
              disable=not distributed.is_main()) as bar:
        while step < stop:
            _seed_step(cfg, step)
            micro = _micro_batches(data, cfg, step)
            scalars = trainee.step(micro, amp)
            amp.update()
            samples += sum(len(m[0]) for m in micro) * distributed.world_size()
            step += 1
            bar.update(1)
            bar.set_postfix({k: f"{v:.4g}" for k, v in scalars.items() if k != "lr"})
            if writer is not None and step % 10 == 0:  # rank 0 alone has a writer
                for name, value in scalars.items():
                    writer.add_scalar(f"{tag}/{name}", value, step)
            out_of_time = deadline is not None and distributed.any_rank(time.monotonic() > deadline)
            if step % cfg.checkpoint_every == 0 or step == stop or out_of_time:
                _checkpoint(checkpoint, trainee, amp, step)
            if out_of_time:
                raise TimeLimit(f"{tag} stopped at its time limit ({cfg.max_minutes} min) after step {step} of "
                                f"{total}; a checkpoint is in {checkpoint.parent}; continue with --resume")
    for module in trainee.modules():
        module.eval()
    seconds = time.monotonic() - started
    return {"steps": step - first, "samples_per_s": samples / seconds if seconds > 0 and samples else None}


def train(model: nn.Module, data: TensorDataset, loss_fn: LossFn, cfg: LoopConfig, checkpoint: Path,
          tag: str, writer=None, resume: bool = False) -> dict:
    """Train one model on one loss (the `Supervised` trainee); the model ends on the CPU in eval mode. Returns
    run_steps's throughput."""
    trainee = Supervised(model, loss_fn, cfg, steps_per_epoch(data, cfg) * cfg.epochs)
    throughput = run_steps(trainee, data, cfg, checkpoint, tag, writer, resume)
    model.cpu()
    return throughput


def _checkpoint(path: Path, trainee: Trainee, amp: Amp, step: int) -> None:
    if distributed.is_main():
        save_atomic({"trainee": trainee.state_dict(), "scaler": amp.scaler.state_dict(), "step": step}, path)


def _restore(path: Path, trainee: Trainee, amp: Amp) -> int:
    state = torch.load(path, map_location=distributed.device(), weights_only=False)
    trainee.load_state_dict(state["trainee"])
    if state.get("scaler"):  # an fp16 run's loss scale
        amp.scaler.load_state_dict(state["scaler"])
    if distributed.is_main():
        tqdm.write(f"resumed {path} at step {state['step']}")
    return state["step"]
