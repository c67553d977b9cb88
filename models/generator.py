"""The garment generator: attributes + palette RGB + style vector -> RGBA sprite (SPRITE_SIZE), and its critic.

Teacher and student are the same module with different configs (the student's blocks are depthwise-separable).
Inputs, as exported:
    attributes int32 (B, 9)  class index per GARMENT_SLOTS slot, 0 = none (models.renderer_parts.attribute_layout)
    rgb        float (B, 6)  palette RGB of color and secondary_color in [0, 1] (zeros when none)
    style      float (B, S)  the variation a seed picks (stripe angle and width, dot spacing, fold phase, ...)
Output `sprite` float (B, 4, H, W) in [0, 1], straight alpha.

The head paints with the asked colours instead of inventing them: per pixel it predicts alpha, how much of each
palette colour, a shading factor (its mean pinned to 1), a sheen and a small residual, so colour accuracy is built
in and the network spends its capacity on shape, pattern and material. Before the head, the print's plane waves join
the features (GeometryWaves: where stripes, plaid, dots, the flowers' grid, a graphic and a colour block's split
lie, trained against the renderer's own account), and a small per-pixel net per pattern turns them into the print's
coverage, which moves the colour mix (PrintCoverage). The material's texture multiplies the shading
(MaterialTexture: a learnt map per material). Glints are drawn where the renderer's light catches the cloth's edges
and folds (FoldRelief), a graphic print's motif from a template (GraphicMotif), and the alpha is cut to the
renderer's silhouette where the attributes fix it (SilhouetteCut: the neck, a lower garment). Those parts, and the
predictors of the renderer's choices they draw with, are models/renderer_parts.py; the textures and the cut are
looked up (models/renderer_lookups.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from models.renderer_lookups import MaterialTexture, SilhouetteCut
from models.renderer_parts import (
    GEOMETRY_WAVES,
    MATERIAL,
    PATTERN,
    FoldRelief,
    GeometryWaves,
    GraphicMotif,
    PrintCoverage,
    attribute_offsets,
    wave_channels,
)
from models.schema import SPRITE_SIZE

HEAD_CHANNELS = 7  # alpha, colour mix, shade, residual RGB, sheen (`paint`)
SHEEN = 6
SHEEN_OFFSET = 6.0  # the sheen is sigmoid(head - SHEEN_OFFSET): 0.25 % at zero, a matt garment needs no effort
@dataclass(frozen=True)
class Guide:
    """What the renderer says it drew, for training: a generator given these draws with them instead of its own
    predictions (GeometryWaves, FoldRelief), so it learns to paint where they put things. None: predicted."""

    waves: torch.Tensor | None = None  # (B, GEOMETRY_WAVES, 5): trainer.garment_data.print_waves
    folds: torch.Tensor | None = None  # (B, FOLDS * FOLD_FIELDS + FOLD_ROWS): trainer.garment_data.fold_truth
    alpha: torch.Tensor | None = None  # (B, 1, H, W) in [0, 1]: the rendered alpha, where FoldRelief finds the edge
    motif: torch.Tensor | None = None  # (B, MOTIF_FIELDS): trainer.garment_data.motif_truth


@dataclass(frozen=True)
class GeneratorConfig:
    style_dim: int = 8
    embed_dim: int = 16  # per attribute
    cond_dim: int = 128
    channels: tuple[int, ...] = (128, 64, 32, 16)  # one stage per x2 upsampling, from SPRITE_SIZE / 16
    depthwise: bool = False  # depthwise-separable convolutions (the student)
    geometry: int = 0  # plane waves of the print, predicted from the inputs (GeometryWaves), trained on the renderer's
    coverage: int = 0  # hidden units per pattern of PrintCoverage (needs geometry; 0: the head alone mixes colours)
    texture: bool = False  # a learnt texture map per material (MaterialTexture)
    relief: bool = False  # glints where the renderer's light catches the cloth's edges and folds (FoldRelief)
    motif: bool = False  # a graphic print's motif, drawn from a template (GraphicMotif; needs coverage)
    silhouette: bool = False  # the alpha cut to the renderer's silhouette where the attributes fix it (SilhouetteCut)


# FoldRelief and GraphicMotif: with both, session 12's teacher rose from 0.890 to 0.906 attribute accuracy (200
# held-out pairs), and its student, distilled with premultiplied L1 (trainer.gan.sprite_l1 says why not straight),
# reads 0.899 against the shipped session-11 student's 0.877; the int8 files are 1.36 MB (ONNX) and 1.39 (TFLite).
# SilhouetteCut, added to that pair as trained (`drape train generator --stage silhouette`): 0.899 -> 0.951 (student),
# 0.908 -> 0.934 (teacher), neckline and length read from the alpha as the renderer draws it.
TEACHER = GeneratorConfig(channels=(128, 64, 32, 24), geometry=GEOMETRY_WAVES, coverage=6, texture=True, relief=True,
                          motif=True, silhouette=True)
STUDENT = GeneratorConfig(channels=(64, 32, 16, 12), depthwise=True, geometry=GEOMETRY_WAVES, coverage=6, texture=True,
                          relief=True, motif=True, silhouette=True)


def conv_block(c_in: int, c_out: int, depthwise: bool) -> nn.Module:
    if not depthwise:
        return nn.Conv2d(c_in, c_out, 3, padding=1)
    return nn.Sequential(nn.Conv2d(c_in, c_in, 3, padding=1, groups=c_in), nn.Conv2d(c_in, c_out, 1))


class Stage(nn.Module):
    """x2 nearest upsampling, a convolution, then FiLM from the condition vector."""

    def __init__(self, c_in: int, c_out: int, cfg: GeneratorConfig):
        super().__init__()
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.conv = conv_block(c_in, c_out, cfg.depthwise)
        self.film = nn.Linear(cfg.cond_dim, 2 * c_out)
        self.act = nn.LeakyReLU(0.2)

    def forward(self, x: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        x = self.conv(self.up(x))  # (B, C, 2H, 2W)
        gamma, beta = self.film(cond)[:, :, None, None].chunk(2, dim=1)
        return self.act(x * (1 + gamma) + beta)


class Soften(nn.Module):
    """A fixed [1, 2, 1]^2 / 16 blur over the head's colour channels (mix, shade, residual, sheen); alpha passes.

    The adversarial loss (when weighted) asks for fine detail the head can only make up: untouched, it speckled
    every garment (blurred afterwards with sigma 1.2, the classifier read 89 % of solid garments as solid instead of
    46 %). Fine
    detail that is right comes from elsewhere: the print's edges from PrintCoverage (added after this), the
    material's grain from MaterialTexture."""

    def __init__(self, channels: int = HEAD_CHANNELS - 1):
        super().__init__()
        taps = torch.tensor([1.0, 2.0, 1.0])
        kernel = (taps[:, None] * taps[None, :]) / 16
        self.register_buffer("kernel", kernel.expand(channels, 1, 3, 3).clone(), persistent=False)

    def forward(self, head: torch.Tensor) -> torch.Tensor:
        colour = nn.functional.conv2d(head[:, 1:], self.kernel, padding=1, groups=self.kernel.shape[0])
        return torch.cat([head[:, :1], colour], dim=1)


class Generator(nn.Module):
    # the same in a teacher and its student whatever their widths: a student starts from its teacher's (trainer.gan)
    width_free = ("embed", "cond", "geometry", "coverage", "texture", "relief", "motif", "silhouette")

    def __init__(self, cfg: GeneratorConfig):
        super().__init__()
        self.cfg = cfg
        sizes, offsets = attribute_offsets()
        self.register_buffer("offsets", offsets.to(torch.int32), persistent=False)  # int32, as exported
        self.embed = nn.Embedding(sum(sizes), cfg.embed_dim)
        n_in = len(sizes) * cfg.embed_dim + 6 + cfg.style_dim
        self.cond = nn.Sequential(nn.Linear(n_in, cfg.cond_dim), nn.LeakyReLU(0.2),
                                  nn.Linear(cfg.cond_dim, cfg.cond_dim))
        self.base = (SPRITE_SIZE[0] // 16, SPRITE_SIZE[1] // 16)
        self.project = nn.Linear(cfg.cond_dim, cfg.channels[0] * self.base[0] * self.base[1])
        chans = (cfg.channels[0], *cfg.channels)
        self.stages = nn.ModuleList(Stage(a, b, cfg) for a, b in zip(chans[:-1], chans[1:], strict=True))
        self.geometry = GeometryWaves(cfg.style_dim, cfg.cond_dim // 2, cfg.geometry) if cfg.geometry else None
        self.coverage = PrintCoverage(cfg.geometry, cfg.coverage) if cfg.coverage else None
        self.texture = MaterialTexture() if cfg.texture else None
        self.relief = FoldRelief(cfg.style_dim, cfg.cond_dim // 2) if cfg.relief else None
        self.motif = GraphicMotif(cfg.style_dim, cfg.cond_dim // 2) if cfg.motif and cfg.coverage else None
        self.silhouette = SilhouetteCut() if cfg.silhouette else None
        mixed = cfg.channels[-1] + wave_channels(cfg.geometry)
        self.mix = nn.Sequential(nn.Conv2d(mixed, cfg.channels[-1], 1), nn.LeakyReLU(0.2))
        # see `paint`; a student's is depthwise-separable, as its stages are: a full 3x3 head was 9 of its 27 MMACs
        self.head = nn.Sequential(conv_block(cfg.channels[-1], HEAD_CHANNELS, cfg.depthwise), Soften())
        self.paint = Paint()

    def inputs(self, attributes: torch.Tensor, rgb: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        emb = self.embed(attributes + self.offsets).flatten(1)  # (B, 9 * E)
        return torch.cat([emb, rgb, style], dim=1)

    def forward(self, attributes: torch.Tensor, rgb: torch.Tensor, style: torch.Tensor,
                return_features: bool = False, guide: Guide | None = None):
        """-> sprite, or with `return_features` (sprite, each stage's features, the predicted print waves (B, K,
        GEOMETRY_FIELDS) or None, (the head's raw channels (B, HEAD_CHANNELS, H, W): alpha's and the colour mix's
        logits, shade, residual, sheen; the print coverage's logit (B, 1, H, W), added to the mix's, or None without
        it; the relief's glint (B, 1, H, W), or None without it)).
        `guide`: in training, what the renderer drew to draw with (Guide)."""
        guide = guide or Guide()
        inputs = self.inputs(attributes, rgb, style)
        cond = self.cond(inputs)  # (B, cond_dim)
        x = self.project(cond).view(-1, self.cfg.channels[0], *self.base)  # (B, C0, H/16, W/16)
        features = []
        for stage in self.stages:
            x = stage(x, cond)
            features.append(x)
        geometry, printed = None, None
        if self.geometry is not None:
            channels, geometry = self.geometry(style, attributes, guide.waves)
            x = torch.cat([x, channels], dim=1)  # (B, C + wave_channels(geometry), H, W)
            if self.coverage is not None:
                printed = self.coverage(channels, attributes[:, PATTERN])
            if self.motif is not None:
                printed = printed + self.motif(style, attributes, guide.motif)
        texture = self.texture(attributes[:, MATERIAL]) if self.texture is not None else None
        head = self.head(self.mix(x))  # (B, HEAD_CHANNELS, H, W)
        cut = self.silhouette(attributes) if self.silhouette is not None else None
        glint = None
        if self.relief is not None:
            alpha = guide.alpha if guide.alpha is not None else alpha_of(head, cut)
            glint = self.relief(alpha, attributes[:, MATERIAL], style, attributes, guide.folds)
        sprite = self.paint(head, rgb, texture, printed, glint, cut)  # (B, 4, H, W)
        if not return_features:
            return sprite
        return sprite, features, geometry, (head, printed, glint)

    @property
    def keep_float(self) -> tuple[str, ...]:
        """The submodules that stay float in int8 export (dotted names). Quantized phases break the waves; the head's
        output channels (alpha, mix, shade, residual) have very different ranges, and one int8 scale for all of
        them lost the alpha and the colours (mean |diff| 0.2 in alpha); the coverage adds to the mix, and the paint
        is a few elementwise ops on those. The last stage and the mix work at full resolution, where the
        silhouette's edge is drawn: quantized, the session-8 student lost 0.027 IoU in ONNX int8 (0.950 -> 0.923);
        float, 0.0004. The relief's glints are thresholds of slopes of a height field, and the motif's place is a
        few sums away from sin and cos: fixed computations, with no weights worth quantizing. The other stages'
        convolutions, a few thousand weights, stay float for time: activations quantized at run time cost more
        than they save at these widths (session 14's student, one thread: ONNX int8 17.9 -> 10.7 ms, TFLite int8
        14.1 -> 11.2, for 0.03 MB); their FiLM layers, at the condition vector, are quantized."""
        last = len(self.stages) - 1
        names = ("geometry", "coverage", "relief", "motif", "head", "paint", "mix", f"stages.{last}",
                 *(f"stages.{i}.conv" for i in range(last)))
        return tuple(name for name in names if getattr(self, name.split(".")[0]) is not None)  # the parts it has

    def config_dict(self) -> dict:
        return asdict(self.cfg)


def paint(head: torch.Tensor, rgb: torch.Tensor, texture: torch.Tensor | None = None,
          printed: torch.Tensor | None = None, glint: torch.Tensor | None = None, cut: torch.Tensor | None = None
          ) -> torch.Tensor:
    """head (B, HEAD_CHANNELS, H, W) -> RGBA: mix the two palette colours (by the head's logit plus `printed`
    (B, 1, H, W), the print's coverage), shade (times 1 + `texture` (B, 1, H, W), the material's; its mean over
    the garment pinned to 1, as the renderer pins its own), add a small residual, then blend towards white by the
    sheen, as the renderer lights leather and silk: shading alone cannot whiten a dark colour, and a generator
    without it drew leather matt (0 of 21 read as leather). The relief's `glint` (B, 1, H, W) joins the sheen; the
    silhouette's `cut` (B, 1, H, W) bounds the alpha."""
    alpha = alpha_of(head, cut)
    mix = torch.sigmoid(head[:, 1:2] if printed is None else head[:, 1:2] + printed)
    shade = 2 * torch.sigmoid(head[:, 2:3])  # 1 at zero: a flat garment needs no effort
    if texture is not None:
        shade = shade * (1 + texture)
    shade = shade / mean_over_garment(shade, alpha)
    residual = 0.25 * torch.tanh(head[:, 3:6])
    first, second = rgb[:, 0:3, None, None], rgb[:, 3:6, None, None]
    colour = ((mix * first + (1 - mix) * second) * shade + residual).clamp(0, 1)
    colour = colour + (1 - colour) * sheen_of(head, glint)
    return torch.cat([colour.clamp(0, 1), alpha], dim=1)


def alpha_of(head: torch.Tensor, cut: torch.Tensor | None = None) -> torch.Tensor:
    """The sprite's alpha (B, 1, H, W): the head's, within the silhouette's cut where there is one."""
    alpha = torch.sigmoid(head[:, 0:1])
    return alpha if cut is None else alpha * cut


def sheen_of(head: torch.Tensor, glint: torch.Tensor | None = None) -> torch.Tensor:
    """The blend towards white (B, 1, H, W): the head's sheen, and where the relief glints, that too."""
    sheen = torch.sigmoid(head[:, SHEEN:SHEEN + 1] - SHEEN_OFFSET)
    return sheen if glint is None else sheen + (1 - sheen) * glint


def mean_over_garment(x: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    """(B, 1, H, W) -> (B, 1, 1, 1): x's mean weighted by alpha (1 for an empty sprite).

    Why paint divides the shade by it: L1 left session 10's teacher drawing every garment about 10 % too light
    (shade 1.10 on average over solid garments, ΔE 4.7 against the renderer's own 1.3): it kept the folds and
    the edges lighter than the renderer draws them and never paid back the difference. Pinned, a garment's
    colour is the asked one whatever its shading, as the renderer's is (trainer.data.garments)."""
    total = (x * alpha).sum(dim=(2, 3), keepdim=True)
    weight = alpha.sum(dim=(2, 3), keepdim=True)
    return torch.where(weight > 1e-3, total / weight.clamp(min=1e-3), torch.ones_like(total))


class Paint(nn.Module):
    """`paint` as a module, so exporters can name its scope (Generator.keep_float); no parameters."""

    def forward(self, head: torch.Tensor, rgb: torch.Tensor, texture: torch.Tensor | None = None,
                printed: torch.Tensor | None = None, glint: torch.Tensor | None = None, cut: torch.Tensor | None = None
                ) -> torch.Tensor:
        return paint(head, rgb, texture, printed, glint, cut)


class Discriminator(nn.Module):
    """Projection PatchGAN: patch scores from the sprite, plus <pooled features, condition embedding>.

    It also reads each garment slot back from the sprite (an auxiliary classifier, as in AC-GAN): trained on the
    rendered truth, its answers on generated sprites tell the generator which attributes it failed to draw.
    """

    def __init__(self, channels: tuple[int, ...] = (32, 64, 128, 256)):
        super().__init__()
        sizes, offsets = attribute_offsets()
        self.register_buffer("offsets", offsets, persistent=False)
        layers, c_in = [], 4 + 6  # the sprite and the asked colours, broadcast
        for c in channels:
            layers.append(nn.Sequential(nn.utils.spectral_norm(nn.Conv2d(c_in, c, 4, stride=2, padding=1)),
                                        nn.LeakyReLU(0.2)))
            c_in = c
        self.blocks = nn.ModuleList(layers)
        self.patch = nn.utils.spectral_norm(nn.Conv2d(c_in, 1, 3, padding=1))
        self.embed = nn.Embedding(sum(sizes), c_in)
        self.sizes = sizes
        # spectral norm keeps the pooled features tiny; normalised, the read-back learns at the critic's rate
        self.classify = nn.Sequential(nn.LayerNorm(c_in), nn.Linear(c_in, sum(sizes)))

    def forward(self, sprite: torch.Tensor, attributes: torch.Tensor, rgb: torch.Tensor):
        """-> (patch logits (B, 1, H/16, W/16), intermediate features for feature matching, class logits per
        garment slot [(B, classes)] read from the sprite alone)."""
        x = torch.cat([sprite, rgb[:, :, None, None].expand(-1, -1, *sprite.shape[2:])], dim=1)
        features = []
        for block in self.blocks:
            x = block(x)
            features.append(x)
        pooled = x.mean(dim=(2, 3))  # (B, C)
        projection = (pooled * self.embed(attributes + self.offsets).sum(1)).sum(1)  # (B,)
        classes = list(self.classify(pooled).split(self.sizes, dim=1))
        return self.patch(x) + projection[:, None, None, None], features, classes
