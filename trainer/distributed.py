"""The processes of one training run: torchrun's environment, DistributedDataParallel, and who may write.

Under torchrun (or `drape train --nproc N`, which starts it) every process runs the same training: each takes its
share of every global batch, DDP averages the gradients, and rank 0 alone writes checkpoints, logs, TensorBoard
and run files. gloo on CPU, nccl on GPU (one GPU per process, LOCAL_RANK). Without torchrun's variables there is
one process and every function here is a no-op, so a single-process run is the same code.
"""

from __future__ import annotations

import contextlib
import os
from datetime import timedelta

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

PRECISIONS = ("auto", "fp32", "bf16", "fp16")


def init() -> None:
    """Join torchrun's process group, once; nothing without torchrun's RANK / WORLD_SIZE variables."""
    if "RANK" not in os.environ or dist.is_initialized():
        return
    if torch.cuda.is_available():
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))
    rank, size, timeout = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), timedelta(minutes=60)
    # torchrun keeps one store across restarts (--max-restarts): under its default keys a restarted gloo group
    # read the dead workers' addresses and failed to connect, so each attempt gets keys of its own.
    hosted_by_agent = os.environ.get("TORCHELASTIC_USE_AGENT_STORE") == "True"
    store = dist.TCPStore(os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"]), size,
                          is_master=rank == 0 and not hosted_by_agent, timeout=timeout)
    attempt = os.environ.get("TORCHELASTIC_RESTART_COUNT", "0")
    dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo", store=dist.PrefixStore(
        f"drape/attempt_{attempt}", store), rank=rank, world_size=size, timeout=timeout)


def rank() -> int:
    return dist.get_rank() if dist.is_initialized() else 0


def world_size() -> int:
    return dist.get_world_size() if dist.is_initialized() else 1


def is_main() -> bool:
    """Rank 0: the one process that writes files."""
    return rank() == 0


def device() -> torch.device:
    return torch.device("cuda", torch.cuda.current_device()) if torch.cuda.is_available() else torch.device("cpu")


def wrap(module: nn.Module) -> nn.Module:
    """`module` on this process's device, under DDP when there are several processes.

    Buffers are synced once, at the start, not at every forward: the only ones trained here (spectral norm's
    power-iteration vectors) follow from the weights, which DDP keeps equal, and a sync costs a collective.
    """
    module = module.to(device())
    if world_size() == 1 or not any(p.requires_grad for p in module.parameters()):
        return module
    ids = [device().index] if device().type == "cuda" else None
    return DistributedDataParallel(module, device_ids=ids, forward_sync_buffers=False)


def unwrap(module: nn.Module) -> nn.Module:
    return module.module if isinstance(module, DistributedDataParallel) else module


def syncing(module: nn.Module, sync: bool):
    """Context for one micro-batch's forward and backward: gradients are averaged across processes only when
    `sync` (the last micro-batch of an accumulated step); before that they add up locally."""
    if sync or not isinstance(module, DistributedDataParallel):
        return contextlib.nullcontext()
    return module.no_sync()


def shard(index: torch.Tensor) -> torch.Tensor:
    """This process's rows of a global batch: every world_size-th, from its rank."""
    return index[rank() :: world_size()]


def any_rank(flag: bool) -> bool:
    """True on every process when `flag` is true on any of them (a stop must be taken together)."""
    if world_size() == 1:
        return flag
    value = torch.tensor([float(flag)], device=device())
    dist.all_reduce(value, op=dist.ReduceOp.MAX)
    return bool(value.item())


def barrier() -> None:
    if world_size() > 1:
        dist.barrier()


def resolve_precision(precision: str) -> str:
    """"auto": bf16 on a GPU that supports it, else fp32 (CPU autocast is slower than fp32 on most CPUs)."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision {precision!r} is not one of: {', '.join(PRECISIONS)}")
    if precision == "auto":
        return "bf16" if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else "fp32"
    return precision


class Amp:
    """Mixed precision for one run: autocast for forward passes, a loss scaler (fp16 only; bf16 has fp32's range
    and needs none) for backward passes and optimizer steps. fp32 makes every method a plain call."""

    def __init__(self, precision: str = "fp32"):
        self.precision = resolve_precision(precision)
        self.scaler = torch.amp.GradScaler(device().type, enabled=self.precision == "fp16")

    def autocast(self):
        if self.precision == "fp32":
            return contextlib.nullcontext()
        dtype = torch.bfloat16 if self.precision == "bf16" else torch.float16
        return torch.autocast(device_type=device().type, dtype=dtype)

    def backward(self, loss: torch.Tensor) -> None:
        self.scaler.scale(loss).backward()

    def step(self, optimizer: torch.optim.Optimizer, clip: tuple[list[nn.Parameter], float] | None = None) -> None:
        """Unscale, clip the gradient norm of `clip` = (parameters, max norm) if given, and step."""
        if clip is not None:
            self.scaler.unscale_(optimizer)
            nn.utils.clip_grad_norm_(*clip)
        self.scaler.step(optimizer)

    def update(self) -> None:
        """Once per training step, after every optimizer stepped."""
        self.scaler.update()


def finish() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()
