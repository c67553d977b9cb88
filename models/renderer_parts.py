"""The generator's parts that redraw what the renderer draws by rule, and the predictors of the renderer's choices.

models.generator's trunk paints a garment; these place what the renderer places by formula, so the trunk need not
learn it from pixels: the print's plane waves (GeometryWaves) and their coverage per pattern (PrintCoverage), a
graphic's motif from a template (GraphicMotif) and glints where the renderer's light catches the cloth's edges and
folds (FoldRelief); what it draws the same way every time is looked up (models/renderer_lookups.py: textures, the
silhouette). Where the renderer chose (a wave's phase, a fold's place, which motif), small MLPs predict its
choice from the style and the garment's shape (`predictor_inputs`), fitted alone to the renderer's account
(trainer.gan.fit_predictor); training draws with the account itself (models.generator.Guide).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from models.schema import (
    FOLD_DEPTH,
    GARMENT_SLOTS,
    GRAPHICS,
    RELIEF_RADIUS,
    SPRITE_SIZE,
    VALUES,
    half_vector,
    relief_blur,
)

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


def choice_features(style: torch.Tensor, choices: tuple[int, ...] = CHOICES) -> torch.Tensor:
    """(B, S) style -> (B, S * sum(n - 1 for n in choices)): per value and n, whether it is at least k / n.

    The renderer picks an option of n with floor(value * n) (trainer.data.style.StyleRandom): a stripe's
    direction of three, a colour block's split of three or four, a side of two. An MLP on the values and their
    harmonics draws those steps as ramps, and waves near a step come out between two options; with the steps
    given, fitted alone on 6,000 pairs (12,000 steps, 600 held out), stripes' frequency error fell from 12 % to
    5 % and their phase error from 0.088 to 0.046 rad, a colour block's from 15 % and 0.10 rad to 5 % and 0.07.
    A predictor that needs another n says so (GraphicMotif: a motif of seven)."""
    return torch.cat([(style >= k / n).to(style.dtype) for n in choices for k in range(1, n)], dim=1)


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


def shape_sizes() -> dict[int, int]:
    """Per SHAPE_SLOTS slot: its index in GARMENT_SLOTS -> its number of labels (none included)."""
    sizes, _ = attribute_offsets()
    return {GARMENT_SLOTS.index(s): sizes[GARMENT_SLOTS.index(s)] for s in SHAPE_SLOTS}


def predictor_inputs(style: torch.Tensor, attributes: torch.Tensor, choices: tuple[int, ...] = CHOICES
                     ) -> torch.Tensor:
    """What the renderer's own choices are predicted from (GeometryWaves, FoldRelief, GraphicMotif): the style's
    features (style_features, choice_features), then each shape slot's label one-hot -> (B, predictor_width(S))."""
    shape = [one_hot(attributes[:, slot], size) for slot, size in shape_sizes().items()]
    return torch.cat([style_features(style), choice_features(style, choices), *shape], dim=1)


def predictor_width(style_dim: int, choices: tuple[int, ...] = CHOICES) -> int:
    return style_dim * (1 + 2 * len(STYLE_HARMONICS) + sum(n - 1 for n in choices)) + sum(shape_sizes().values())


def predictor(n_in: int, hidden: int, n_out: int) -> nn.Sequential:
    """The MLP that predicts a renderer's choices: two hidden layers."""
    return nn.Sequential(nn.Linear(n_in, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden), nn.LeakyReLU(0.2),
                         nn.Linear(hidden, n_out))


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
    prediction is fitted to them on its own, before (trainer.gan.fit_predictor): so the head learns to draw a
    stripe exactly where a wave puts it, which L1 to the truth rewards, instead of blurring stripes it cannot place.
    On the device the predicted waves draw: the right print, at about the right scale and angle, at whatever offset
    the style gives.
    """

    def __init__(self, style_dim: int, hidden: int, waves: int, size: tuple[int, int] = SPRITE_SIZE):
        super().__init__()
        n_in = predictor_width(style_dim)
        h, w = size  # pixel centres in turns of a wave one sprite height long, as a row and a column (broadcast)
        self.register_buffer("xs", 2 * torch.pi * (torch.arange(w) + 0.5).view(1, 1, 1, w) / h, persistent=False)
        self.register_buffer("ys", 2 * torch.pi * (torch.arange(h) + 0.5).view(1, 1, h, 1) / h, persistent=False)
        self.size, self.waves, self.channels = size, waves, wave_channels(waves)
        self.patterns = len(VALUES["pattern"]) + 1
        self.predict = nn.ModuleList(predictor(n_in, hidden, waves * GEOMETRY_FIELDS) for _ in range(self.patterns))

    def forward(self, style: torch.Tensor, attributes: torch.Tensor, truth: torch.Tensor | None = None
                ) -> tuple[torch.Tensor, torch.Tensor]:
        """style (B, S) and attributes (B, 9) as the generator's inputs, not its condition vector: the waves are
        fitted on their own (trainer.gan.fit_predictor), and nothing else the generator reads moves them; the
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
        inputs = predictor_inputs(style, attributes)
        every = torch.stack([mlp(inputs) for mlp in self.predict], dim=1)  # (B, P, K * F)
        picked = one_hot(attributes[:, PATTERN], self.patterns)[:, :, None] * every
        return picked.sum(1).view(-1, self.waves, GEOMETRY_FIELDS)

    def _draw(self, frequency, unit, present, threshold) -> torch.Tensor:
        if self.waves >= 2:  # the first two waves' sum: (f1 + f2, phase1 + phase2), present where both are
            u, v = unit[:, 0], unit[:, 1]
            pair = torch.stack([u[:, 0] * v[:, 0] - u[:, 1] * v[:, 1], u[:, 1] * v[:, 0] + u[:, 0] * v[:, 1]], dim=-1)
            frequency = torch.cat([frequency, frequency[:, 0:1] + frequency[:, 1:2]], dim=1)
            unit = torch.cat([unit, pair[:, None]], dim=1)
            present = torch.cat([present, present[:, 0:1] * present[:, 1:2]], dim=1)
            threshold = torch.cat([threshold, threshold[:, 0:1]], dim=1)
        frequency, unit, present, threshold = (t[..., None] for t in (frequency, unit, present, threshold))
        angle = frequency[:, :, 0:1] * self.xs + frequency[:, :, 1:2] * self.ys  # (B, K', H, W)
        cos, sin = torch.cos(angle), torch.sin(angle)
        wave = cos * unit[:, :, 0:1] - sin * unit[:, :, 1:2]  # cos(angle + phase)
        slope = sin * unit[:, :, 0:1] + cos * unit[:, :, 1:2]  # sin(angle + phase): d wave / d angle, negated
        per_px = 2 * torch.pi / self.size[0] * (frequency.pow(2).sum(2, keepdim=True) + 1e-6).sqrt()  # radians a pixel
        # the wave's change over its slope is the distance to the edge; the floors keep crests and absent waves finite
        distance = (wave - threshold) / (per_px * (slope.abs() + 0.05) + 1e-3)
        return torch.cat([present * wave, present * torch.tanh(distance / EDGE_PX)], dim=1)  # (B, channels, H, W)


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


GRAPHIC = VALUES["pattern"].index("graphic") + 1  # its label index (none first, as in attribute_layout)
MOTIF_FIELDS = 5  # the renderer's graphic: x (sprite widths), y (sprite heights), size (sprite widths), tilt
# (degrees), and its motif as an index into GRAPHICS + 1 (0: no graphic); predicted, the motif is a logit per kind
MOTIF_PIXELS = 32  # a motif template's side
MOTIF_SPAN = 1.1  # a template's half-side, in the motif's radius (size / 2): the tips lie at 1
MOTIF_BORDER = 2  # zeros round each template in GraphicMotif's lookup: both taps of a pixel off it read 0
MOTIF_CHOICES = (*CHOICES, len(GRAPHICS))  # the renderer picks a motif of seven as it picks its other options


class GraphicMotif(nn.Module):
    """A graphic print's motif (star, heart, bolt, ...: models.schema.GRAPHICS) drawn where the renderer puts it:
    a template per motif, looked up (bilinearly) at each pixel's place in the motif's frame, into the colour mix's
    logit (`gain` x (2 coverage - 1)) where the garment's pattern is a graphic.

    GeometryWaves places a graphic's box; inside it PrintCoverage could only draw a blob, and its best guess at a
    star's pixels was half a colour (12 of 25 graphics read as solid). Which motif, where, how big and how tilted are
    predicted from the style and the garment's shape as the waves are, fitted alone to the renderer's account
    (trainer.gan.fit_predictor); training draws from that account (Guide). The templates start as the renderer
    draws each motif (trainer.garment_data.graphic_templates) and, as the material textures, learn at
    GanConfig.lr_texture (0 by default: a template that is right stays right)."""

    def __init__(self, style_dim: int, hidden: int, size: tuple[int, int] = SPRITE_SIZE):
        super().__init__()
        self.size = size
        self.predict = predictor(predictor_width(style_dim, MOTIF_CHOICES), hidden, MOTIF_FIELDS - 1 + len(GRAPHICS))
        self.templates = nn.Parameter(torch.zeros(len(GRAPHICS), MOTIF_PIXELS * MOTIF_PIXELS))
        self.gain = nn.Parameter(torch.tensor(4.0))  # the mix logit a fully covered pixel gets
        h, w = size  # pixel centres as a row and a column, broadcast: a full grid is a constant in every export
        self.register_buffer("xs", (torch.arange(w) + 0.5).view(1, 1, w), persistent=False)  # (1, 1, W)
        self.register_buffer("ys", (torch.arange(h) + 0.5).view(1, h, 1), persistent=False)  # (1, H, 1)

    def predicted(self, style: torch.Tensor, attributes: torch.Tensor) -> torch.Tensor:
        """The raw prediction (B, MOTIF_FIELDS - 1 + len(GRAPHICS)) alone, as the fit reads it: nothing drawn."""
        return self.predict(predictor_inputs(style, attributes, MOTIF_CHOICES))

    def forward(self, style: torch.Tensor, attributes: torch.Tensor, truth: torch.Tensor | None = None
                ) -> torch.Tensor:
        """-> the mix logit (B, 1, H, W): 0 unless the pattern is a graphic; with `truth` (B, MOTIF_FIELDS,
        trainer.garment_data.motif_truth) drawn from the renderer's graphic instead of the predicted one."""
        if truth is None:
            raw = self.predicted(style, attributes)
            where, kind = raw[:, :4], raw[:, 4:].argmax(1)
        else:
            where, kind = truth[:, :4], (truth[:, 4] - 1).clamp(min=0).long()
        coverage = self.coverage(kind, where)
        graphic = (attributes[:, PATTERN] == GRAPHIC).to(coverage.dtype)[:, None, None, None]
        return self.gain * (2 * coverage - 1) * graphic

    def coverage(self, kind: torch.Tensor, where: torch.Tensor) -> torch.Tensor:
        """kind (B,) index into GRAPHICS, where (B, 4: x, y, size, tilt) -> coverage (B, 1, H, W).

        Bilinear: each pixel's four nearest template pixels, looked up in all templates as one column with a border
        of MOTIF_BORDER zeros round each (so a pixel off the template reads 0 with no test), not gathered from the
        garment's own template: a gather exports to TFLite with a constant index grid of a pixel each."""
        h, w = self.size
        radius = (where[:, 2:3] * w / 2).clamp(min=0.5)  # pixels
        at = where[:, :, None]  # (B, 4, 1): x, y, size, tilt
        dx, dy = self.xs - at[:, 0:1] * w, self.ys - at[:, 1:2] * h  # (B, 1, W), (B, H, 1)
        tilt = at[:, 3:4] * (torch.pi / 180)
        cos, sin = torch.cos(tilt), torch.sin(tilt)
        scale = MOTIF_PIXELS / (2 * MOTIF_SPAN) / radius[:, :, None]  # template pixels per sprite pixel
        # the template's (column, row), unturned: (B, H * W)
        gx = ((cos * dx + sin * dy) * scale + MOTIF_PIXELS / 2 - 0.5).flatten(1)
        gy = ((cos * dy - sin * dx) * scale + MOTIF_PIXELS / 2 - 0.5).flatten(1)
        x0, y0 = torch.floor(gx), torch.floor(gy)
        fx, fy = gx - x0, gy - y0
        side = MOTIF_PIXELS + 2 * MOTIF_BORDER
        # off the template, both taps of an axis land in the border (its first pixel lies at -MOTIF_BORDER)
        col, row = (t.clamp(-MOTIF_BORDER, MOTIF_PIXELS) + MOTIF_BORDER for t in (x0, y0))
        corner = (kind[:, None] * (side * side) + row.long() * side + col.long())  # (B, H * W)
        table = nn.functional.pad(self.templates.view(-1, MOTIF_PIXELS, MOTIF_PIXELS), (MOTIF_BORDER,) * 4)
        table = table.reshape(-1, 1)
        t00, t01, t10, t11 = (nn.functional.embedding(corner + step, table)[..., 0] for step in (0, 1, side, side + 1))
        top, bottom = t00 + fx * (t01 - t00), t10 + fx * (t11 - t10)
        return (top + fy * (bottom - top)).view(-1, 1, h, w)


FOLDS = 6  # the most folds the renderer lays into a garment (trainer/data/shading.py)
FOLD_FIELDS = 5  # per fold: x, width (sprite widths), depth, slant, presence (a logit when predicted)
FOLD_ROWS = 2  # where folds start deepening and the hem, in sprite heights
GLINT_FLOORS = (0.85, 0.9, 0.955)  # n.h above which a glint channel lights (FoldRelief)
EROSIONS = 8  # min-filters FoldRelief's distance to the garment's edge counts (more than RELIEF_RADIUS pixels)


def fold_layout(folds: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(B, FOLDS * FOLD_FIELDS + FOLD_ROWS) -> the folds (B, FOLDS, FOLD_FIELDS) and the rows (B, FOLD_ROWS)."""
    return folds[:, :FOLDS * FOLD_FIELDS].view(-1, FOLDS, FOLD_FIELDS), folds[:, FOLDS * FOLD_FIELDS:]


class FoldRelief(nn.Module):
    """Where a garment glints: the renderer's height field, rebuilt from the garment's alpha and its folds, lit as
    the renderer lights it; a learnt weight per material and glint channel turns it into sheen (`paint`).

    A leather's glints are thin lines a pixel or two wide on the cloth's rounded edges and on one side of every fold:
    blurred by 3 pixels, the renderer's own leather read as leather 17 times in 60 instead of 56 (the classifier;
    without glints 19). The head learnt their mean and not their lines (0 of 21 read as leather), so they are drawn
    here: the edge's roundness from the distance to the alpha's edge (EROSIONS alternating square and cross
    min-filters: an octagonal distance, near the renderer's Euclidean one), the folds as the renderer lays them
    (raised-cosine valleys deepening towards the hem), smoothed, differentiated and lit (models.schema: LIGHT,
    RELIEF_RADIUS, FOLD_DEPTH, relief_blur). The folds are predicted from the style and the garment's shape, as
    the print's waves are (GeometryWaves), and fitted alone to the renderer's account before training
    (trainer.gan.fit_predictor); training draws from the renderer's folds and alpha instead (Guide).
    """

    def __init__(self, style_dim: int, hidden: int, size: tuple[int, int] = SPRITE_SIZE):
        super().__init__()
        self.size = size
        self.predict = predictor(predictor_width(style_dim), hidden, FOLDS * FOLD_FIELDS + FOLD_ROWS)
        self.materials = len(VALUES["material"]) + 1  # none first, as in attribute_layout
        self.weights = nn.Parameter(torch.zeros(self.materials, len(GLINT_FLOORS)))
        h, w = size  # pixel centres as a row and a column, broadcast (as GraphicMotif's)
        self.register_buffer("xs", (torch.arange(w) + 0.5).view(1, 1, 1, w), persistent=False)  # (1, 1, 1, W)
        self.register_buffer("ys", (torch.arange(h) + 0.5).view(1, 1, h, 1), persistent=False)  # (1, 1, H, 1)
        sigma, reach = relief_blur(w), int(4 * relief_blur(w) + 0.5)
        gauss = [math.exp(-k * k / (2 * sigma * sigma)) for k in range(-reach, reach + 1)]
        self.blur = [g / sum(gauss) for g in gauss]  # the taps, as numbers: each a constant of the exported graph
        self.register_buffer("facing", torch.tensor(half_vector()), persistent=False)  # the half-vector
        self.register_buffer("floors", torch.tensor(GLINT_FLOORS).view(1, -1, 1, 1), persistent=False)
        self.radius = RELIEF_RADIUS * w

    def predicted(self, style: torch.Tensor, attributes: torch.Tensor) -> torch.Tensor:
        """The raw prediction (B, FOLDS * FOLD_FIELDS + FOLD_ROWS) alone, as the fit reads it: nothing drawn."""
        return self.predict(predictor_inputs(style, attributes))

    def forward(self, alpha: torch.Tensor, material: torch.Tensor, style: torch.Tensor, attributes: torch.Tensor,
                truth: torch.Tensor | None = None) -> torch.Tensor:
        """alpha (B, 1, H, W), material (B,) label index -> glint (B, 1, H, W) in [0, 1]; with `truth` (the renderer's
        folds, trainer.garment_data.fold_truth) drawn from those instead of the predicted ones."""
        if truth is None:
            folds, rows = fold_layout(self.predicted(style, attributes))
            folds = torch.cat([folds[..., :4], torch.sigmoid(folds[..., 4:5])], dim=-1)
        else:
            folds, rows = fold_layout(truth)
        height = self.edge_height(alpha) - self.fold_depth(folds, rows) * self.radius * FOLD_DEPTH
        glints = self.glints(self.smooth(height))  # (B, len(GLINT_FLOORS), H, W)
        weights = nn.functional.embedding(material, self.weights)[:, :, None, None]  # (B, len(GLINT_FLOORS), 1, 1)
        return (glints * weights).sum(1, keepdim=True).clamp(0, 1)

    def edge_height(self, alpha: torch.Tensor) -> torch.Tensor:
        """The cloth's rise off the page, a quarter circle within RELIEF_RADIUS of the edge (as the renderer's)."""
        inside = (alpha >= 0.3).to(alpha.dtype)  # chiffon's alpha is 0.55 and more inside
        distance, eroded = inside, inside
        for k in range(1, EROSIONS):
            padded = -nn.functional.pad(eroded, (1, 1, 1, 1))  # the canvas's border is outside, as the renderer's
            if k % 2:  # a cross
                across = nn.functional.max_pool2d(padded, (1, 3), stride=1)[:, :, 1:-1]
                down = nn.functional.max_pool2d(padded, (3, 1), stride=1)[:, :, :, 1:-1]
                eroded = -torch.maximum(across, down)
            else:  # a square
                eroded = -nn.functional.max_pool2d(padded, 3, stride=1)
            distance = distance + eroded
        d = distance.clamp(max=self.radius)
        return (d * (2 * self.radius - d)).clamp(min=0).sqrt()

    def fold_depth(self, folds: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        """folds (B, FOLDS, FOLD_FIELDS) with presence in [0, 1], rows (B, FOLD_ROWS) -> depth (B, 1, H, W)."""
        h, w = self.size
        x, width, depth, slant, present = (f[:, :, None, None] for f in folds.unbind(-1))  # (B, FOLDS, 1, 1)
        top, hem = (r[:, None, None, None] * h for r in rows.unbind(-1))  # (B, 1, 1, 1) pixels
        u = (self.xs - x * w - slant * (self.ys - hem)) / (width * w).clamp(min=0.5)  # (B, FOLDS, H, W)
        valley = 0.5 + 0.5 * torch.cos(torch.pi * u.clamp(-1, 1))  # a raised cosine, 0 from |u| = 1 on
        deepening = ((self.ys - top) / (hem - top).clamp(min=1.0)).clamp(0, 1).pow(0.8)
        return (valley * (depth * present)).sum(1, keepdim=True) * deepening

    def smooth(self, height: torch.Tensor) -> torch.Tensor:
        """The renderer's Gaussian blur (reflected at the canvas's border), along rows then columns: a sum of
        shifted copies, not a convolution (TFLite ran a one-channel 1 x 13 convolution at 1.4 ms a pass)."""
        reach = len(self.blur) // 2
        h, w = height.shape[-2:]
        rows = nn.functional.pad(height, (reach, reach, 0, 0), mode="reflect")
        rows = self._taps([rows[..., k:k + w] for k in range(len(self.blur))])
        cols = nn.functional.pad(rows, (0, 0, reach, reach), mode="reflect")
        return self._taps([cols[..., k:k + h, :] for k in range(len(self.blur))])

    def _taps(self, shifted: list[torch.Tensor]) -> torch.Tensor:
        """The blur's weighted sum of `shifted` copies; its taps are symmetric, so pairs share a weight."""
        n = len(shifted)
        total = shifted[n // 2] * self.blur[n // 2]
        for k in range(n // 2):
            total = total + (shifted[k] + shifted[n - 1 - k]) * self.blur[k]
        return total

    def glints(self, height: torch.Tensor) -> torch.Tensor:
        """(B, 1, H, W) height -> per GLINT_FLOORS floor ((n.h - floor) / (1 - floor)) ** 1.5 where positive."""
        padded = nn.functional.pad(height, (1, 1, 1, 1), mode="replicate")
        gx = (padded[:, :, 1:-1, 2:] - padded[:, :, 1:-1, :-2]) / 2
        gy = (padded[:, :, 2:, 1:-1] - padded[:, :, :-2, 1:-1]) / 2
        facing = self.facing[2] - gx * self.facing[0] - gy * self.facing[1]
        n_dot_h = (facing / (gx * gx + gy * gy + 1).sqrt()).clamp(0, 1)
        lit = ((n_dot_h - self.floors) / (1 - self.floors)).clamp(0, 1)  # (B, len(GLINT_FLOORS), H, W)
        return lit * lit.sqrt()  # ** 1.5: a power is a slow op in TFLite
