import math
import random
from dataclasses import replace

import cv2
import numpy as np
import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from models.generator import HEAD_CHANNELS, SHEEN, STUDENT, TEACHER, Discriminator, Generator, Soften, paint
from models.renderer_lookups import MaterialTexture
from models.renderer_parts import (
    GRAPHIC,
    MATERIAL,
    PATTERN,
    FoldRelief,
    GeometryWaves,
    GraphicMotif,
    PrintCoverage,
    attribute_layout,
    fold_layout,
)
from models.schema import GARMENT_SLOTS, SPRITE_SIZE
from trainer.data.patterns import PATTERNS, Layout


def _inputs(batch=2):
    torch.manual_seed(0)
    return torch.zeros(batch, len(GARMENT_SLOTS), dtype=torch.int32), torch.rand(batch, 6), torch.rand(batch, 8)


def _macs(model, *args):
    with FlopCounterMode(display=False) as counter:
        model(*args)
    return counter.get_total_flops() / 2


def test_sprite_shape_range_and_features():
    sprite, features, geometry, (head, printed, glint) = Generator(replace(STUDENT, relief=True)).eval()(
        *_inputs(), return_features=True)
    assert sprite.shape == (2, 4, *SPRITE_SIZE) and head.shape == (2, HEAD_CHANNELS, *SPRITE_SIZE)
    assert printed.shape == (2, 1, *SPRITE_SIZE) and glint.shape == (2, 1, *SPRITE_SIZE)
    assert 0 <= sprite.min() and sprite.max() <= 1
    assert [f.shape[1] for f in features] == list(STUDENT.channels)
    assert geometry.shape == (2, STUDENT.geometry, 6)


def _print(pattern: str, seed: int) -> tuple[np.ndarray, list[dict]]:
    """A print's coverage on the sprite's canvas, and the waves the renderer says it is made of."""
    h, w = SPRITE_SIZE
    lay = Layout(h, w, "upper", w / 2, 8.0, h - 8.0, (w / 2, h / 3), w / 3, np.zeros((h, w), np.float32))
    coverage, params = PATTERNS[pattern](lay, random.Random(seed))
    return coverage, params.get("waves", [])


def _drawn(waves: list[dict]) -> torch.Tensor:
    """GeometryWaves' channels when its prediction is exactly `waves` (the renderer's account of a print)."""
    geometry = GeometryWaves(style_dim=4, hidden=8, waves=2)
    raw = torch.zeros(2, 6)
    raw[:, 4] = -30.0  # absent
    for k, wave in enumerate(waves):
        duty = math.acos(wave["threshold"]) / math.pi
        raw[k] = torch.tensor([*wave["f"], math.cos(wave["phase"]), math.sin(wave["phase"]), 30.0,
                               math.log(duty / (1 - duty))])
    truth = torch.zeros(1, 2, 5)  # as trainer.garment_data.print_waves has them: what training draws with
    for k, wave in enumerate(waves):
        truth[0, k] = torch.tensor([*wave["f"], wave["phase"], wave["threshold"], 1.0])
    with torch.no_grad():
        for mlp in geometry.predict:  # every pattern's MLP: the one picked draws `waves`
            mlp[-1].weight.zero_()
            mlp[-1].bias.copy_(raw.flatten())
        attributes = torch.zeros(1, len(GARMENT_SLOTS), dtype=torch.int32)
        channels, predicted = geometry(torch.zeros(1, 4), attributes)
        forced, _ = geometry(torch.zeros(1, 4), attributes, truth)
    assert torch.equal(predicted[0], raw) and torch.allclose(channels, forced, atol=1e-4)
    return channels[0]


@pytest.mark.parametrize("seed", range(4))
def test_the_predicted_waves_draw_the_print_where_the_renderer_drew_it(seed):
    coverage, waves = _print("striped", seed)
    above = _drawn(waves)[3].numpy() > 0  # presence x tanh(distance to the edge): inside a stripe
    assert np.mean(above == (coverage > 0.5)) > 0.99
    coverage, waves = _print("polka_dot", seed)
    channels = _drawn(waves)
    crests = (channels[0] > 0.95) & (channels[1] > 0.95)  # where the two waves' crests cross: dot centres
    assert crests.any() and (coverage[crests.numpy()] > 0.5).all()
    coverage, waves = _print("plaid", seed)
    bands = (_drawn(waves)[3:5] > 0).any(0).numpy()
    assert np.mean(bands == (coverage >= 0.5)) > 0.8  # the fine lines between the bands are not waves


@pytest.mark.parametrize("seed", range(6))
def test_a_colour_blocks_wave_falls_through_zero_on_its_line(seed):
    coverage, waves = _print("color_block", seed)  # no sleeves on this layout: top/bottom, left/right, diagonal
    above = _drawn(waves)[3].numpy() > 0
    assert len(waves) == 1 and np.mean(above == (coverage > 0.5)) > 0.99


@pytest.mark.parametrize("pattern", ["striped", "color_block", "plaid"])
@pytest.mark.parametrize("seed", range(4))
def test_the_edge_channel_is_as_sharp_at_a_colour_blocks_line_as_at_a_stripe(pattern, seed):
    """The head draws an edge from presence x tanh(distance / EDGE_PX): saturated a few pixels from any edge,
    however long the wave (cos - threshold, the channel it replaced, was 0.05 four pixels from a colour block's
    line, and the head never drew one); distances are about the wave's linear reach."""
    coverage, waves = _print(pattern, seed)
    edge = _drawn(waves)[3].numpy()
    inside = (edge > 0).astype(np.uint8)
    far = np.where(inside, *(cv2.distanceTransform(m, cv2.DIST_L2, 3) for m in (inside, 1 - inside)))  # to the edge
    edge, far = edge[3:-3, 3:-3], far[3:-3, 3:-3]  # an edge just past the canvas is one distanceTransform misses
    assert np.abs(edge[far >= 2]).min() > 0.6  # tanh(1) = 0.76 where the wave is exactly linear
    assert np.abs(edge[far <= 1]).max() < 0.55  # and it passes through zero on the edge


@pytest.mark.parametrize("seed", range(6))
def test_a_graphics_waves_cross_on_the_print(seed):
    coverage, waves = _print("graphic", seed)
    both = (_drawn(waves)[0:2].prod(0)).numpy()
    assert both.max() > 0.99 and coverage.flat[both.argmax()] > 0.5  # the one crest crossing: on the print
    assert coverage[both < 0.5].mean() < 0.05  # little print away from it


def test_the_flowers_grid_waves_cross_among_the_flowers():
    coverage, waves = _print("floral", 0)
    crests = (_drawn(waves)[0:2] > 0.9).all(0).numpy()
    assert coverage[crests].mean() > 2 * coverage.mean()  # flowers are jittered off the grid, not far


def test_a_solid_print_has_no_waves_and_draws_none():
    _, waves = _print("solid", 0)
    assert waves == [] and _drawn(waves).abs().max() < 1e-6


def test_each_pattern_predicts_its_own_waves():
    geometry = GeometryWaves(style_dim=4, hidden=8, waves=2)
    style, attributes = torch.rand(3, 4), torch.zeros(3, len(GARMENT_SLOTS), dtype=torch.int32)
    attributes[:, PATTERN] = torch.tensor([1, 2, 2])
    with torch.no_grad():
        _, before = geometry(style, attributes)
        geometry.predict[1][-1].bias.add_(1.0)  # solid's MLP only
        _, after = geometry(style, attributes)
    assert torch.allclose(after[0], before[0] + 1) and torch.equal(after[1:], before[1:])


def test_the_waves_read_the_garments_shape_and_not_its_colours():
    torch.manual_seed(0)
    geometry = GeometryWaves(style_dim=4, hidden=8, waves=2)
    style, attributes = torch.rand(1, 4), torch.ones(1, len(GARMENT_SLOTS), dtype=torch.int32)
    with torch.no_grad():
        base = geometry.predicted(style, attributes)
        for slot, moves in [("category", True), ("length", True), ("color", False), ("material", False)]:
            other = attributes.clone()
            other[0, GARMENT_SLOTS.index(slot)] = 2
            assert (not torch.allclose(geometry.predicted(style, other), base)) == moves, slot


def _fit_coverage(pattern: str, steps: int = 300) -> float:
    """IoU of PrintCoverage fitted alone, on four prints of `pattern` drawn from the renderer's waves."""
    torch.manual_seed(0)
    prints = [_print(pattern, seed) for seed in range(4)]
    channels = torch.stack([_drawn(waves) for _, waves in prints])
    target = torch.from_numpy(np.stack([c for c, _ in prints]) > 0.5).float()[:, None]
    label = attribute_layout()[PATTERN]["labels"].index(pattern)
    coverage, labels = PrintCoverage(waves=2, hidden=6), torch.full((4,), label, dtype=torch.int32)
    opt = torch.optim.Adam(coverage.parameters(), lr=0.03)
    for _ in range(steps):
        opt.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(coverage(channels, labels), target).backward()
        opt.step()
    drawn = coverage(channels, labels).detach() > 0
    return float((drawn & (target > 0)).sum() / (drawn | (target > 0)).sum())


@pytest.mark.parametrize("pattern,iou", [("striped", 0.95), ("color_block", 0.95), ("polka_dot", 0.85)])
def test_the_print_coverage_learns_where_the_print_lies_from_its_waves(pattern, iou):
    """The shape a pattern makes of its waves: one band's edge for stripes and colour blocks; the crossing of two
    waves' crests for dots, rounded by their sum's (0.77 without it: a rhombus round each dot)."""
    assert _fit_coverage(pattern) > iou


def test_the_sum_wave_is_there_only_where_both_waves_are():
    channels = _drawn(_print("polka_dot", 0)[1])
    assert channels.shape[0] == 6 and channels[2].max() > 0.99  # cos of the sum: 1 on each dot's site
    crest = (channels[0] > 0.999) & (channels[1] > 0.999)
    assert (channels[2][crest] > 0.99).all()
    stripes = _drawn(_print("striped", 0)[1])
    assert stripes[[1, 2, 4, 5]].abs().max() < 1e-6 and stripes[0].abs().max() > 0.99


def test_the_print_coverage_of_one_pattern_leaves_the_others_alone():
    coverage = PrintCoverage(waves=2, hidden=3)
    channels, patterns = torch.rand(2, 6, 8, 6), torch.tensor([2, 5], dtype=torch.int32)
    with torch.no_grad():
        before = coverage(channels, patterns)
        coverage.net[-1].bias[5] += 2.0
        after = coverage(channels, patterns)
    assert after.shape == (2, 1, 8, 6) and torch.equal(after[0], before[0])
    assert torch.allclose(after[1], before[1] + 2.0)


def matt_head(h: int, w: int) -> torch.Tensor:
    """A head of zeros but for its sheen, turned fully off (paint's colours then come out exact)."""
    head = torch.zeros(1, HEAD_CHANNELS, h, w)
    head[:, SHEEN] = -30.0
    return head


def test_the_print_coverage_moves_the_colour_mix():
    rgb = torch.tensor([[0.8, 0.1, 0.2, 0.0, 0.0, 1.0]])
    head, printed = matt_head(1, 2), torch.tensor([[[[30.0, -30.0]]]])
    sprite = paint(head, rgb, printed=printed)
    assert torch.allclose(sprite[0, :3, 0, 0], rgb[0, :3], atol=1e-4)
    assert torch.allclose(sprite[0, :3, 0, 1], rgb[0, 3:], atol=1e-4)


def test_the_head_s_colour_is_softened_and_its_alpha_is_not():
    head = torch.zeros(1, HEAD_CHANNELS, 8, 8)
    head[:, :, ::2, ::2] = 4.0  # one-pixel speckle in every channel
    head[:, 3] = 1.5  # a flat channel
    out = Soften()(head)
    assert torch.equal(out[:, 0], head[:, 0])
    inner = out[:, 1:, 2:-2, 2:-2]
    assert inner[:, [0, 1, 3, 4]].std() < 0.6 and torch.allclose(inner[:, 2], torch.full_like(inner[:, 2], 1.5))
    assert torch.allclose(out[:, 1:].mean(dim=(2, 3)), head[:, 1:].mean(dim=(2, 3)), atol=0.2)


def test_student_needs_a_tenth_of_the_teachers_macs():
    args = _inputs(1)
    assert _macs(Generator(TEACHER).eval(), *args) >= 10 * _macs(Generator(STUDENT).eval(), *args)


def test_a_flat_head_paints_the_asked_colour():
    rgb = torch.tensor([[0.8, 0.1, 0.2, 0.0, 0.0, 1.0]])
    head = matt_head(4, 3)
    head[:, 1] = 20.0  # all first colour
    sprite = paint(head, rgb)
    assert torch.allclose(sprite[0, :3, 0, 0], rgb[0, :3]) and torch.allclose(sprite[0, 3], torch.full((4, 3), 0.5))


def test_the_sheen_blends_towards_white_and_is_faint_at_zero():
    rgb = torch.tensor([[0.4, 0.2, 0.1, 0.0, 0.0, 1.0]])
    head = torch.zeros(1, HEAD_CHANNELS, 1, 3)
    head[:, 1] = 20.0
    head[:, SHEEN, 0, 1], head[:, SHEEN, 0, 2] = 6.0, 30.0  # half way; all the way
    sprite = paint(head, rgb)[0, :3, 0]
    assert torch.allclose(sprite[:, 0], rgb[0, :3], atol=0.005)  # a zero head is matt
    assert torch.allclose(sprite[:, 1], (rgb[0, :3] + 1) / 2) and torch.allclose(sprite[:, 2], torch.ones(3))


def test_the_texture_multiplies_the_shading():
    rgb = torch.tensor([[0.4, 0.2, 0.1, 0.0, 0.0, 1.0]])
    head = matt_head(4, 3)
    head[:, 1] = 20.0
    texture = torch.full((1, 1, 4, 3), 0.5)
    texture[..., 0, 0] = -0.5
    sprite = paint(head, rgb, texture)
    assert torch.allclose(sprite[0, :3, 1, 1], 3 * sprite[0, :3, 0, 0])  # 1.5 against 0.5
    assert torch.allclose(sprite[0, :3].mean(dim=(1, 2)), rgb[0, :3])  # the mean shade is pinned to 1


def test_the_shading_moves_light_around_but_keeps_the_asked_colour():
    rgb = torch.tensor([[0.6, 0.3, 0.2, 0.0, 0.0, 1.0]])
    head = matt_head(8, 6)
    head[:, 1] = 20.0
    head[:, 2] = torch.linspace(-1.0, 2.0, 48).view(8, 6)  # light on one side, shadow on the other
    head[:, 0, :2] = -30.0  # two transparent rows: not part of the garment, whatever their shade
    sprite = paint(head, rgb)
    garment = sprite[0, :3, 2:]
    assert garment[:, -1, -1].sum() > 1.5 * garment[:, 0, 0].sum()
    assert torch.allclose(garment.mean(dim=(1, 2)), rgb[0, :3], atol=1e-5)
    assert torch.isfinite(paint(torch.zeros(1, HEAD_CHANNELS, 2, 2) - 30, rgb)).all()  # an empty sprite: no 0 / 0


def test_each_material_draws_its_own_texture_map():
    texture = MaterialTexture()
    denim = attribute_layout()[MATERIAL]["labels"].index("denim")
    assert texture(torch.tensor([denim])).abs().max() == 0  # maps start flat
    with torch.no_grad():
        texture.maps[denim] = torch.linspace(-0.2, 0.2, texture.maps.shape[1])
    drawn = texture(torch.tensor([denim, denim + 1], dtype=torch.int32))
    assert drawn.shape == (2, 1, *SPRITE_SIZE) and drawn[1].abs().max() == 0
    assert torch.equal(drawn[0].flatten(), texture.maps[denim])


def test_a_generator_with_textures_draws_each_materials_own():
    g = Generator(STUDENT).eval()
    attributes, rgb, style = _inputs(1)
    attributes = attributes.repeat(2, 1)
    attributes[:, MATERIAL] = torch.tensor([1, 2], dtype=torch.int32)
    with torch.no_grad():
        flat = g(attributes, rgb.repeat(2, 1), style.repeat(2, 1))
        g.texture.maps[2] = torch.linspace(-0.3, 0.3, g.texture.maps.shape[1])  # a flat one would be pinned away
        textured = g(attributes, rgb.repeat(2, 1), style.repeat(2, 1))
    assert torch.equal(textured[0], flat[0]) and torch.equal(textured[1, 3], flat[1, 3])  # alpha as it was
    assert (textured[1, :3] - flat[1, :3]).abs().max() > 0.01


def test_attribute_layout_has_none_first_for_every_garment_slot():
    layout = attribute_layout()
    assert [s["name"] for s in layout] == list(GARMENT_SLOTS) and all(s["labels"][0] is None for s in layout)


def test_discriminator_scores_patches_and_uses_the_condition():
    d = Discriminator().eval()
    sprite = torch.rand(1, 4, *SPRITE_SIZE)
    a = torch.zeros(1, len(GARMENT_SLOTS), dtype=torch.long)
    b = a.clone()
    b[0, 1] = 3
    score_a, feats, classes = d(sprite, a, torch.zeros(1, 6))
    score_b, _, _ = d(sprite, b, torch.zeros(1, 6))
    assert score_a.shape == (1, 1, SPRITE_SIZE[0] // 16, SPRITE_SIZE[1] // 16) and len(feats) == 4
    assert [c.shape[1] for c in classes] == [len(s["labels"]) for s in attribute_layout()]
    assert not torch.allclose(score_a, score_b)


def _leather(seed: int):
    """A rendered leather garment, its shading's n.h, and its folds as the training data carries them."""
    from trainer.data import garments
    from trainer.data.garments import render_garment, sample_garment
    from trainer.garment_data import fold_truth

    lit = {}
    shading = garments.garment_shading

    def keep(*args, **kwargs):
        lit["shading"] = shading(*args, **kwargs)
        return lit["shading"]

    garment = {**sample_garment(random.Random(seed)), "material": "leather"}
    style = np.random.default_rng(seed).random(8).astype(np.float32)
    garments.garment_shading = keep
    try:
        render = render_garment(garment, seed, SPRITE_SIZE, style=style)
    finally:
        garments.garment_shading = shading
    folds = torch.from_numpy(fold_truth(render.params["shading"]))[None]
    return render, lit["shading"].n_dot_h, folds


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_relief_finds_the_renderers_glints_from_its_alpha_and_folds(seed):
    render, _, folds = _leather(seed)
    relief = FoldRelief(style_dim=8, hidden=8)
    with torch.no_grad():
        relief.weights[:, 0], relief.weights[:, 2] = 0.12, 0.8  # about the renderer's leather (materials.py)
        alpha = torch.from_numpy(render.rgba[..., 3] / 255.0).float()[None, None]
        glint = relief(alpha, torch.tensor([1]), torch.zeros(1, 8), torch.zeros(1, 9, dtype=torch.int32), folds)
    inside = render.silhouette
    assert np.corrcoef(glint[0, 0].numpy()[inside], render.sheen[inside])[0, 1] > 0.97


def test_the_reliefs_distance_to_the_edge_is_near_the_renderers():
    from trainer.data.shading import edge_distance

    h, w = SPRITE_SIZE
    inside = np.zeros((h, w), bool)
    cv2.ellipse(inside.view(np.uint8), (w // 2, h // 2), (30, 45), 20, 0, 360, 1, -1)
    relief = FoldRelief(style_dim=8, hidden=8)
    radius = relief.radius
    d = np.minimum(edge_distance(inside), radius)
    theirs = np.sqrt(d * (2 * radius - d))
    with torch.no_grad():
        mine = relief.edge_height(torch.from_numpy(inside).float()[None, None])[0, 0].numpy()
    assert np.abs(mine - theirs)[inside].mean() < 0.3 and np.abs(mine - theirs).max() < 2.0


def test_the_relief_draws_its_folds_where_the_renderer_lays_them():
    _, _, folds = _leather(3)
    relief = FoldRelief(style_dim=8, hidden=8)
    f, rows = fold_layout(folds)
    with torch.no_grad():
        depth = relief.fold_depth(f, rows)[0, 0]
    hem = int(rows[0, 1] * SPRITE_SIZE[0])
    x = int(f[0, 0, 0] * SPRITE_SIZE[1])  # the first fold, at the hem where its slant moves nothing
    assert depth[hem - 1, x] >= 0.9 * f[0, 0, 2]  # its depth at its centre (a neighbour's may add to it)
    assert depth[int(rows[0, 0] * SPRITE_SIZE[0]) - 2].abs().max() == 0  # above where folds start: none


def test_a_material_without_glint_weights_never_glints():
    render, _, folds = _leather(4)
    relief = FoldRelief(style_dim=8, hidden=8)
    with torch.no_grad():
        relief.weights[2] = 1.0  # one material glints, the next not
        alpha = torch.from_numpy(render.rgba[..., 3] / 255.0).float()[None, None].repeat(2, 1, 1, 1)
        glint = relief(alpha, torch.tensor([2, 3]), torch.zeros(2, 8), torch.zeros(2, 9, dtype=torch.int32),
                       folds.repeat(2, 1))
    assert glint[0].max() > 0.5 and glint[1].max() == 0


@pytest.mark.parametrize("seed", range(4))
def test_the_motif_draws_the_renderers_graphic_where_it_says_it_drew_it(seed):
    from trainer.data.garments import render_garment, sample_garment
    from trainer.garment_data import graphic_templates, motif_truth

    garment = {**sample_garment(random.Random(seed)), "pattern": "graphic", "secondary_color": "white"}
    render = render_garment(garment, seed, SPRITE_SIZE, style=np.random.default_rng(seed).random(8))
    motif = GraphicMotif(style_dim=8, hidden=8)
    with torch.no_grad():
        motif.templates.copy_(graphic_templates())
        attributes = torch.zeros(1, len(GARMENT_SLOTS), dtype=torch.int32)
        attributes[0, PATTERN] = GRAPHIC
        logit = motif(torch.zeros(1, 8), attributes, torch.from_numpy(motif_truth(render.params["pattern"]))[None])
    mine, theirs = logit[0, 0].numpy() > 0, render.cover > 0.5
    assert (mine & theirs).sum() / (mine | theirs).sum() > 0.85
    attributes[0, PATTERN] = 1  # not a graphic: nothing drawn
    assert not motif(torch.zeros(1, 8), attributes).any()
