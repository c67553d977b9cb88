import math
from dataclasses import replace
from pathlib import Path

import torch
from torch.utils.data import TensorDataset

from models.generator import STUDENT, Generator, GeneratorConfig, Guide
from models.renderer_parts import FOLD_FIELDS, FOLD_ROWS, FOLDS, MOTIF_FIELDS
from models.schema import GARMENT_SLOTS, SPRITE_SIZE
from trainer.distributed import Amp
from trainer.gan import (
    GanConfig,
    GanTrainee,
    fit_predictor,
    fold_loss,
    geometry_loss,
    motif_loss,
    sprite_l1,
    start_from_teacher,
)
from trainer.garment_data import garment_pairs
from trainer.loop import LoopConfig, run_steps

TINY = GeneratorConfig(channels=(16, 8, 8, 4), cond_dim=32, geometry=2, texture=True, relief=True, motif=True)


def _data(n=8):
    g = torch.Generator().manual_seed(0)
    truth = torch.zeros(n, 4, *SPRITE_SIZE, dtype=torch.uint8)
    truth[:, 0], truth[:, 3, 20:100, 20:76] = 200, 255  # a red block on transparent
    return TensorDataset(torch.zeros(n, len(GARMENT_SLOTS), dtype=torch.int32),
                         torch.tensor([[0.8, 0.1, 0.1, 1.0, 1.0, 1.0]]).repeat(n, 1), torch.rand(n, 8, generator=g),
                         truth, torch.zeros(n, STUDENT.geometry, 5), torch.zeros(n, 1, *SPRITE_SIZE, dtype=torch.uint8),
                         torch.zeros(n, 1, *SPRITE_SIZE, dtype=torch.uint8),
                         torch.zeros(n, FOLDS * FOLD_FIELDS + FOLD_ROWS), torch.zeros(n, MOTIF_FIELDS))


def _l1(gen, data):
    a, rgb, style, truth, *_ = data.tensors
    with torch.no_grad():
        return sprite_l1(gen.eval()(a, rgb, style), truth.float() / 255).item()


def test_teacher_steps_move_towards_the_truth(tmp_path: Path):
    torch.manual_seed(0)
    data, gen = _data(), Generator(TINY)
    before = _l1(gen, data)
    run_steps(GanTrainee(gen, GanConfig(lr_g=3e-3)), data, LoopConfig(epochs=30, batch_size=8), tmp_path / "t", "t")
    assert _l1(gen, data) < 0.6 * before


def test_the_material_textures_stay_as_drawn_by_default(tmp_path: Path):
    torch.manual_seed(0)
    data, gen = _data(4), Generator(TINY)
    data.tensors[0][:, GARMENT_SLOTS.index("material")] = 2
    with torch.no_grad():
        gen.texture.maps.uniform_(-0.1, 0.1)
    drawn, mix = gen.texture.maps.detach().clone(), gen.mix[0].weight.detach().clone()
    run_steps(GanTrainee(gen, GanConfig()), data, LoopConfig(epochs=2, batch_size=4), tmp_path / "t", "t")
    assert torch.equal(gen.texture.maps, drawn) and not torch.equal(gen.mix[0].weight, mix)  # the rest trained


def test_the_critic_is_trained_and_read_only_when_a_term_weighs_it():
    torch.manual_seed(0)
    off = GanTrainee(Generator(TINY), GanConfig())
    before = [p.detach().clone() for p in off.d.parameters()]
    assert set(off.step([_data(4).tensors], Amp())) == {"g", "l1", "alpha", "sheen"}
    assert all(torch.equal(a, b) for a, b in zip(before, off.d.parameters(), strict=True))
    on = GanTrainee(Generator(TINY), GanConfig(adversarial=1.0))
    before = [p.detach().clone() for p in on.d.parameters()]
    assert {"d", "adv", "fm", "aux"} <= set(on.step([_data(4).tensors], Amp()))
    assert not all(torch.equal(a, b) for a, b in zip(before, on.d.parameters(), strict=True))


def test_student_distils_through_adapters_and_checkpoints(tmp_path: Path):
    torch.manual_seed(0)
    teacher = Generator(TINY).eval()
    trainee = GanTrainee(Generator(STUDENT), GanConfig(adversarial=1.0, feature_matching=2.0), teacher=teacher)
    assert [a.out_channels for a in trainee.drafter.adapters] == list(TINY.channels)
    scalars = trainee.step([_data(4).tensors], Amp())
    assert {"d", "g", "adv", "l1", "fm", "distill_l1", "distill_feat"} <= set(scalars)
    run_steps(trainee, _data(4), LoopConfig(epochs=1, batch_size=4), tmp_path / "s", "s")
    state = torch.load(tmp_path / "s", weights_only=False)["trainee"]
    assert {"g", "d", "adapters", "opt_g", "opt_d"} <= set(state)
    assert all(not p.requires_grad for p in teacher.parameters())


def test_real_catalogue_sprites_add_an_unconditioned_critic_term():
    torch.manual_seed(0)
    real = torch.randint(0, 255, (5, 4, *SPRITE_SIZE), dtype=torch.uint8)
    trainee = GanTrainee(Generator(TINY), GanConfig(), real_sprites=real)
    scalars = trainee.step([_data(4).tensors], Amp())
    assert "real_adv" in scalars and scalars["real_adv"] == scalars["real_adv"]  # present and not NaN
    assert "real_adv" not in GanTrainee(Generator(TINY), GanConfig()).step([_data(4).tensors], Amp())


def test_two_micro_batches_step_as_one_batch_does():
    """Gradient accumulation: a batch split in two micro-batches trains the generator as the whole batch does.

    Sprites are compared, not weights: Adam's first steps move a weight by +-lr whatever its gradient's size, so
    weights whose gradient is ~0 flip with rounding and change nothing drawn."""
    sprites = []
    for parts in (1, 2):
        torch.manual_seed(0)
        critic = GanConfig(adversarial=1.0, feature_matching=2.0, auxiliary=2.0)  # the critic's path too
        trainee, data = GanTrainee(Generator(TINY), critic), _data(8).tensors
        for _ in range(3):
            trainee.step([tuple(t[i] for t in data) for i in torch.arange(8).chunk(parts)], Amp())
        with torch.no_grad():
            sprites.append(trainee.g.eval()(*data[:3]))
    assert (sprites[0] - sprites[1]).abs().max() < 1e-4


def test_spectrum_loss_ignores_phase_but_not_frequency():
    from trainer.gan import spectrum_loss

    x = torch.arange(96.0)
    def stripes(period, shift=0):
        rgb = ((x + shift) // (period // 2) % 2).expand(1, 3, 128, 96)  # square-wave stripes
        return torch.cat([rgb, torch.ones(1, 1, 128, 96)], dim=1)

    shifted, other_width = spectrum_loss(stripes(8), stripes(8, 4)), spectrum_loss(stripes(8), stripes(16))
    assert shifted < 1e-4 < other_width  # half a period off costs nothing; twice as wide does
    assert torch.nn.functional.l1_loss(stripes(8), stripes(8, 4)) == 0.75  # plain L1: every colour pixel wrong


def test_the_alpha_loss_does_not_fade_when_the_logit_saturates():
    from trainer.gan import alpha_loss

    truth = torch.zeros(1, 4, 2, 2, dtype=torch.uint8)
    truth[:, 3] = 153  # alpha 0.6, as chiffon's
    logit = torch.full((1, 1, 2, 2), 6.0, requires_grad=True)  # alpha 0.9975
    alpha_loss(logit, truth).backward()
    assert torch.allclose(logit.grad, torch.full_like(logit, (torch.sigmoid(torch.tensor(6.0)) - 0.6).item() / 4))
    l1 = torch.full((1, 1, 2, 2), 6.0, requires_grad=True)
    torch.nn.functional.l1_loss(torch.sigmoid(l1), truth[:, 3:4] / 255).backward()
    assert l1.grad.abs().max() < 0.01 * logit.grad.abs().max()  # what L1 on the sigmoid has left to give


def test_sprite_l1_charges_colour_only_where_it_is_seen():
    truth = torch.zeros(1, 4, 2, 2)
    truth[:, :3, 0, 0], truth[:, 3, 0, 0], truth[:, 3, 0, 1] = 0.5, 1.0, 0.5  # opaque grey, half-clear black, clear
    fake = truth.clone().requires_grad_(True)
    with torch.no_grad():
        fake[:, :3, 1] = 0.9  # colour where nothing is seen: free
    assert sprite_l1(fake, truth).item() == 0.0
    with torch.no_grad():
        fake[:, :3, 0, 1] = 0.4  # colour under alpha 0.5: costs half of it, in each of 3 channels of 4 x 4 values
    loss = sprite_l1(fake, truth)
    assert math.isclose(loss.item(), 3 * 0.4 * 0.5 / 16, rel_tol=1e-6)
    loss.backward()
    assert fake.grad[:, :3, 1].abs().sum() == 0 and torch.allclose(fake.grad[0, :3, 0, 1], torch.full((3,), 0.5 / 16))


def test_cover_loss_reads_the_garment_only_and_wants_the_first_colour_where_nothing_is_printed():
    from trainer.gan import cover_loss

    truth = torch.zeros(1, 4, 4, 4, dtype=torch.uint8)
    truth[:, 3, :, :2] = 255  # the garment is the left half
    cover = torch.zeros(1, 1, 4, 4, dtype=torch.uint8)
    cover[:, :, 2:, :] = 255  # printed below, on and off the garment
    right = torch.where(cover > 0, -20.0, 20.0)  # the second colour where printed, the first elsewhere
    assert cover_loss(right, cover, truth).item() < 1e-6
    wrong_off_garment = right.clone()
    wrong_off_garment[..., 2:] *= -1  # the right half is not garment: nothing to learn there
    assert cover_loss(wrong_off_garment, cover, truth).item() < 1e-6
    unsure = torch.zeros(1, 1, 4, 4)
    assert abs(cover_loss(unsure, cover, truth).item() - math.log(2)) < 1e-6


def test_the_sheen_loss_reads_the_garment_only_and_wants_the_renderers_sheen():
    from models.generator import HEAD_CHANNELS, SHEEN, SHEEN_OFFSET
    from trainer.gan import sheen_loss

    truth = torch.zeros(1, 4, 4, 4, dtype=torch.uint8)
    truth[:, 3, :, :2] = 255  # the garment is the left half
    sheen = torch.full((1, 1, 4, 4), 51, dtype=torch.uint8)  # a fifth of the way to white
    head = torch.zeros(1, HEAD_CHANNELS, 4, 4)
    head[:, SHEEN, :, :2] = SHEEN_OFFSET + math.log(0.2 / 0.8)  # paint's sheen exactly 0.2 on the garment
    head[:, SHEEN, :, 2:] = 50.0  # off the garment: not charged
    entropy = -(0.2 * math.log(0.2) + 0.8 * math.log(0.8))
    assert abs(sheen_loss(head, None, sheen, truth).item() - entropy) < 1e-5
    head[:, SHEEN, :, :2] = 0.0  # matt, where the renderer glints
    assert sheen_loss(head, None, sheen, truth).item() > entropy + 0.5


def test_the_cover_loss_teaches_the_print_coverage_and_leaves_the_trunk_alone(tmp_path: Path):
    torch.manual_seed(0)
    data, gen = _data(4), Generator(replace(TINY, coverage=2))
    data.tensors[4][:, 0] = torch.tensor([0.0, 0.5, 0.0, 0.0, 1.0])  # half a cycle a height: above 0 to mid-height
    data.tensors[5][:, :, :64] = 255  # ...printed in the second colour
    trunk = [p.detach().clone() for p in gen.stages.parameters()]

    def share() -> torch.Tensor:  # of the first colour below the band, less above it
        with torch.no_grad():
            head, printed, _ = gen(*data.tensors[:3], return_features=True, guide=Guide(waves=data.tensors[4]))[3]
            mix = torch.sigmoid(head[:, 1:2] + printed)
        return mix[:, :, 80:110, 30:60].mean() - mix[:, :, 10:40, 30:60].mean()

    before = share()
    trainee = GanTrainee(gen, GanConfig(l1=0.0, alpha=0.0, sheen=0.0, lr_coverage=3e-2))
    run_steps(trainee, data, LoopConfig(epochs=20, batch_size=4), tmp_path / "t", "t")
    assert share() > 0.5 and share() > before + 0.3
    assert all(torch.equal(a, b) for a, b in zip(trunk, gen.stages.parameters(), strict=True))


def _waves_and_prediction():
    """One stripe wave covering a third of each period (threshold cos(pi / 3) = 0.5), one absent."""
    waves = torch.tensor([[[3.0, 8.0, 2.5, 0.5, 1.0], [0.0, 0.0, 0.0, 0.0, 0.0]]])
    third = -math.log(2.0)  # logit of 1/3
    raw = torch.tensor([[[3.0, 8.0, 2 * math.cos(2.5), 2 * math.sin(2.5), 30.0, third],
                         [5.0, 5.0, 1.0, 0.0, -30.0, 0.9]]])  # what an absent wave predicts costs nothing
    return waves, raw


def test_geometry_loss_is_zero_for_the_renderers_waves_and_the_phase_never_wraps():
    waves, raw = _waves_and_prediction()
    assert geometry_loss(raw, waves).item() < 1e-6
    waves[0, 0, 2] += 2 * torch.pi  # the same phase
    assert geometry_loss(raw, waves).item() < 1e-5


def test_geometry_loss_charges_phase_frequency_duty_and_presence():
    waves, raw = _waves_and_prediction()
    off = raw.clone()
    off[0, 0, 2:4] *= -1  # half a turn off: 1 - cos(pi) = 2, over 2 wave slots
    assert abs(geometry_loss(off, waves).item() - 1.0) < 1e-4
    off = raw.clone()
    off[0, 0, 0] += 10.0  # ten cycles per height off of 3 + 8: 10 / 11, over 2 slots
    assert abs(geometry_loss(off, waves).item() - 10 / 11 / 2) < 1e-4
    off = raw.clone()
    off[0, 0, 5] = 0.0  # duty 1/2 for 1/3: relative error 1/2, over 2 slots
    assert abs(geometry_loss(off, waves).item() - 0.25) < 1e-4
    off = raw.clone()
    off[0, 1, 4] = 0.0  # unsure whether the absent wave is there: log 2 over 2 slots
    assert abs(geometry_loss(off, waves).item() - 0.5 * torch.log(torch.tensor(2.0)).item()) < 1e-4


def test_the_small_parts_and_maps_learn_at_their_own_rates_and_the_predictors_not_at_all():
    trainee = GanTrainee(Generator(replace(TINY, coverage=2)), GanConfig(lr_g=1e-4, lr_coverage=1e-3, lr_texture=3e-3))
    groups, g = trainee.opt_g.param_groups, trainee.g
    assert [group["lr"] for group in groups] == [1e-4, 1e-3, 3e-3]
    small = [*g.coverage.parameters(), g.relief.weights, g.motif.gain]
    assert {id(p) for p in groups[1]["params"]} == {id(p) for p in small}
    assert {id(p) for p in groups[2]["params"]} == {id(g.texture.maps), id(g.motif.templates)}
    fitted = {id(p) for p in [*g.geometry.parameters(), *g.relief.predict.parameters(), *g.motif.predict.parameters()]}
    assert not fitted & {id(p) for group in groups for p in group["params"]}
    assert sum(len(group["params"]) for group in groups) == len(list(trainee.drafter.parameters())) - len(fitted)


def test_the_print_waves_are_fitted_to_the_renderers_then_frozen():
    data, _ = garment_pairs(24, seed=3, style_dim=TINY.style_dim, progress=False)
    attributes, style, waves = data.tensors[0], data.tensors[2], data.tensors[4]
    torch.manual_seed(0)
    geometry = Generator(TINY).geometry
    with torch.no_grad():
        before = geometry_loss(geometry.predicted(style, attributes), waves).item()
    after = fit_predictor(geometry, waves, geometry_loss, data, steps=300, seed=0, batch_size=24, progress=False)
    with torch.no_grad():
        assert abs(geometry_loss(geometry.predicted(style, attributes), waves).item() - after) < 1e-5
    assert after < 0.5 * before
    assert not any(p.requires_grad for p in geometry.parameters())


def test_the_folds_are_fitted_to_the_renderers_then_frozen_but_not_the_glint_weights():
    data, _ = garment_pairs(24, seed=3, style_dim=TINY.style_dim, progress=False)
    attributes, style, folds = data.tensors[0], data.tensors[2], data.tensors[7]
    torch.manual_seed(0)
    relief = Generator(TINY).relief
    with torch.no_grad():
        before = fold_loss(relief.predicted(style, attributes), folds).item()
    after = fit_predictor(relief, folds, fold_loss, data, steps=300, seed=0, batch_size=24, progress=False)
    assert after < 0.3 * before
    assert not any(p.requires_grad for p in relief.predict.parameters()) and relief.weights.requires_grad


def test_a_graphics_motif_is_fitted_to_the_renderers():
    data, _ = garment_pairs(60, seed=4, style_dim=TINY.style_dim, progress=False)
    attributes, style, motif = data.tensors[0], data.tensors[2], data.tensors[8]
    assert (motif[:, 4] > 0).any()  # some graphics among them
    torch.manual_seed(0)
    graphic = Generator(replace(TINY, coverage=2)).motif
    with torch.no_grad():
        before = motif_loss(graphic.predicted(style, attributes), motif).item()
    after = fit_predictor(graphic, motif, motif_loss, data, steps=300, seed=0, batch_size=60, progress=False)
    assert after < 0.3 * before and not any(p.requires_grad for p in graphic.predict.parameters())


def test_motif_loss_counts_graphics_only_and_in_pixels():
    from models.schema import GRAPHICS, SPRITE_SIZE

    motif = torch.tensor([[0.5, 0.3, 0.25, 6.0, 2.0], [0.0, 0.0, 0.0, 0.0, 0.0]])  # a ring; no graphic
    raw = torch.cat([motif[:, :4], torch.full((2, len(GRAPHICS)), -30.0)], dim=1)
    raw[0, 4 + 1] = 30.0  # sure it is the ring
    raw[1] = 7.0  # whatever it says where there is no graphic costs nothing
    assert motif_loss(raw, motif).item() < 1e-6
    off = raw.clone()
    off[0, 0] += 3 / SPRITE_SIZE[1]  # three pixels to the right
    assert abs(motif_loss(off, motif).item() - 3) < 1e-4


def test_fold_loss_is_zero_for_the_renderers_folds_and_counts_pixels():
    folds = torch.zeros(1, FOLDS * FOLD_FIELDS + FOLD_ROWS)
    folds[0, :FOLD_FIELDS] = torch.tensor([0.4, 0.05, 0.6, -0.1, 1.0])  # one fold; the other slots absent
    folds[0, -FOLD_ROWS:] = torch.tensor([0.3, 0.9])
    raw = folds.clone()
    raw[0, FOLD_FIELDS - 1:FOLDS * FOLD_FIELDS:FOLD_FIELDS] = torch.tensor([30.0] + [-30.0] * (FOLDS - 1))  # logits
    assert fold_loss(raw, folds).item() < 1e-6
    off = raw.clone()
    off[0, 0] += 2 / SPRITE_SIZE[1]  # the fold two pixels to the right, over FOLDS slots
    assert abs(fold_loss(off, folds).item() - 2 / FOLDS) < 1e-4
    off = raw.clone()
    off[0, -1] += 3 / SPRITE_SIZE[0]  # the hem three pixels low
    assert abs(fold_loss(off, folds).item() - 3) < 1e-4


def test_the_sheen_loss_counts_the_reliefs_glints():
    from models.generator import HEAD_CHANNELS
    from trainer.gan import sheen_loss

    truth = torch.full((1, 4, 4, 4), 255, dtype=torch.uint8)
    sheen = torch.zeros(1, 1, 4, 4, dtype=torch.uint8)
    sheen[..., 0] = 204  # a glint down the left column
    head = torch.zeros(1, HEAD_CHANNELS, 4, 4)  # the head's own sheen: sigmoid(-SHEEN_OFFSET), near 0
    glint = torch.zeros(1, 1, 4, 4)
    without = sheen_loss(head, glint, sheen, truth).item()
    glint[..., 0] = 0.8
    assert sheen_loss(head, glint, sheen, truth).item() < 0.5 * without


def test_a_student_starts_from_its_teachers_width_free_parts_only():
    torch.manual_seed(0)
    big = replace(TINY, coverage=2)
    teacher, student = Generator(big), Generator(replace(big, channels=(8, 4, 4, 2), depthwise=True))
    with torch.no_grad():
        teacher.texture.maps.normal_()  # textures start at zero in both: make the copy show
    copied = start_from_teacher(student, teacher)
    assert copied == ["embed", "cond", "geometry", "coverage", "texture", "relief", "motif"]
    for name in copied:
        for (key, mine), theirs in zip(getattr(student, name).state_dict().items(),
                                       getattr(teacher, name).state_dict().values(), strict=True):
            assert torch.equal(mine, theirs), f"{name}.{key}"
    assert not torch.equal(student.project.bias, teacher.project.bias[:student.project.bias.numel()])
    other = Generator(replace(big, cond_dim=16, texture=False))  # a narrower condition and wave predictor
    assert start_from_teacher(other, teacher) == ["embed", "coverage"]
