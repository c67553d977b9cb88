import numpy as np
import torch

from edge_app.generator import encode_garment
from models.renderer_parts import FOLD_FIELDS, FOLDS, attribute_layout
from models.schema import GARMENT_SLOTS, PALETTE, SPRITE_SIZE
from trainer.data.garments import render_garment
from trainer.data.style import StyleRandom
from trainer.garment_data import garment_pairs, material_textures


def test_pairs_are_deterministic_and_match_the_renderer():
    data, garments = garment_pairs(6, seed=6, style_dim=8, progress=False)
    attributes, rgb, style, truth, waves, cover, sheen, folds, motif = data.tensors
    assert attributes.shape == (6, len(GARMENT_SLOTS)) and truth.shape == (6, 4, *SPRITE_SIZE)
    count = {"solid": 0, "striped": 1, "color_block": 1}  # a colour block of sleeves has none: none here
    assert waves[:, :, 4].sum(1).tolist() == [count.get(g["pattern"], 2) for g in garments]
    assert truth.dtype == torch.uint8 and 0 <= style.min() and style.max() < 1
    assert cover.shape == (6, 1, *SPRITE_SIZE) and cover.dtype == torch.uint8
    for g, c, t in zip(garments, cover, truth, strict=True):
        share = (c[0][t[3] > 0].float() / 255).mean().item()  # of the garment, in the second colour
        assert share == 0 if g["pattern"] == "solid" else 0.02 < share < 0.98, (g["pattern"], share)
    glossy = [g["material"] in ("leather", "silk") for g in garments]
    assert sheen.shape == cover.shape and [bool(s.any()) for s in sheen] == glossy
    fields = folds[:, :FOLDS * FOLD_FIELDS].view(6, FOLDS, FOLD_FIELDS)
    assert ((fields[:, :, 4].sum(1) >= 3) & (fields[:, :, 4].sum(1) <= FOLDS)).all()  # three to six folds each
    top, hem = folds[:, -2], folds[:, -1]
    assert ((0 < top) & (top < hem) & (hem < 1)).all()
    assert [bool(m[4] > 0) for m in motif] == [g["pattern"] == "graphic" for g in garments]
    again, _ = garment_pairs(6, seed=6, style_dim=8, progress=False)
    assert all(torch.equal(a, b) for a, b in zip(data.tensors, again.tensors, strict=True))
    indices, colours = encode_garment(garments[0], attribute_layout(), {k: list(v) for k, v in PALETTE.items()})
    assert attributes[0].tolist() == indices and np.allclose(rgb[0].numpy(), colours)


def test_style_decides_the_pattern_not_the_seed():
    _, garments = garment_pairs(1, seed=0, style_dim=8, progress=False)
    garment = dict(garments[0], pattern="polka_dot", secondary_color="white")
    style = [0.3] * 8
    a = render_garment(garment, 1, SPRITE_SIZE, style=style).params["pattern"]
    b = render_garment(garment, 99, SPRITE_SIZE, style=style).params["pattern"]
    c = render_garment(garment, 1, SPRITE_SIZE, style=[0.8] * 8).params["pattern"]
    assert a == b and a != c


def test_a_style_choice_moves_with_its_value():
    """Each choice is floor(value * n): neighbouring styles make the same choice, and float32 styles pick both of
    two (random.Random's own index took the low bits of the value: a hash, and always the first of two)."""
    assert [StyleRandom([v]).choice("abc") for v in (0.05, 0.3, 0.33, 0.5, 0.66, 0.67, 0.99)] == list("aaabbcc")
    styles = np.random.default_rng(0).random((400, 1)).astype(np.float32)
    picks = [StyleRandom(s).choice([-1, 1]) for s in styles]
    assert 150 < picks.count(1) < 250 and picks == [1 if s[0] >= 0.5 else -1 for s in styles]
    beyond = StyleRandom([0.2], seed=5)  # past the vector's end: the seeded stream, still every index
    beyond.random()
    assert sorted({beyond.randrange(4) for _ in range(200)}) == [0, 1, 2, 3]


def test_material_textures_are_the_renderers_swatches():
    maps = material_textures(size=(64, 48))
    labels = attribute_layout()[GARMENT_SLOTS.index("material")]["labels"]
    assert maps.shape == (len(labels), 64 * 48) and maps[0].abs().max() == 0  # none: flat
    std = {m: float(maps[i].std()) for i, m in enumerate(labels) if m}
    assert std["denim"] > 3 * std["leather"] and std["wool"] > 3 * std["silk"]  # twill and fuzz; smooth leather, silk
    assert abs(float(maps[1:].mean())) < 0.01  # textures are normalised to mean 1
    assert torch.equal(maps, material_textures(size=(64, 48)))  # a swatch is the same on every call
