import torch

from models.parser import slot_sizes
from trainer.distill import distillation_loss, hard_loss, soft_loss


def test_soft_loss_is_zero_for_identical_logits_and_positive_otherwise():
    torch.manual_seed(0)
    a, b = torch.randn(4, sum(slot_sizes())), torch.randn(4, sum(slot_sizes()))
    assert soft_loss(a, a, 2.0).item() < 1e-6
    assert soft_loss(a, b, 2.0).item() > 0.01


def test_distillation_mixes_hard_and_soft():
    torch.manual_seed(0)
    s, t = torch.randn(4, sum(slot_sizes())), torch.randn(4, sum(slot_sizes()))
    y = torch.zeros(4, len(slot_sizes()), dtype=torch.long)
    mixed = distillation_loss(s, t, y, temperature=3.0, alpha=0.25)
    expected = 0.25 * hard_loss(s, y) + 0.75 * soft_loss(s, t, 3.0)
    assert torch.allclose(mixed, expected)
