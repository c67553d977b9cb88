"""The device's garment generator over a tiny exported generator in a real bundle."""

import numpy as np
import pytest
import torch

from edge_app.generator import GarmentGenerator, GenerationError
from edge_app.runtime import load_model
from export.bundle import write_bundle
from export.formats import FORMATS
from models.generator import Generator, GeneratorConfig
from models.renderer_parts import attribute_layout
from models.schema import GARMENT_SLOTS, SPRITE_SIZE, garment_templates

TINY = GeneratorConfig(channels=(16, 8, 8, 4), cond_dim=32)


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gen")
    torch.manual_seed(0)
    model = Generator(TINY).eval()
    sample = {"attributes": torch.zeros(1, len(GARMENT_SLOTS), dtype=torch.int32), "rgb": torch.rand(1, 6),
              "style": torch.rand(1, TINY.style_dim)}
    path = FORMATS["onnx"].export(model, sample, ["sprite"], tmp / "g.onnx")
    with torch.no_grad():
        out = {"sprite": model(**sample).numpy()}
    write_bundle(tmp / "bundle", {"generator": {"files": {"onnx": path}, "inputs": sample, "outputs": out,
                                                "attributes": attribute_layout(), "style_dim": TINY.style_dim}},
                 extra={"templates": garment_templates()})
    return tmp / "bundle"


def test_generates_a_sprite_with_keypoints_and_says_what_it_dropped(bundle_dir):
    gen = GarmentGenerator.from_bundle(bundle_dir, "onnx", "fp32")
    sprite = gen.generate({"intent": "new", "category": "shorts", "sleeve": "long", "color": "red"}, seed=3)
    assert sprite.rgba.shape == (*SPRITE_SIZE, 4) and sprite.rgba.dtype == np.uint8
    assert sprite.family == "lower" and sprite.garment["length"] == "short"
    assert sprite.dropped == ["sleeve=long dropped: a shorts is a lower garment, with no sleeve"]
    x, y = sprite.keypoints["left_knee"]
    assert 0 < x < SPRITE_SIZE[1] and 0 < y < SPRITE_SIZE[0]


def test_seed_picks_the_variation(bundle_dir):
    gen = GarmentGenerator.from_bundle(bundle_dir, "onnx", "fp32")
    a, b = gen.generate({}, seed=1).rgba, gen.generate({}, seed=2).rgba
    assert np.array_equal(a, gen.generate({}, seed=1).rgba) and not np.array_equal(a, b)


def test_a_nan_output_never_reaches_a_sprite(bundle_dir, tmp_path):
    broken = Generator(TINY).eval()
    with torch.no_grad():
        for weight in broken.head.parameters():
            weight.fill_(float("nan"))  # a corrupt model: every pixel comes out NaN
    sample = {"attributes": torch.zeros(1, len(GARMENT_SLOTS), dtype=torch.int32), "rgb": torch.rand(1, 6),
              "style": torch.rand(1, TINY.style_dim)}
    gen = GarmentGenerator.from_bundle(bundle_dir, "onnx", "fp32")
    gen.model = load_model(FORMATS["onnx"].export(broken, sample, ["sprite"], tmp_path / "broken.onnx"), "onnx")
    with pytest.raises(GenerationError, match="NaN True"):
        gen.generate({})
