import torch
from torch.utils.flop_counter import FlopCounterMode

from models.generator import STUDENT, TEACHER, Discriminator, Generator, attribute_layout, paint
from models.schema import GARMENT_SLOTS, SPRITE_SIZE


def _inputs(batch=2):
    torch.manual_seed(0)
    return torch.zeros(batch, len(GARMENT_SLOTS), dtype=torch.int32), torch.rand(batch, 6), torch.rand(batch, 8)


def _macs(model, *args):
    with FlopCounterMode(display=False) as counter:
        model(*args)
    return counter.get_total_flops() / 2


def test_sprite_shape_range_and_features():
    sprite, features = Generator(STUDENT).eval()(*_inputs(), return_features=True)
    assert sprite.shape == (2, 4, *SPRITE_SIZE)
    assert 0 <= sprite.min() and sprite.max() <= 1
    assert [f.shape[1] for f in features] == list(STUDENT.channels)


def test_student_needs_a_tenth_of_the_teachers_macs():
    args = _inputs(1)
    assert _macs(Generator(TEACHER).eval(), *args) >= 10 * _macs(Generator(STUDENT).eval(), *args)


def test_a_flat_head_paints_the_asked_colour():
    rgb = torch.tensor([[0.8, 0.1, 0.2, 0.0, 0.0, 1.0]])
    head = torch.zeros(1, 6, 4, 3)
    head[:, 1] = 20.0  # all first colour
    sprite = paint(head, rgb)
    assert torch.allclose(sprite[0, :3, 0, 0], rgb[0, :3]) and torch.allclose(sprite[0, 3], torch.full((4, 3), 0.5))


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
