import math

import numpy as np
import pytest
import torch
from skimage.color import deltaE_ciede2000, rgb2lab
from torch import nn

from edge_app.garments import complete_garment
from models.attribute_classifier import (
    ATTRIBUTES,
    AttributeClassifier,
    AttributeClassifierConfig,
    attribute_labels,
    labels_of,
)
from models.schema import PALETTE, SPRITE_SIZE, VALUES, garment_templates
from trainer.attribute_classifier import (
    attribute_accuracy,
    load_classifier,
    save_classifier,
    sprites_to_tensor,
    train_attribute_classifier,
)
from trainer.garment_metrics import (
    colour_error,
    count_macs,
    count_parameters,
    garment_colour,
    mask_iou,
    mean_delta_e,
    ssim,
    summarise,
)


def flat_sprite(rgb, h=32, w=24, border=4) -> np.ndarray:
    """A solid rectangle of `rgb` with a transparent border whose RGB is junk (straight alpha: undefined)."""
    out = np.zeros((h, w, 4), np.uint8)
    out[..., :3] = (255, 0, 255)
    out[border:-border, border:-border] = (*rgb, 255)
    return out


def opaque_pixels(sprite):
    return np.argwhere(sprite[..., 3] == 255)


# ---- colour --------------------------------------------------------------------------------------------------------


def test_colour_error_is_zero_for_the_asked_colour_and_large_for_another():
    for name in ("red", "navy", "white", "mustard"):
        assert colour_error(flat_sprite(PALETTE[name]), PALETTE[name]) < 1e-6
    assert colour_error(flat_sprite(PALETTE["blue"]), PALETTE["red"]) > 20
    assert colour_error(flat_sprite(PALETTE["beige"]), PALETTE["navy"]) > 20


@pytest.mark.parametrize("damage", ["folds", "noise"])
def test_colour_is_robust_to_a_fifth_of_the_pixels_off(damage):
    sprite, rng = flat_sprite(PALETTE["teal"]), np.random.default_rng(0)
    where = opaque_pixels(sprite)
    hit = where[rng.choice(len(where), size=len(where) // 5, replace=False)]
    rgb = sprite[hit[:, 0], hit[:, 1], :3]
    if damage == "folds":
        sprite[hit[:, 0], hit[:, 1], :3] = (rgb * 0.45).astype(np.uint8)
    else:
        sprite[hit[:, 0], hit[:, 1], :3] = rng.integers(0, 256, size=rgb.shape, dtype=np.uint8)
    assert colour_error(sprite, PALETTE["teal"]) < 3
    mean_lab = rgb2lab(sprite[sprite[..., 3] == 255, :3] / 255.0).mean(axis=0)  # what a mean would have said
    assert deltaE_ciede2000(mean_lab, rgb2lab(np.array(PALETTE["teal"]) / 255.0)) > 3


def test_garment_colour_is_lab_and_needs_an_opaque_pixel():
    np.testing.assert_allclose(garment_colour(flat_sprite((255, 255, 255))), [100, 0, 0], atol=0.01)
    with pytest.raises(ValueError, match="no opaque pixels"):
        garment_colour(np.zeros((8, 8, 4), np.uint8))
    with pytest.raises(ValueError, match="uint8"):
        garment_colour(np.zeros((8, 8, 4), np.float32))


# ---- masks ---------------------------------------------------------------------------------------------------------


def test_mask_iou_exact_values():
    alpha = np.zeros((8, 8), np.uint8)
    alpha[0:4, 0:4] = 255
    half = np.zeros((8, 8), bool)
    half[0:4, 0:2] = True
    assert mask_iou(alpha, half) == 0.5
    shifted = np.zeros((8, 8), bool)
    shifted[2:6, 2:6] = True
    assert mask_iou(alpha, shifted) == pytest.approx(4 / 28)
    assert mask_iou(alpha, alpha >= 128) == 1.0
    assert mask_iou(alpha, np.zeros((8, 8), bool)) == 0.0
    assert mask_iou(np.zeros((8, 8), np.uint8), np.zeros((8, 8), bool)) == 1.0


def test_mask_iou_threshold_and_sprite_input():
    sprite = np.zeros((4, 4, 4), np.uint8)
    sprite[0, :, 3] = 128  # opaque enough
    sprite[1, :, 3] = 127  # not
    row0 = np.zeros((4, 4), bool)
    row0[0] = True
    assert mask_iou(sprite, row0) == 1.0
    with pytest.raises(ValueError, match="differ in size"):
        mask_iou(sprite, np.zeros((4, 5), bool))
    with pytest.raises(ValueError, match="uint8"):
        mask_iou(np.ones((4, 4), np.float32), row0)


# ---- student vs teacher --------------------------------------------------------------------------------------------


def test_ssim_one_for_identical_lower_for_noise():
    a = flat_sprite(PALETTE["green"])
    assert ssim(a, a.copy()) == pytest.approx(1.0)
    noisy = a.copy()
    noise = np.random.default_rng(1).integers(-60, 61, size=a[..., :3].shape)
    noisy[..., :3] = np.clip(a[..., :3].astype(int) + noise, 0, 255)
    assert ssim(a, noisy) < 0.9


def test_ssim_counts_alpha_and_ignores_hidden_rgb():
    a = flat_sprite(PALETTE["red"])
    hidden = a.copy()
    hidden[a[..., 3] == 0, :3] = (0, 255, 0)  # different RGB under alpha 0: invisible
    assert ssim(a, hidden) == pytest.approx(1.0)
    smaller = flat_sprite(PALETTE["red"], border=8)
    assert ssim(a, smaller) < 0.95


def test_mean_delta_e():
    red, blue = flat_sprite(PALETTE["red"]), flat_sprite(PALETTE["blue"])
    assert mean_delta_e(red, red.copy()) == 0.0
    assert mean_delta_e(np.zeros((16, 16, 4), np.uint8), np.zeros((16, 16, 4), np.uint8)) == 0.0
    expected = deltaE_ciede2000(rgb2lab(np.array(PALETTE["red"]) / 255), rgb2lab(np.array(PALETTE["blue"]) / 255))
    assert mean_delta_e(red, blue) == pytest.approx(expected)
    hidden = red.copy()
    hidden[red[..., 3] == 0, :3] = 0
    assert mean_delta_e(red, hidden) == 0.0
    assert mean_delta_e(red, flat_sprite(PALETTE["red"], border=8)) > 10  # missing pixels cost


# ---- cost ----------------------------------------------------------------------------------------------------------


def test_count_macs_matches_the_analytic_count():
    conv = nn.Conv2d(3, 8, 3, padding=1)
    assert count_macs(conv, {"input": torch.zeros(1, 3, 16, 16)}) == 8 * 16 * 16 * 3 * 9
    depthwise = nn.Conv2d(8, 8, 3, padding=1, groups=8)
    assert count_macs(depthwise, {"input": torch.zeros(2, 8, 16, 16)}) == 2 * 8 * 16 * 16 * 9
    linear = nn.Linear(10, 5).train()
    assert count_macs(linear, {"input": torch.zeros(4, 10)}) == 4 * 10 * 5
    assert linear.training  # mode restored
    assert count_parameters(linear) == 55 and count_parameters(conv) == 8 * 3 * 9 + 8


def test_summarise():
    s = summarise(range(1, 11))
    assert s == pytest.approx({"median": 5.5, "mean": 5.5, "p90": 9.1})
    with pytest.raises(ValueError):
        summarise([])


# ---- attribute classifier ------------------------------------------------------------------------------------------


def test_labels_of_complete_garments():
    templates = garment_templates()
    skirt, _ = complete_garment({"category": "skirt", "pattern": "striped"}, templates)
    labels = labels_of(skirt)
    assert labels["sleeve"] == 0 and labels["neckline"] == 0  # not applicable
    assert labels["length"] == 1 + VALUES["length"].index("knee")
    assert attribute_labels("pattern")[labels["pattern"]] == "striped"
    with pytest.raises(ValueError, match="sleeve='elbow'"):
        labels_of({**skirt, "sleeve": "elbow"})


def test_classifier_shapes_and_size():
    model = AttributeClassifier()
    logits = model(torch.rand(2, 4, *SPRITE_SIZE))
    assert set(logits) == set(ATTRIBUTES)
    for a in ATTRIBUTES:
        assert logits[a].shape == (2, len(VALUES[a]) + 1)
    assert 300_000 <= count_parameters(model) <= 1_000_000  # small: scores sprites in the trainer, never shipped


def toy_set(n: int, seed: int):
    """Garments on a canvas: stripes horizontal ("striped") or vertical ("plaid"); side rectangles = long sleeves."""
    rng = np.random.default_rng(seed)
    h, w = SPRITE_SIZE
    sprites, garments = np.zeros((n, h, w, 4), np.uint8), []
    names = list(PALETTE)
    for i in range(n):
        horizontal, sleeves = bool(rng.integers(2)), bool(rng.integers(2))
        c1, c2 = (np.array(PALETTE[names[k]]) for k in rng.choice(len(names), 2, replace=False))
        while np.abs(c1 - c2).sum() < 150:  # stripes of gold on mustard would be a guess, not a test
            c2 = np.array(PALETTE[names[rng.integers(len(names))]])
        period = int(rng.integers(4, 9))
        coord = np.arange(h)[:, None] if horizontal else np.arange(w)[None, :]
        stripes = ((coord // period) % 2).astype(bool)
        canvas = np.where(np.broadcast_to(stripes, (h, w))[..., None], c1, c2)
        alpha = np.zeros((h, w), bool)
        alpha[10:115, 30:66] = True
        if sleeves:
            alpha[14:90, 14:30] = alpha[14:90, 66:82] = True
        sprites[i, ..., :3] = np.clip(canvas + rng.normal(0, 8, (h, w, 3)), 0, 255)
        sprites[i, ..., 3] = alpha * 255
        garments.append({"category": "tshirt", "color": names[0], "pattern": "striped" if horizontal else "plaid",
                         "material": "cotton", "sleeve": "long" if sleeves else "sleeveless", "neckline": "round",
                         "length": None})
    return sprites, garments


@pytest.fixture(scope="module")
def toy_classifier():
    sprites, garments = toy_set(256, seed=0)
    narrow = AttributeClassifierConfig(channels=(8, 16, 16, 24), hidden=32)  # the same code at a tenth of the cost
    return train_attribute_classifier(sprites, garments, epochs=8, seed=0, progress=False, batch_size=32,
                                      config=narrow)


def test_classifier_learns_a_toy_task(toy_classifier):
    sprites, garments = toy_set(64, seed=1)
    acc = attribute_accuracy(toy_classifier, sprites, garments)
    assert acc["pattern"] > 0.9 and acc["sleeve"] > 0.9 and acc["material"] == 1.0
    assert math.isnan(acc["length"])  # applies to none of these garments: not measured
    assert acc["mean"] > 0.9


def test_save_load_round_trip(toy_classifier, tmp_path):
    path = tmp_path / "classifier.pt"
    save_classifier(toy_classifier, path)
    assert path.is_file() and not (tmp_path / "classifier.pt.tmp").exists()
    loaded = load_classifier(path)
    x = sprites_to_tensor(toy_set(4, seed=2)[0])
    with torch.no_grad():
        before, after = toy_classifier(x), loaded(x)
    for a in ATTRIBUTES:
        assert torch.equal(before[a], after[a])


def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no attribute classifier"):
        load_classifier(tmp_path / "missing.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="not an attribute classifier checkpoint"):
        load_classifier(tmp_path / "junk.pt")


def test_the_classifier_sees_a_sprite_as_shown_colours_premultiplied():
    sprites = np.zeros((1, 2, 2, 4), np.uint8)
    sprites[0, 0, 0] = (200, 100, 50, 255)  # opaque
    sprites[0, 0, 1] = (200, 100, 50, 0)  # a colour nobody sees
    sprites[0, 1, 0] = (200, 100, 50, 51)  # a fifth seen
    x = sprites_to_tensor(sprites)
    assert x.shape == (1, 4, 2, 2)
    assert torch.allclose(x[0, :, 0, 0], torch.tensor([200, 100, 50, 255]) / 255)
    assert torch.equal(x[0, :, 0, 1], torch.zeros(4))
    assert torch.allclose(x[0, :, 1, 0], torch.tensor([40, 20, 10, 51]) / 255, atol=1e-6)
