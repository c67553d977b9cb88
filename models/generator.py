"""The garment generator: attributes + palette RGB + style vector -> RGBA sprite (SPRITE_SIZE), and its critic.

Teacher and student are the same module with different configs (the student's blocks are depthwise-separable).
Inputs, as exported:
    attributes int32 (B, 9)  class index per GARMENT_SLOTS slot, 0 = none (see `attribute_layout`)
    rgb        float (B, 6)  palette RGB of color and secondary_color in [0, 1] (zeros when none)
    style      float (B, S)  the variation a seed picks (stripe angle and width, dot spacing, fold phase, ...)
Output `sprite` float (B, 4, H, W) in [0, 1], straight alpha.

The head paints with the asked colours instead of inventing them: per pixel it predicts alpha, how much of each
palette colour, a shading factor (its mean pinned to 1), a sheen and a small residual, so colour accuracy is built
in and the network spends its capacity on shape, pattern and material. Before the head, the print's plane waves join
the features (GeometryWaves: where stripes, plaid, dots, the flowers' grid, a graphic and a colour block's split
lie, trained against the renderer's own account), and a small per-pixel net per pattern turns them into the print's
coverage, which moves the colour mix (PrintCoverage). The material's texture multiplies the shading
(MaterialTexture: a learnt map per material).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from models.schema import GARMENT_SLOTS, SPRITE_SIZE, VALUES

HEAD_CHANNELS = 7  # alpha, colour mix, shade, residual RGB, sheen (`paint`)
SHEEN = 6
SHEEN_OFFSET = 6.0  # the sheen is sigmoid(head - SHEEN_OFFSET): 0.25 % at zero, a matt garment needs no effort
GEOMETRY_WAVES = 2  # the most plane waves a print is made of (plaid, polka dots; trainer/data/patterns.py)
GEOMETRY_FIELDS = 6  # per predicted wave: fx, fy, cos phase, sin phase, presence logit, duty logit (wave_duty)
MATERIAL = GARMENT_SLOTS.index("material")
PATTERN = GARMENT_SLOTS.index("pattern")
SHAPE_SLOTS = ("category", "sleeve", "neckline", "length", "fit")  # where the silhouette puts a print (GeometryWaves)
EDGE_PX = 2.0  # GeometryWaves' edge channel: tanh(signed distance to the print's edge / EDGE_PX pixels)


def wave_duty(threshold: torch.Tensor) -> torch.Tensor:
    """The share of each period a band covers, from its threshold (the print covers where cos > threshold).

    GeometryWaves predicts the duty, not the threshold: a graphic's box is the tip of a wave, threshold 0.99, and
    a threshold 0.02 too high drew no graphic at all; an error of 0.02 in its duty of 0.06 draws it a third too
    small."""
    return torch.arccos(threshold.clamp(-1.0, 1.0)) / torch.pi


def wave_channels(waves: int) -> int:
    """GeometryWaves' output channels for `waves` predicted waves: two per wave, and two for the first two's sum."""
    return 2 * (waves + 1) if waves >= 2 else 2 * waves


STYLE_HARMONICS = (0.5, 1.0)  # cycles over a style value's range, as sine and cosine (`style_features`)


def style_features(style: torch.Tensor) -> torch.Tensor:
    """(B, S) style -> (B, S * (1 + 2 * len(STYLE_HARMONICS))): the values and their sines and cosines.

    A print's offset is a style value times its period, so a wave's phase turns once as the value crosses [0, 1)
    (a dot lattice's first wave: its offset along x less half its offset along y). From the raw values an MLP must
    bend a line into a circle, and missed dots' phases so far that 12 of 25 drew as something else; with the
    harmonics the phase is a sum of products of its inputs."""
    turns = torch.cat([style * (2 * torch.pi * k) for k in STYLE_HARMONICS], dim=1)
    return torch.cat([style, torch.sin(turns), torch.cos(turns)], dim=1)


CHOICES = (2, 3, 4)  # the numbers of options the renderer's style choices have (`choice_features`)


def choice_features(style: torch.Tensor) -> torch.Tensor:
    """(B, S) style -> (B, S * sum(n - 1 for n in CHOICES)): per value and n, whether it is at least k / n.

    The renderer picks an option of n with floor(value * n) (trainer.data.style.StyleRandom): a stripe's
    direction of three, a colour block's split of three or four, a side of two. An MLP on the values and their
    harmonics draws those steps as ramps, and waves near a step come out between two options; with the steps
    given, fitted alone on 6,000 pairs (12,000 steps, 600 held out), stripes' frequency error fell from 12 % to
    5 % and their phase error from 0.088 to 0.046 rad, a colour block's from 15 % and 0.10 rad to 5 % and 0.07."""
    return torch.cat([(style >= k / n).to(style.dtype) for n in CHOICES for k in range(1, n)], dim=1)


def one_hot(index: torch.Tensor, n: int) -> torch.Tensor:
    """(B,) integer labels -> (B, n) float one-hot: how a per-pattern part picks its pattern's output."""
    return (index[:, None] == torch.arange(n, dtype=index.dtype, device=index.device)).float()


def attribute_layout() -> list[dict]:
    """Per garment slot: its class labels, none first."""
    return [{"name": s, "labels": [None, *VALUES[s]]} for s in GARMENT_SLOTS]


def attribute_offsets() -> tuple[list[int], torch.Tensor]:
    """Classes per slot, and each slot's first row in one shared embedding table (so one lookup serves all)."""
    sizes = [len(s["labels"]) for s in attribute_layout()]
    return sizes, torch.tensor([0, *sizes[:-1]]).cumsum(0)[None, :]  # (1, 9)


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


TEACHER = GeneratorConfig(channels=(128, 64, 32, 24), geometry=GEOMETRY_WAVES, coverage=6, texture=True)
STUDENT = GeneratorConfig(channels=(64, 32, 16, 12), depthwise=True, geometry=GEOMETRY_WAVES, coverage=6, texture=True)


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


class GeometryWaves(nn.Module):
    """The print's plane waves, predicted from the style and the garment's shape by a small MLP per pattern: per
    wave a frequency (cycles per sprite height), a phase at the sprite's corner (as a unit vector, so it never
    wraps), a presence and a duty (the share of each period the print covers, see `wave_duty`); out come per wave
    presence x cos and presence x tanh(signed distance in pixels to the print's edge / EDGE_PX), for the head and
    PrintCoverage to draw with.
    With two waves or more, a third joins them: the sum of the first two (frequencies and phases added, present
    where both are). A dot lattice's sites are where both crests cross, and two bands cut a rhombus round each;
    the sum's band cuts its corners to a near-hexagon, as round as a dot of a few pixels needs to look
    (`wave_channels`).

    The distance, not cos - threshold: a colour block's wave is four sprite heights long and a graphic's box is the
    tip of two waves two heights long, so cos - threshold changes by about 0.01 a pixel at their edges, and no head
    learns the gain of a hundred that would draw them (they came out solid). In pixels every print's edge is as
    sharp. The predictor reads the style, the pattern and the garment's shape (SHAPE_SLOTS, as one-hot labels),
    not its colours: fed every attribute and the colours, it learnt the training garments' waves by their colours
    and guessed on new ones (median phase error of plaid 1.04 rad, of dots 1.27, against 0.10 and 0.23 on the
    pattern and style alone). The shape says where the renderer puts a graphic (on the chest, which the
    category, neckline and length move) and a colour block's line (at a share of the garment's length): on the
    style alone a graphic's phase was 0.103 rad off, 4 pixels, with the shape 0.016 (fitted alone on 6,000
    pairs, 3,000 steps). One MLP per pattern, not one for all: each
    pattern reads the style its own way (stripes' first value picks a direction, plaid's a period), and a shared
    MLP missed stripes' phase by 1.31 rad where their own misses by 0.36 (fitted alone on 6,000 pairs).

    Training draws with the waves the renderer says it drew (`truth`, see trainer.garment_data.print_waves), and the
    prediction is fitted to them on its own, before (trainer.gan.fit_print_waves): so the head learns to draw a
    stripe exactly where a wave puts it, which L1 to the truth rewards, instead of blurring stripes it cannot place.
    On the device the predicted waves draw: the right print, at about the right scale and angle, at whatever offset
    the style gives.
    """

    def __init__(self, style_dim: int, hidden: int, waves: int, size: tuple[int, int] = SPRITE_SIZE):
        super().__init__()
        sizes, _ = attribute_offsets()
        self.shape_sizes = {GARMENT_SLOTS.index(s): sizes[GARMENT_SLOTS.index(s)] for s in SHAPE_SLOTS}
        n_in = style_dim * (1 + 2 * len(STYLE_HARMONICS) + sum(n - 1 for n in CHOICES)) + sum(self.shape_sizes.values())
        h, w = size
        ys, xs = torch.meshgrid(torch.arange(h) + 0.5, torch.arange(w) + 0.5, indexing="ij")
        grid = torch.stack([xs / h, ys / h])  # pixel centres in sprite heights from the corner, as the renderer's
        self.register_buffer("grid", 2 * torch.pi * grid.flatten(1), persistent=False)  # (2, H*W)
        self.size, self.waves, self.channels = size, waves, wave_channels(waves)
        self.patterns = len(VALUES["pattern"]) + 1
        self.predict = nn.ModuleList(
            nn.Sequential(nn.Linear(n_in, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
                          nn.Linear(hidden, waves * GEOMETRY_FIELDS)) for _ in range(self.patterns))

    def forward(self, style: torch.Tensor, attributes: torch.Tensor, truth: torch.Tensor | None = None
                ) -> tuple[torch.Tensor, torch.Tensor]:
        """style (B, S) and attributes (B, 9) as the generator's inputs, not its condition vector: the waves are
        fitted on their own (trainer.gan.fit_print_waves), and nothing else the generator reads moves them; the
        pattern's label index picks the MLP.
        -> (channels (B, wave_channels(waves), H, W) drawn from `truth` (B, waves, 5) if given, else from the
        prediction; the raw prediction (B, waves, GEOMETRY_FIELDS) the loss reads)."""
        raw = self.predicted(style, attributes)
        if truth is None:
            unit = raw[:, :, 2:4] / (raw[:, :, 2:4].pow(2).sum(-1, keepdim=True) + 1e-6).sqrt()
            threshold = torch.cos(torch.pi * torch.sigmoid(raw[:, :, 5:6]))
            drawn = self._draw(raw[:, :, 0:2], unit, torch.sigmoid(raw[:, :, 4:5]), threshold)
        else:
            unit = torch.stack([torch.cos(truth[:, :, 2]), torch.sin(truth[:, :, 2])], dim=-1)
            drawn = self._draw(truth[:, :, 0:2], unit, truth[:, :, 4:5], truth[:, :, 3:4])
        return drawn, raw

    def predicted(self, style: torch.Tensor, attributes: torch.Tensor) -> torch.Tensor:
        """The raw prediction (B, waves, GEOMETRY_FIELDS) alone, as the fit reads it: nothing drawn."""
        inputs = self.inputs(style, attributes)
        every = torch.stack([mlp(inputs) for mlp in self.predict], dim=1)  # (B, P, K * F)
        picked = one_hot(attributes[:, PATTERN], self.patterns)[:, :, None] * every
        return picked.sum(1).view(-1, self.waves, GEOMETRY_FIELDS)

    def inputs(self, style: torch.Tensor, attributes: torch.Tensor) -> torch.Tensor:
        """(B, n_in): the style's features (style_features, choice_features), then each shape slot's label one-hot."""
        shape = [one_hot(attributes[:, slot], size) for slot, size in self.shape_sizes.items()]
        return torch.cat([style_features(style), choice_features(style), *shape], dim=1)

    def _draw(self, frequency, unit, present, threshold) -> torch.Tensor:
        if self.waves >= 2:  # the first two waves' sum: (f1 + f2, phase1 + phase2), present where both are
            u, v = unit[:, 0], unit[:, 1]
            pair = torch.stack([u[:, 0] * v[:, 0] - u[:, 1] * v[:, 1], u[:, 1] * v[:, 0] + u[:, 0] * v[:, 1]], dim=-1)
            frequency = torch.cat([frequency, frequency[:, 0:1] + frequency[:, 1:2]], dim=1)
            unit = torch.cat([unit, pair[:, None]], dim=1)
            present = torch.cat([present, present[:, 0:1] * present[:, 1:2]], dim=1)
            threshold = torch.cat([threshold, threshold[:, 0:1]], dim=1)
        angle = frequency @ self.grid  # (B, K', H*W)
        cos, sin = torch.cos(angle), torch.sin(angle)
        wave = cos * unit[:, :, 0:1] - sin * unit[:, :, 1:2]  # cos(angle + phase)
        slope = sin * unit[:, :, 0:1] + cos * unit[:, :, 1:2]  # sin(angle + phase): d wave / d angle, negated
        per_px = 2 * torch.pi / self.size[0] * (frequency.pow(2).sum(-1, keepdim=True) + 1e-6).sqrt()  # radians a pixel
        # the wave's change over its slope is the distance to the edge; the floors keep crests and absent waves finite
        distance = (wave - threshold) / (per_px * (slope.abs() + 0.05) + 1e-3)
        channels = torch.cat([present * wave, present * torch.tanh(distance / EDGE_PX)], dim=1)
        return channels.view(-1, self.channels, *self.size)


class PrintCoverage(nn.Module):
    """Where the print lies, from GeometryWaves' channels: a per-pixel net per pattern (two 1x1 convolutions) whose
    logit joins the head's colour mix (`paint`).

    The renderer's print is a fixed function of its waves that differs by pattern: a stripe or a colour block is
    one wave's band, a dot lies where two waves' crests cross, plaid half-tones single bands and fills crossings.
    Left to the head (one 1x1 convolution over features and waves for every pattern), colour blocks came out as
    soft gradients and 17 of 33 read as plaid, with the teacher drawing from the renderer's own waves. Computed for
    every pattern and picked, as GeometryWaves' MLPs are: 0.5 MMACs a hidden unit on the sprite.
    """

    def __init__(self, waves: int, hidden: int):
        super().__init__()
        self.patterns = len(VALUES["pattern"]) + 1
        self.net = nn.Sequential(nn.Conv2d(wave_channels(waves), self.patterns * hidden, 1), nn.LeakyReLU(0.2),
                                 nn.Conv2d(self.patterns * hidden, self.patterns, 1, groups=self.patterns))

    def forward(self, channels: torch.Tensor, pattern: torch.Tensor) -> torch.Tensor:
        """channels (B, wave_channels(waves), H, W) from GeometryWaves, pattern (B,) -> the mix logit (B, 1, H, W)."""
        every = self.net(channels)  # (B, P, H, W)
        return (one_hot(pattern, self.patterns)[:, :, None, None] * every).sum(1, keepdim=True)


class MaterialTexture(nn.Module):
    """A brightness multiplier per material over the whole sprite: one learnt map each, 0 where flat.

    The renderer draws weave, twill and ribs at fixed places in the sprite, finer than upsampling convolutions from a
    small base can place them: generators without this wore one grid in all eight materials. A map per material
    draws its texture where it lies, and L1 to the truth teaches it directly. (Maps shared at learnt weights, tried
    first, all learnt the one shading every material has.) Quantized with the rest: int8 per pixel is plenty.
    """

    def __init__(self, size: tuple[int, int] = SPRITE_SIZE):
        super().__init__()
        self.size, self.materials = size, len(VALUES["material"]) + 1  # none first, as in attribute_layout
        self.maps = nn.Parameter(torch.zeros(self.materials, size[0] * size[1]))

    def forward(self, material: torch.Tensor) -> torch.Tensor:
        """material (B,) label index (attribute_layout) -> texture (B, 1, H, W). A lookup, as the attribute
        embeddings are, so both int8 routes quantize the maps (a one-hot matmul stayed float in TFLite: +0.43 MB)."""
        return nn.functional.embedding(material, self.maps).view(-1, 1, *self.size)


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
    width_free = ("embed", "cond", "geometry", "coverage", "texture")

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
        mixed = cfg.channels[-1] + wave_channels(cfg.geometry)
        self.mix = nn.Sequential(nn.Conv2d(mixed, cfg.channels[-1], 1), nn.LeakyReLU(0.2))
        # see `paint`; a student's is depthwise-separable, as its stages are: a full 3x3 head was 9 of its 27 MMACs
        self.head = nn.Sequential(conv_block(cfg.channels[-1], HEAD_CHANNELS, cfg.depthwise), Soften())
        self.paint = Paint()

    def inputs(self, attributes: torch.Tensor, rgb: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        emb = self.embed(attributes + self.offsets).flatten(1)  # (B, 9 * E)
        return torch.cat([emb, rgb, style], dim=1)

    def forward(self, attributes: torch.Tensor, rgb: torch.Tensor, style: torch.Tensor,
                return_features: bool = False, waves: torch.Tensor | None = None):
        """-> sprite, or with `return_features` (sprite, each stage's features, the predicted print waves (B, K,
        GEOMETRY_FIELDS) or None, (the head's raw channels (B, HEAD_CHANNELS, H, W): alpha's and the colour mix's
        logits, shade, residual, sheen; the print coverage's logit (B, 1, H, W), added to the mix's, or None without
        it)).
        `waves`: in training, the renderer's print waves to draw with (GeometryWaves)."""
        inputs = self.inputs(attributes, rgb, style)
        cond = self.cond(inputs)  # (B, cond_dim)
        x = self.project(cond).view(-1, self.cfg.channels[0], *self.base)  # (B, C0, H/16, W/16)
        features = []
        for stage in self.stages:
            x = stage(x, cond)
            features.append(x)
        geometry, printed = None, None
        if self.geometry is not None:
            channels, geometry = self.geometry(style, attributes, waves)
            x = torch.cat([x, channels], dim=1)  # (B, C + wave_channels(geometry), H, W)
            if self.coverage is not None:
                printed = self.coverage(channels, attributes[:, PATTERN])
        texture = self.texture(attributes[:, MATERIAL]) if self.texture is not None else None
        head = self.head(self.mix(x))  # (B, HEAD_CHANNELS, H, W)
        sprite = self.paint(head, rgb, texture, printed)  # (B, 4, H, W)
        if not return_features:
            return sprite
        return sprite, features, geometry, (head, printed)

    @property
    def keep_float(self) -> tuple[str, ...]:
        """The submodules that stay float in int8 export. Quantized phases break the waves; the head's six output
        channels (alpha, mix, shade, residual) have very different ranges, and one int8 scale for all of them lost
        the alpha and the colours (mean |diff| 0.2 in alpha); the coverage adds to the mix, and the paint is a few
        elementwise ops on those. The last stage and the mix work at full resolution, where the silhouette's edge
        is drawn: quantized, the session-8 student lost 0.027 IoU in ONNX int8 (0.950 -> 0.923); float, 0.0004.
        Together 18 of the student's 24 MMACs, and ONNX int8 runs faster for it (4.4 ms a sprite against 8.6 with
        those two quantized: quantizing activations at run time costs more than it saves at these widths)."""
        return ("geometry", "coverage", "head", "paint", "mix", f"stages.{len(self.stages) - 1}")

    def config_dict(self) -> dict:
        return asdict(self.cfg)


def paint(head: torch.Tensor, rgb: torch.Tensor, texture: torch.Tensor | None = None,
          printed: torch.Tensor | None = None) -> torch.Tensor:
    """head (B, HEAD_CHANNELS, H, W) -> RGBA: mix the two palette colours (by the head's logit plus `printed`
    (B, 1, H, W), the print's coverage), shade (times 1 + `texture` (B, 1, H, W), the material's; its mean over
    the garment pinned to 1, as the renderer pins its own), add a small residual, then blend towards white by the
    sheen, as the renderer lights leather and silk: shading alone cannot whiten a dark colour, and a generator
    without it drew leather matt (0 of 21 read as leather)."""
    alpha = torch.sigmoid(head[:, 0:1])
    mix = torch.sigmoid(head[:, 1:2] if printed is None else head[:, 1:2] + printed)
    shade = 2 * torch.sigmoid(head[:, 2:3])  # 1 at zero: a flat garment needs no effort
    if texture is not None:
        shade = shade * (1 + texture)
    shade = shade / mean_over_garment(shade, alpha)
    residual = 0.25 * torch.tanh(head[:, 3:6])
    first, second = rgb[:, 0:3, None, None], rgb[:, 3:6, None, None]
    colour = ((mix * first + (1 - mix) * second) * shade + residual).clamp(0, 1)
    sheen = torch.sigmoid(head[:, SHEEN:SHEEN + 1] - SHEEN_OFFSET)
    colour = colour + (1 - colour) * sheen
    return torch.cat([colour.clamp(0, 1), alpha], dim=1)


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
                printed: torch.Tensor | None = None) -> torch.Tensor:
        return paint(head, rgb, texture, printed)


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
