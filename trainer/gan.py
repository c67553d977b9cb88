"""GAN trainees for the loop in trainer/loop.py: the generator teacher, and its student distilled GAN Compression style.

Teacher: hinge adversarial loss against a projection discriminator, L1 to the rendered truth (synthetic data is
paired), and feature matching on the discriminator's intermediate features. Real catalogue garments, when given,
are unpaired: the critic also scores them and the sprites with no condition, so they pull towards realism only.
Student: the same adversarial game, plus L1 to the teacher's sprite and MSE between its intermediate features,
lifted by 1x1 adapters, and the teacher's. Batches are (attributes, rgb, style, truth) with truth uint8 (B, 4, H, W).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from models.generator import Discriminator, Generator
from models.schema import GARMENT_SLOTS


@dataclass(frozen=True)
class GanConfig:
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    l1: float = 20.0  # to the rendered truth
    adversarial: float = 1.0
    feature_matching: float = 2.0
    distill_l1: float = 20.0  # student only: to the teacher's sprite
    distill_features: float = 2.0  # student only: adapted features to the teacher's (relative MSE)
    real_catalogue: float = 0.5  # adversarial weight of unpaired real garment images, when given
    auxiliary: float = 2.0  # the critic's attribute read-back: its cross-entropy on truth (D) and on fakes (G)


def hinge_d(real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean()


def attribute_loss(classes: list[torch.Tensor], attributes: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of the critic's read-back against the asked attributes, over the slots a sprite shows.

    Colours are left out (the generator paints them from rgb); "none" (0) is not a class to learn.
    """
    shown = [i for i, slot in enumerate(GARMENT_SLOTS) if slot not in ("color", "secondary_color")]
    targets = attributes.long()
    losses = [F.cross_entropy(classes[i], targets[:, i], ignore_index=0) for i in shown if (targets[:, i] != 0).any()]
    return torch.stack(losses).mean() if losses else classes[0].sum() * 0


def relative_mse(student: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
    """MSE over the teacher feature's mean square: 1 for a student that outputs zeros, at every layer's scale.

    Raw MSE on the teacher's unnormalised features ran near 90 and drowned the L1 terms.
    """
    return F.mse_loss(student, teacher) / (teacher.pow(2).mean() + 1e-6)


def feature_matching(fake: list[torch.Tensor], real: list[torch.Tensor]) -> torch.Tensor:
    return torch.stack([F.l1_loss(f, r.detach()) for f, r in zip(fake, real, strict=True)]).mean()


class GanTrainee:
    """One D step then one G step per batch. With `teacher`, G is a student distilled from it."""

    def __init__(self, generator: Generator, cfg: GanConfig, teacher: Generator | None = None,
                 real_sprites: torch.Tensor | None = None):
        self.g, self.d, self.cfg, self.teacher = generator, Discriminator(), cfg, teacher
        self.real = real_sprites  # uint8 (N, 4, H, W) catalogue garments: unpaired, their attributes unknown
        self.real_gen = torch.Generator().manual_seed(0)
        self.adapters = nn.ModuleList()
        if teacher is not None:
            teacher.eval().requires_grad_(False)
            pairs = zip(generator.cfg.channels, teacher.cfg.channels, strict=True)
            self.adapters = nn.ModuleList(nn.Conv2d(s, t, 1) for s, t in pairs)
        g_params = list(self.g.parameters()) + list(self.adapters.parameters())
        self.opt_g = torch.optim.Adam(g_params, lr=cfg.lr_g, betas=cfg.betas)
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=cfg.lr_d, betas=cfg.betas)

    def step(self, batch: tuple[torch.Tensor, ...]) -> dict[str, float]:
        attributes, rgb, style, truth = batch
        truth = truth.float() / 255
        fake, features = self.g(attributes, rgb, style, return_features=True)

        real_score, real_feats, real_classes = self.d(truth, attributes, rgb)
        d_loss = hinge_d(real_score, self.d(fake.detach(), attributes, rgb)[0])
        d_loss = d_loss + self.cfg.auxiliary * attribute_loss(real_classes, attributes)
        if self.real is not None:
            d_loss = d_loss + self.cfg.real_catalogue * hinge_d(self._unconditioned(self._real_batch(len(truth))),
                                                                 self._unconditioned(fake.detach()))
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()

        fake_score, fake_feats, fake_classes = self.d(fake, attributes, rgb)
        losses = {"adv": -fake_score.mean() * self.cfg.adversarial,
                  "l1": F.l1_loss(fake, truth) * self.cfg.l1,
                  "fm": feature_matching(fake_feats, real_feats) * self.cfg.feature_matching,
                  "aux": attribute_loss(fake_classes, attributes) * self.cfg.auxiliary}
        if self.real is not None:
            losses["real_adv"] = -self._unconditioned(fake).mean() * self.cfg.real_catalogue
        if self.teacher is not None:
            losses |= self._distillation(fake, features, attributes, rgb, style)
        g_loss = sum(losses.values())
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()
        return {"d": d_loss.item(), "g": g_loss.item()} | {k: v.item() for k, v in losses.items()}

    def _real_batch(self, size: int) -> torch.Tensor:
        index = torch.randint(0, len(self.real), (size,), generator=self.real_gen)
        return self.real[index].float() / 255

    def _unconditioned(self, sprites: torch.Tensor) -> torch.Tensor:
        """The critic's score with no attributes and no colours: how real the garment looks, whatever it is."""
        none = torch.zeros(len(sprites), self.g.offsets.shape[1], dtype=torch.long)
        return self.d(sprites, none, torch.zeros(len(sprites), 6))[0]

    def _distillation(self, fake, features, attributes, rgb, style) -> dict[str, torch.Tensor]:
        with torch.no_grad():
            target, teacher_features = self.teacher(attributes, rgb, style, return_features=True)
        feature_loss = torch.stack([relative_mse(adapt(s), t) for adapt, s, t in
                                    zip(self.adapters, features, teacher_features, strict=True)]).mean()
        return {"distill_l1": F.l1_loss(fake, target) * self.cfg.distill_l1,
                "distill_feat": feature_loss * self.cfg.distill_features}

    def state_dict(self) -> dict:
        return {"g": self.g.state_dict(), "d": self.d.state_dict(), "adapters": self.adapters.state_dict(),
                "opt_g": self.opt_g.state_dict(), "opt_d": self.opt_d.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        self.g.load_state_dict(state["g"])
        self.d.load_state_dict(state["d"])
        self.adapters.load_state_dict(state["adapters"])
        self.opt_g.load_state_dict(state["opt_g"])
        self.opt_d.load_state_dict(state["opt_d"])

    def modules(self) -> list[nn.Module]:
        return [self.g, self.d, self.adapters]
