"""Distillation losses: hard labels plus temperature-scaled KL to a teacher's soft labels."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from models.parser import split_logits


def hard_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean over slots of the cross-entropy; logits (B, sum classes), labels (B, S)."""
    losses = [F.cross_entropy(s, y) for s, y in zip(split_logits(logits), labels.unbind(1), strict=True)]
    return torch.stack(losses).mean()


def soft_loss(student: torch.Tensor, teacher: torch.Tensor, temperature: float) -> torch.Tensor:
    """Mean over slots of T^2 * KL(teacher_T || student_T); the T^2 keeps gradients the size of the hard loss."""
    losses = [
        F.kl_div(F.log_softmax(s / temperature, -1), F.log_softmax(t / temperature, -1), log_target=True,
                 reduction="batchmean")
        for s, t in zip(split_logits(student), split_logits(teacher), strict=True)
    ]
    return torch.stack(losses).mean() * temperature**2


def distillation_loss(student: torch.Tensor, teacher: torch.Tensor, labels: torch.Tensor, temperature: float = 2.0,
                      alpha: float = 0.5) -> torch.Tensor:
    """alpha * hard + (1 - alpha) * soft."""
    return alpha * hard_loss(student, labels) + (1 - alpha) * soft_loss(student, teacher, temperature)
