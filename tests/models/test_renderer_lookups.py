from dataclasses import replace

import numpy as np
import pytest
import torch

from models.generator import TEACHER, Generator
from models.renderer_lookups import SilhouetteCut
from models.renderer_parts import attribute_layout
from models.schema import SPRITE_SIZE


@pytest.fixture(scope="module")
def silhouette_cut():
    from trainer.garment_data import silhouette_tables

    cut = SilhouetteCut()
    cut.fill(*silhouette_tables())
    return cut


def _shape_attributes(garments):
    from edge_app.generator import encode_garment
    from models.schema import PALETTE

    palette = {k: list(v) for k, v in PALETTE.items()}
    return torch.tensor([encode_garment(g, attribute_layout(), palette)[0] for g in garments], dtype=torch.int32)


def test_the_silhouette_cut_keeps_every_garments_shape_and_cuts_the_lower_family_to_it(silhouette_cut):
    from trainer.data.silhouettes import build_shape, downsample
    from trainer.garment_data import shape_garments

    garments = shape_garments()
    with torch.no_grad():
        cut = silhouette_cut(_shape_attributes(garments))[:, 0].numpy()
    for garment, mine in zip(garments, cut, strict=True):
        coverage = downsample(build_shape(garment, SPRITE_SIZE).mask)
        assert (coverage - mine).max() < 0.01, garment  # never cuts into the garment
        if garment["category"] in ("skirt", "trousers", "shorts"):  # and cuts all the rest: off by a row's AA at most
            assert np.abs(coverage - mine).max() <= 0.51 and np.abs(coverage - mine).mean() < 0.005, garment


def test_the_silhouette_cut_tells_a_turtleneck_from_a_collar_and_a_knee_length_from_a_midi(silhouette_cut):
    from trainer.garment_data import shape_garments

    def one(**shape):
        return next(g for g in shape_garments() if all(g[k] == v for k, v in shape.items()))

    pairs = [(one(category="coat", neckline="turtleneck", sleeve="long", fit="regular", length="knee"),
              one(category="coat", neckline="collared", sleeve="long", fit="regular", length="knee")),
             (one(category="skirt", length="knee", fit="regular"), one(category="skirt", length="midi", fit="regular"))]
    for a, b in pairs:
        with torch.no_grad():
            cut = silhouette_cut(_shape_attributes([a, b]))[:, 0]
        assert (cut[0] - cut[1]).abs().sum() > 20  # pixels apart, not a rounding


def test_the_silhouette_cut_bounds_the_generators_alpha_and_refuses_tables_of_another_size(silhouette_cut):
    from trainer.garment_data import shape_garments

    model = Generator(replace(TEACHER, channels=(16, 8, 8, 4), cond_dim=32, silhouette=True)).eval()
    model.silhouette.load_state_dict(silhouette_cut.state_dict())
    skirt = next(g for g in shape_garments() if g["category"] == "skirt")
    attributes = _shape_attributes([skirt])
    with torch.no_grad():
        sprite = model(attributes, torch.rand(1, 6), torch.rand(1, 8))
        assert (sprite[0, 3][silhouette_cut(attributes)[0, 0] == 0] == 0).all()
    with pytest.raises(ValueError, match="set NECK_KEYS in models/renderer_lookups.py to 3"):
        SilhouetteCut().fill(torch.zeros(98, dtype=torch.int32), torch.ones(3, 1088), torch.zeros(280),
                             torch.ones(37, 256))
