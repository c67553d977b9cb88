"""GAN trainees for the loop in trainer/loop.py: the generator teacher, and its student distilled GAN Compression style.

Teacher: hinge adversarial loss against a projection discriminator, L1 to the rendered truth (synthetic data is
paired), and feature matching on the discriminator's intermediate features. Real catalogue garments, when given,
are unpaired: the critic also scores them and the sprites with no condition, so they pull towards realism only.
On synthetic pairs alone the critic's terms are weighted 0 by default (GanConfig): L1 made the better teacher.
Student: the same adversarial game, plus L1 to the teacher's sprite and MSE between its intermediate features,
lifted by 1x1 adapters, and the teacher's. Both draw with the print's plane waves, the folds and the alpha as the
renderer tells them (`guide_of`), and their print coverage learns the print's cover as the renderer drew it
(`cover_loss`). The predictors of the waves (models.renderer_parts.GeometryWaves), of the folds (FoldRelief) and of a
graphic (GraphicMotif) are fitted on their own before the loop (`fit_predictor`), and the loop leaves them. Their
sheen learns the material's as the renderer drew it (`sheen_loss`). Batches are (attributes, rgb, style, truth,
waves, cover, sheen, folds, motif): truth uint8 (B, 4, H, W), waves, folds and motif as trainer.garment_data's
print_waves, fold_truth and motif_truth make them, cover and sheen uint8 (B, 1, H, W).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import TensorDataset
from tqdm import tqdm

from models.generator import Discriminator, Generator, Guide, sheen_of
from models.renderer_parts import FoldRelief, GeometryWaves, GraphicMotif, fold_layout, wave_duty
from models.schema import GARMENT_SLOTS, SPRITE_SIZE
from trainer import distributed
from trainer.distributed import Amp
from trainer.garment_metrics import premultiplied
from trainer.loop import Batch


@dataclass(frozen=True)
class GanConfig:
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    l1: float = 20.0  # to the rendered truth
    # The critic's three terms are off by default: on synthetic pairs, L1 alone made the best teacher (attribute
    # accuracy 0.788 against 0.748; solids read solid 36/37 against 17/37: the critic's terms speckled every garment,
    # read as plaid). The critic stays for real catalogue garments (real_catalogue) and for whoever raises these.
    adversarial: float = 0.0
    feature_matching: float = 0.0
    distill_l1: float = 20.0  # student only: to the teacher's sprite
    distill_features: float = 2.0  # student only: adapted features to the teacher's (relative MSE)
    real_catalogue: float = 0.5  # adversarial weight of unpaired real garment images, when given
    auxiliary: float = 0.0  # the critic's attribute read-back: its cross-entropy on truth (D) and on fakes (G)
    spectrum: float = 0.0  # L1 between the log amplitude spectra of fake and true garment (phase-free pattern loss)
    cover: float = 2.0  # the print coverage against the renderer's print cover (cover_loss)
    sheen: float = 2.0  # the sheen (head's and relief's) against the renderer's (sheen_loss)
    alpha: float = 1.0  # the alpha logit against the rendered alpha (alpha_loss), beside L1
    # the print coverage's, the relief's glint weights and the motif's gain: plain regressions, which at lr_g had
    # not learnt the print by the end
    lr_coverage: float = 2e-3
    # the material textures' (MaterialTexture), one parameter per pixel, which start as the renderer's swatches
    # (train_generator): trained, at 2e-4 and at 2e-3, Adam walked every map into the same speckle (std 0.04), read
    # as wool and as plaid. 0 keeps the swatches; raise it to fine-tune them on real garments.
    lr_texture: float = 0.0


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


def spectrum_loss(fake: torch.Tensor, truth: torch.Tensor) -> torch.Tensor:
    """L1 between log amplitude spectra of the garments' colour (times alpha, mean removed) per channel.

    L1 to the truth pays for a stripe drawn half a period off twice, so the generator learns to blur patterns into
    their average; the amplitude spectrum keeps their frequency and direction and drops their phase.
    """
    def spectrum(x: torch.Tensor) -> torch.Tensor:
        colour = x[:, :3] * x[:, 3:]
        colour = colour - colour.mean(dim=(2, 3), keepdim=True)
        return torch.log1p(torch.fft.rfft2(colour.float(), norm="ortho").abs())

    return F.l1_loss(spectrum(fake), spectrum(truth))


def geometry_loss(predicted: torch.Tensor, waves: torch.Tensor) -> torch.Tensor:
    """Predicted print waves (B, K, GEOMETRY_FIELDS, raw) against the renderer's (B, K, 5: fx, fy, phase, threshold,
    present): cross-entropy on presence, and where a wave is present the frequency's relative L1 error (a stripe
    twice too wide is as wrong at any width; the longest wave a print has, a colour block's quarter cycle per
    sprite height, floors the divisor), the duty's relative L1 error (a graphic's 0.06 as much as a stripe's 0.5;
    floored at 0.05) and 1 - cos of the phase error (the phase is a direction: no loss jumps where it wraps)."""
    present = waves[..., 4]
    loss = F.binary_cross_entropy_with_logits(predicted[..., 4], present)
    unit = F.normalize(predicted[..., 2:4], dim=-1, eps=1e-6)
    phase = 1 - (unit[..., 0] * torch.cos(waves[..., 2]) + unit[..., 1] * torch.sin(waves[..., 2]))
    frequency = (predicted[..., 0:2] - waves[..., 0:2]).abs().sum(-1) / waves[..., 0:2].abs().sum(-1).clamp(min=0.25)
    duty = wave_duty(waves[..., 3])
    duty = (torch.sigmoid(predicted[..., 5]) - duty).abs() / duty.clamp(min=0.05)
    return loss + ((phase + frequency + duty) * present).mean()  # a mean over all slots: the same split or not


def fold_loss(predicted: torch.Tensor, folds: torch.Tensor) -> torch.Tensor:
    """Predicted folds (B, FOLDS * FOLD_FIELDS + FOLD_ROWS, raw) against the renderer's (trainer.garment_data.
    fold_truth): cross-entropy on each fold's presence, and where a fold is, its errors in pixels (x, width; the depth
    as 8 pixels at depth 1; the slant as the shift it makes over half the sprite's height); the rows' in pixels."""
    h, w = SPRITE_SIZE
    (mine, my_rows), (theirs, their_rows) = fold_layout(predicted), fold_layout(folds)
    present = theirs[..., 4]
    loss = F.binary_cross_entropy_with_logits(mine[..., 4], present)
    scale = torch.tensor([w, w, 8.0, h / 2], device=folds.device)
    fields = ((mine[..., :4] - theirs[..., :4]).abs() * scale).sum(-1)
    rows = ((my_rows - their_rows).abs() * h).sum(-1)
    return loss + (fields * present).mean() + rows.mean()


def motif_loss(predicted: torch.Tensor, motif: torch.Tensor) -> torch.Tensor:
    """A predicted graphic (B, MOTIF_FIELDS - 1 + len(GRAPHICS), raw) against the renderer's (trainer.garment_data.
    motif_truth), over the garments that have one: cross-entropy on the motif, errors in pixels of its place and
    size, and of its tilt at its tips (size / 2 times the angle)."""
    h, w = SPRITE_SIZE
    has = motif[:, 4] > 0
    if not has.any():
        return predicted.sum() * 0
    mine, theirs = predicted[has], motif[has]
    kind = F.cross_entropy(mine[:, 4:], theirs[:, 4].long() - 1)
    place = ((mine[:, 0] - theirs[:, 0]).abs() * w + (mine[:, 1] - theirs[:, 1]).abs() * h
             + (mine[:, 2] - theirs[:, 2]).abs() * w)
    tilt = (mine[:, 3] - theirs[:, 3]).abs() * torch.pi / 180 * theirs[:, 2] * w / 2
    return kind + (place + tilt).mean()


def fit_predictor(predictor: GeometryWaves | FoldRelief | GraphicMotif, truth: torch.Tensor, loss_of: Callable,
                  data: TensorDataset, steps: int, seed: int, batch_size: int = 64, lr: float = 2e-3,
                  progress: bool = True) -> float:
    """Fit a predictor of the renderer's choices (its `predict` MLP) alone to what the renderer says it chose for
    `data` (`truth`, read with `loss_of`: geometry_loss for the print's waves, fold_loss for the folds), Adam with a
    cosine decay over `steps`, then freeze it; -> its loss over all of `data` after.

    On its own because nothing else shapes it (training draws with the renderer's own, Guide), and it needs far more
    steps than the generator's loop takes. Learnt inside the loop (1,100 steps at batch 32), session 10's print waves
    missed on 600 held-out garments (medians) stripes' phase by 0.40 rad and their frequency by 36 %, dots' phase by
    0.22 rad, a graphic's size by 9 % and a colour block's direction by 32 %; fitted alone (12,000 steps at batch
    64, with the shape: GeometryWaves; about 3 minutes on a 2-core machine, each process fitting alike)
    0.09 rad, 12 %, 0.08 rad, 0.3 % and 15 %.
    A student copies its teacher's (start_from_teacher)."""
    attributes, style = data.tensors[0], data.tensors[2]
    draw = torch.Generator().manual_seed(seed)
    predictor.predict.requires_grad_(True)
    opt = torch.optim.Adam(predictor.predict.parameters(), lr=lr)
    decay = torch.optim.lr_scheduler.CosineAnnealingLR(opt, max(steps, 1))
    name = type(predictor).__name__
    for _ in tqdm(range(steps), desc=f"fit {name}", unit="step", disable=not progress, mininterval=1.0):
        index = torch.randint(0, len(style), (batch_size,), generator=draw)
        loss = loss_of(predictor.predicted(style[index], attributes[index]), truth[index])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        decay.step()
    predictor.predict.requires_grad_(False)
    with torch.no_grad():
        return loss_of(predictor.predicted(style, attributes), truth).item()


def guide_of(batch: Batch) -> Guide:
    """What the renderer drew for a batch, for the generator to draw with (models.generator.Guide)."""
    truth, waves, folds, motif = batch[3], batch[4], batch[7], batch[8]
    return Guide(waves=waves, folds=folds, alpha=truth[:, 3:4].float() / 255, motif=motif)


def sprite_l1(fake: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """L1 between two RGBA sprites (B, 4, H, W) in [0, 1] as they are seen: colours premultiplied by alpha.

    The renderer's colour is 0 where its alpha is 0, and plain L1 pulled the generator's colour there to black;
    its residual, the one channel that darkens everywhere at once, then saturated, and the session-12 student
    (tanh(-10) in every residual channel by step 80, no gradient back) drew every garment with a dark rim
    wherever its alpha was soft (attr acc 0.733). Premultiplied, a colour nobody sees costs nothing."""
    return F.l1_loss(premultiplied(fake), premultiplied(target))


def alpha_loss(logit: torch.Tensor, truth: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy of the head's alpha logit (B, 1, H, W) against the rendered alpha (truth uint8 (B, 4, H,
    W)). L1 on the sigmoid fades with it: a teacher that had drawn every garment opaque early kept chiffon at alpha
    0.96 for the renderer's 0.61 (all 33 held-out chiffon garments read as another material); the cross-entropy's
    gradient is the error itself, however saturated the logit."""
    return F.binary_cross_entropy_with_logits(logit, truth[:, 3:4].to(logit.dtype) / 255)


def cover_loss(mix: torch.Tensor, cover: torch.Tensor, truth: torch.Tensor) -> torch.Tensor:
    """The colour mix's logit (B, 1, H, W) against the renderer's print cover (uint8, 255 = the secondary colour):
    binary cross-entropy over the garment's pixels (truth alpha > 0).

    L1 on the colours alone reaches the mix only through the difference of the two colours, weak where they are
    close and nothing where the shading is dark, and it drew plaid, dots and colour blocks as soft blotches even
    from the renderer's own waves; the cover says directly which colour each pixel wears. GanTrainee applies it to
    the print coverage (models.renderer_parts.PrintCoverage) alone: the trunk learns from the colours it paints."""
    inside = (truth[:, 3:4] > 0).to(mix.dtype)
    target = 1 - cover.to(mix.dtype) / 255  # the mix is the first colour's share
    bce = F.binary_cross_entropy_with_logits(mix, target, reduction="none")
    return (bce * inside).sum() / inside.sum().clamp(min=1)


def sheen_loss(head: torch.Tensor, glint: torch.Tensor | None, sheen: torch.Tensor,
               truth: torch.Tensor) -> torch.Tensor:
    """The generator's sheen (models.generator.sheen_of: the head's and the relief's `glint`) against the renderer's
    (uint8 (B, 1, H, W), 255 = white): binary cross-entropy over the garment's pixels (truth alpha > 0).

    L1 to the colours alone left session 10's teachers matt: a leather's glints are thin lines whose place the
    head knows only roughly, and L1's best guess for a pixel that glints less than half the time is no glint
    (3 of 21 leather garments read as leather, most as silk). The cross-entropy's best guess is how often it glints:
    session 11's head learnt silk's sheen (correlation 0.8 per garment) and leather's mean, not its lines
    (correlation 0.55, peak 0.28 against 0.8), still read as silk; the relief draws the lines (FoldRelief)."""
    inside = (truth[:, 3:4] > 0).to(head.dtype)
    blend = sheen_of(head, glint).clamp(1e-6, 1 - 1e-6)
    target = sheen.to(head.dtype) / 255
    bce = -(target * blend.log() + (1 - target) * (1 - blend).log())  # by hand: autocast refuses F.binary_cross_entropy
    return (bce * inside).sum() / inside.sum().clamp(min=1)


def feature_matching(fake: list[torch.Tensor], real: list[torch.Tensor]) -> torch.Tensor:
    return torch.stack([F.l1_loss(f, r.detach()) for f, r in zip(fake, real, strict=True)]).mean()


def start_from_teacher(student: Generator, teacher: Generator) -> list[str]:
    """Copy the teacher's parts that do not depend on width (Generator.width_free: attribute embeddings, the
    condition MLP, the print-wave predictor and its coverage, the material textures) into the student, where
    the shapes agree; -> the parts copied. The student then starts with the teacher's waves and textures and
    spends its steps on the convolutions."""
    copied = []
    for name in Generator.width_free:
        mine, theirs = getattr(student, name), getattr(teacher, name)
        if mine is not None and theirs is not None and copy_if_shaped(mine, theirs):
            copied.append(name)
    return copied


def copy_if_shaped(mine: nn.Module, theirs: nn.Module) -> bool:
    """Load `theirs`'s weights into `mine` if every one has the same name and shape in both; -> whether it did."""
    state, own = theirs.state_dict(), mine.state_dict()
    if state.keys() != own.keys() or any(state[k].shape != v.shape for k, v in own.items()):
        return False
    mine.load_state_dict(state)
    return True


class Drafter(nn.Module):
    """The generator being trained with its 1x1 adapters (a student's; none for a teacher): forward -> (sprite,
    features lifted to the teacher's widths, predicted print waves, (raw head, print coverage)). One module, so DDP
    averages the adapters' gradients with the rest."""

    def __init__(self, generator: Generator, teacher_channels: tuple[int, ...] | None = None):
        super().__init__()
        self.g = generator
        pairs = zip(generator.cfg.channels, teacher_channels or (), strict=teacher_channels is not None)
        self.adapters = nn.ModuleList(nn.Conv2d(s, t, 1) for s, t in pairs)

    def forward(self, attributes: torch.Tensor, rgb: torch.Tensor, style: torch.Tensor, guide: Guide):
        sprite, features, geometry, raw = self.g(attributes, rgb, style, return_features=True, guide=guide)
        return sprite, [adapt(f) for adapt, f in zip(self.adapters, features, strict=False)], geometry, raw


def _generator_groups(drafter: Drafter, cfg: GanConfig) -> list[dict]:
    """The generator's parameters at lr_g, but its print coverage's, glint weights' and motif gain's at lr_coverage
    and its material textures' and motif templates' at lr_texture; its predictors' of the renderer's choices (print
    waves, folds, a graphic) not at all (fit_predictor fitted them)."""
    g = drafter.g
    small = [*(g.coverage.parameters() if g.coverage is not None else []),
             *([g.relief.weights] if g.relief is not None else []), *([g.motif.gain] if g.motif is not None else [])]
    maps = [*(g.texture.parameters() if g.texture is not None else []),
            *([g.motif.templates] if g.motif is not None else [])]
    own = [(small, cfg.lr_coverage), (maps, cfg.lr_texture)]
    chosen = {id(p) for params, _ in own for p in params}
    for fitted in (g.geometry, g.relief and g.relief.predict, g.motif and g.motif.predict):
        chosen |= {id(p) for p in (fitted.parameters() if fitted is not None else [])}
    rest = [p for p in drafter.parameters() if id(p) not in chosen]
    return [{"params": rest, "lr": cfg.lr_g}] + [{"params": params, "lr": lr} for params, lr in own if params]


class GanTrainee:
    """Per batch: the critic's step (skipped when nothing reads the critic), then the generator's. With `teacher`,
    the generator is a student distilled from it.

    The critic scores truth, fakes and (when given) unconditioned catalogue garments in one forward pass, and the
    generator's step reads the critic without syncing its gradients: one forward and one backward per module and
    micro-batch, as DDP wants. The sprites the critic trains on are drawn without gradients and drawn again with
    them for the generator's step (the same sprites: the critic's update does not touch the generator), so
    micro-batches never hold a graph across another's backward. The critic's spectral norms take one power
    iteration per step (its first forward), so a step is the same split in micro-batches or processes.
    """

    def __init__(self, generator: Generator, cfg: GanConfig, teacher: Generator | None = None,
                 real_sprites: torch.Tensor | None = None):
        self.cfg, self.g = cfg, generator
        self.teacher = teacher.eval().requires_grad_(False).to(distributed.device()) if teacher is not None else None
        self.drafter = distributed.wrap(Drafter(generator, teacher.cfg.channels if teacher is not None else None))
        self.d = distributed.wrap(Discriminator())
        self.real = real_sprites  # uint8 (N, 4, H, W) catalogue garments: unpaired, their attributes unknown
        # with every critic term weighted 0 and no catalogue nothing reads the critic: it is not trained or run
        self.critic = bool(cfg.adversarial or cfg.feature_matching or cfg.auxiliary or real_sprites is not None)
        self.opt_g = torch.optim.Adam(_generator_groups(distributed.unwrap(self.drafter), cfg), betas=cfg.betas)
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=cfg.lr_d, betas=cfg.betas)

    def step(self, micro: list[Batch], amp: Amp) -> dict[str, float]:
        n = len(micro)
        real_features, logged = self._critic_step(micro, amp) if self.critic else ([None] * n, {})
        self.opt_g.zero_grad(set_to_none=True)
        self.d.eval()
        for i, batch in enumerate(micro):
            with distributed.syncing(self.drafter, i == n - 1):
                with amp.autocast():
                    losses = self._generator_losses(batch, real_features[i])
                    g_loss = sum(losses.values())
                amp.backward(g_loss / n)
            for name, value in {"g": g_loss, **losses}.items():
                logged[name] = logged.get(name, 0.0) + value.item() / n
        amp.step(self.opt_g)
        return logged

    def _critic_step(self, micro: list[Batch], amp: Amp) -> tuple[list[list[torch.Tensor]], dict[str, float]]:
        """The critic's update; -> its features of the truth per micro-batch (for feature matching), its loss."""
        n, logged = len(micro), {}
        self.opt_d.zero_grad(set_to_none=True)
        real_features = []
        for i, batch in enumerate(micro):
            attributes, rgb, style, truth = batch[:4]
            self.d.train(i == 0)  # spectral norm's power iteration: once a step, however the batch is split
            with torch.no_grad(), amp.autocast():
                fake = self.drafter(attributes, rgb, style, guide_of(batch))[0]
            with distributed.syncing(self.d, i == n - 1):
                with amp.autocast():
                    d_loss, features = self._critic_loss(truth.float() / 255, fake, attributes, rgb)
                amp.backward(d_loss / n)
            real_features.append([f.detach() for f in features])
            logged["d"] = logged.get("d", 0.0) + d_loss.item() / n
        amp.step(self.opt_d)
        return real_features, logged

    def _critic_loss(self, truth, fake, attributes, rgb) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Hinge on truth vs fakes, the attribute read-back on truth, and with catalogue garments the hinge on
        them vs the fakes, all unconditioned; returns the loss and the critic's features of the truth."""
        b = len(truth)
        sprites, conds, colours = [truth, fake], [attributes, attributes], [rgb, rgb]
        if self.real is not None:
            none, zeros = self._no_condition(b)
            sprites, conds, colours = sprites + [self._real_batch(b), fake], conds + [none, none], colours + [zeros] * 2
        scores, features, classes = self.d(torch.cat(sprites), torch.cat(conds), torch.cat(colours))
        scores = scores.split(b)
        loss = hinge_d(scores[0], scores[1]) + self.cfg.auxiliary * attribute_loss([c[:b] for c in classes],
                                                                                     attributes)
        if self.real is not None:
            loss = loss + self.cfg.real_catalogue * hinge_d(scores[2], scores[3])
        return loss, [f[:b] for f in features]

    def _generator_losses(self, batch: Batch, real_features: list[torch.Tensor] | None) -> dict[str, torch.Tensor]:
        attributes, rgb, style, truth, _, cover, sheen, *_ = batch
        guide = guide_of(batch)
        fake, features, _, raw = self.drafter(attributes, rgb, style, guide)
        losses = {"l1": sprite_l1(fake, truth.float() / 255) * self.cfg.l1}
        head, printed, glint = raw
        if self.cfg.alpha:
            losses["alpha"] = alpha_loss(head[:, 0:1], truth) * self.cfg.alpha
        if self.cfg.cover and printed is not None:  # the coverage learns it; the head's share is read, not taught
            losses["cover"] = cover_loss(head[:, 1:2].detach() + printed, cover, truth) * self.cfg.cover
        if self.cfg.sheen:
            losses["sheen"] = sheen_loss(head, glint, sheen, truth) * self.cfg.sheen
        if self.critic:
            losses |= self._critic_terms(fake, attributes, rgb, real_features)
        if self.cfg.spectrum:
            losses["spectrum"] = spectrum_loss(fake, truth.float() / 255) * self.cfg.spectrum
        if self.teacher is not None:
            losses |= self._distillation(fake, features, attributes, rgb, style, guide)
        return losses

    def _critic_terms(self, fake, attributes, rgb, real_features) -> dict[str, torch.Tensor]:
        """The generator's terms read from the critic: hinge, feature matching, attribute read-back, and with
        catalogue garments the unconditioned hinge."""
        b = len(fake)
        sprites, conds, colours = [fake], [attributes], [rgb]
        if self.real is not None:
            none, zeros = self._no_condition(b)
            sprites, conds, colours = [fake, fake], [attributes, none], [rgb, zeros]
        with distributed.syncing(self.d, False):  # the critic's gradients here are thrown away
            scores, fake_features, classes = self.d(torch.cat(sprites), torch.cat(conds), torch.cat(colours))
        scores = scores.split(b)
        terms = {"adv": -scores[0].mean() * self.cfg.adversarial,
                 "fm": feature_matching([f[:b] for f in fake_features], real_features) * self.cfg.feature_matching,
                 "aux": attribute_loss([c[:b] for c in classes], attributes) * self.cfg.auxiliary}
        if self.real is not None:
            terms["real_adv"] = -scores[1].mean() * self.cfg.real_catalogue
        return terms

    def _real_batch(self, size: int) -> torch.Tensor:
        index = torch.randint(0, len(self.real), (size,))  # the loop seeds every step
        return self.real[index].to(distributed.device()).float() / 255

    def _no_condition(self, size: int) -> tuple[torch.Tensor, torch.Tensor]:
        """No attributes and no colours: the critic then scores how real a garment looks, whatever it is."""
        device = distributed.device()
        return (torch.zeros(size, len(GARMENT_SLOTS), dtype=torch.int32, device=device),
                torch.zeros(size, 6, device=device))

    def _distillation(self, fake, adapted, attributes, rgb, style, guide) -> dict[str, torch.Tensor]:
        with torch.no_grad():
            target, teacher_features, _, _ = self.teacher(attributes, rgb, style, return_features=True, guide=guide)
        feature_loss = torch.stack([relative_mse(s, t) for s, t in zip(adapted, teacher_features, strict=True)])
        return {"distill_l1": sprite_l1(fake, target) * self.cfg.distill_l1,
                "distill_feat": feature_loss.mean() * self.cfg.distill_features}

    def state_dict(self) -> dict:
        drafter = distributed.unwrap(self.drafter)
        return {"g": drafter.g.state_dict(), "d": distributed.unwrap(self.d).state_dict(),
                "adapters": drafter.adapters.state_dict(), "opt_g": self.opt_g.state_dict(),
                "opt_d": self.opt_d.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        drafter = distributed.unwrap(self.drafter)
        drafter.g.load_state_dict(state["g"])
        distributed.unwrap(self.d).load_state_dict(state["d"])
        drafter.adapters.load_state_dict(state["adapters"])
        self.opt_g.load_state_dict(state["opt_g"])
        self.opt_d.load_state_dict(state["opt_d"])

    def modules(self) -> list[nn.Module]:
        return [self.drafter, self.d]
