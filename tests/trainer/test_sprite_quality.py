import random

import numpy as np

from models.schema import SPRITE_SIZE
from trainer.data.garments import render_garment, sample_garment
from trainer.sprite_quality import agreement, sprite_quality, to_rgba_uint8


def _rendered(n=6, solid=True):
    rnd = random.Random(0)
    garments = [dict(sample_garment(rnd), **({"pattern": "solid", "secondary_color": None} if solid else {}))
                for _ in range(n)]
    return np.stack([render_garment(g, i, SPRITE_SIZE).rgba for i, g in enumerate(garments)]), garments


def test_the_renderers_own_sprites_score_near_perfect():
    sprites, garments = _rendered()
    q = sprite_quality(sprites, garments)
    assert q["delta_e"] < 3.0 and q["iou"] > 0.97 and q["attr_acc"] is None  # shading moves the median a bit


def test_a_wrong_colour_and_an_empty_sprite_score_badly():
    sprites, garments = _rendered()
    recoloured = sprites.copy()
    recoloured[..., :3] = 255 - recoloured[..., :3]
    assert sprite_quality(recoloured, garments)["delta_e"] > 20
    assert sprite_quality(np.zeros_like(sprites), garments)["iou"] == 0.0


def test_agreement_and_conversion():
    sprites, _ = _rendered(3)
    same = agreement(sprites, sprites)
    assert same["ssim"] > 0.999 and same["delta_e"] < 1e-6
    floats = sprites.transpose(0, 3, 1, 2) / 255.0
    assert np.array_equal(to_rgba_uint8(floats), sprites)
