"""Real-dataset adapters on tests/data/real/: tiny copies of the public VITON-HD, Dress Code and
DeepFashion-MultiModal layouts (see the README there)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from models.schema import GARMENT_SLOTS
from trainer.data.deepfashion import FABRIC, LOWER_LENGTH, NECKLINE, PATTERN, SLEEVE
from trainer.data.real import ADAPTERS, RealDataError, RealGarment, load_real, to_sprite

DATA = Path(__file__).resolve().parents[1] / "data" / "real"
LABELS = {name: DATA / "labels" / f"{name}.jsonl" for name in ("viton-hd", "dresscode")}


def load(name: str, split: str = "train", **kw) -> list[RealGarment]:
    return list(load_real(name, DATA / name, split, **kw))


def said(garment: RealGarment) -> dict[str, str]:
    return {k: v for k, v in garment.frame.items() if v is not None}


def check_masks(garments: list[RealGarment]) -> None:
    for g in garments:
        mask, image = g.load_mask(), g.load_image()
        assert mask.dtype == bool and mask.shape == image.shape[:2]
        assert 0 < mask.sum() < mask.size
        assert set(g.frame) == set(GARMENT_SLOTS)


def one_line_error(match: str, fn, *args, **kw) -> str:
    with pytest.raises(RealDataError, match=match) as err:
        fn(*args, **kw)
    assert "\n" not in str(err.value)
    return str(err.value)


# ---- VITON-HD ---------------------------------------------------------------------------------------------------


def test_viton_hd_yields_every_garment_of_a_split_with_its_mask():
    train, test = load("viton-hd", labels=LABELS["viton-hd"]), load("viton-hd", "test", labels=LABELS["viton-hd"])
    assert [g.image_path.name for g in train] == ["00000_00.jpg", "00001_00.jpg"]
    assert [g.image_path.name for g in test] == ["00002_00.jpg", "00003_00.jpg"]
    check_masks(train + test)
    assert {g.family for g in train + test} == {"upper"} and {g.source for g in train} == {"viton-hd"}
    assert callable(train[0].mask)  # masks load lazily
    # the mask is the cloth-mask file: the red shirt's pixels, not the white backdrop
    red = train[0].load_image()[train[0].load_mask()].mean(axis=0)
    assert red[0] > 150 and red[1] < 90


def test_viton_hd_frames_come_from_the_labels_file():
    first, second = load("viton-hd", labels=LABELS["viton-hd"])
    assert said(first) == {"category": "tshirt", "color": "red", "sleeve": "short", "neckline": "round"}
    assert said(second) == {}  # not in the labels file, and no parse: nothing said


def test_parse_reads_the_product_text_when_there_are_no_labels():
    texts = []

    def parse(text: str) -> dict:
        texts.append(text)
        return {"intent": "new", "category": "tshirt", "color": "blue" if "blue" in text else "red", "size": "m"}

    garments = load("viton-hd", parse=parse)
    assert texts == ["red t-shirt, short sleeves, round neck", "blue cotton t-shirt, short sleeves, crew neck"]
    assert [g.caption for g in garments] == texts
    assert [said(g) for g in garments] == [{"category": "tshirt", "color": "red"},
                                           {"category": "tshirt", "color": "blue"}]


def test_labels_override_parse_and_parse_fills_the_rest():
    calls = []

    def parse(text: str) -> dict:
        calls.append(text)
        return {"color": "navy", "pattern": "striped"}

    labelled, parsed = load("viton-hd", labels=LABELS["viton-hd"], parse=parse)
    assert said(labelled)["color"] == "red" and "pattern" not in said(labelled)
    assert said(parsed) == {"color": "navy", "pattern": "striped"}
    assert len(calls) == 1  # only the garment without a label was parsed


def test_neither_labels_nor_parse_is_a_clear_error():
    message = one_line_error("labels=FILE", load_real, "viton-hd", DATA / "viton-hd")
    assert "parse=" in message and "viton-hd has no attribute annotations" in message


def test_a_parse_that_returns_a_value_outside_the_taxonomy_is_named():
    one_line_error(r"parse\(\) on the text of 00000_00.jpg", load, "viton-hd", parse=lambda text: {"color": "puce"})


def test_a_malformed_labels_row_names_its_file_and_line(tmp_path):
    bad = tmp_path / "labels.jsonl"
    bad.write_text('{"image": "00000_00.jpg", "frame": {"color": "red"}}\n{"image": "00001_00.jpg"}\n')
    one_line_error(r"labels.jsonl:2: not a label row", load_real, "viton-hd", DATA / "viton-hd", labels=bad)


# ---- Dress Code ---------------------------------------------------------------------------------------------------


def test_dresscode_family_by_folder_and_masks_cut_from_the_backdrop():
    train = load("dresscode", labels=LABELS["dresscode"])
    assert [(g.image_path.parent.parent.name, g.image_path.name, g.family) for g in train] == [
        ("upper_body", "000000_1.jpg", "upper"), ("lower_body", "013563_1.jpg", "lower"),
        ("dresses", "020714_1.jpg", "full")]
    check_masks(train)
    for g in train:
        mask = g.load_mask()
        assert not mask[0].any() and not mask[-1, :4].any()  # white backdrop
    assert train[0].load_mask()[25, 18] and train[2].load_mask()[25, 18]  # a white print inside stays garment
    assert not train[1].load_mask()[30, 18]  # the backdrop between the trouser legs is background


def test_dresscode_test_split_reads_test_pairs_paired():
    with pytest.warns(UserWarning, match="no row of the labels file"):  # the labels name train garments only
        test = load("dresscode", "test", labels=LABELS["dresscode"])
    assert [g.image_path.name for g in test] == ["000001_1.jpg", "013564_1.jpg", "020715_1.jpg"]


def test_dresscode_labels_override_what_the_folder_says_and_fit_the_family():
    upper, lower, dress = load("dresscode", labels=LABELS["dresscode"])
    assert said(upper) == {"category": "tshirt", "color": "orange"}
    assert said(lower) == {"category": "trousers", "color": "navy"}  # the label's sleeve cannot be a lower garment's
    assert said(dress) == {"category": "dress", "color": "red", "sleeve": "long", "length": "long"}


def test_dresscode_reads_a_root_pairs_file_when_a_category_has_none(tmp_path):
    root = shutil.copytree(DATA / "dresscode", tmp_path / "dresscode")
    lines = [(root / c / "train_pairs.txt").read_text() for c in ("upper_body", "lower_body", "dresses")]
    for c in ("upper_body", "lower_body", "dresses"):
        (root / c / "train_pairs.txt").unlink()
    (root / "train_pairs.txt").write_text("".join(lines))
    garments = list(load_real("dresscode", root, labels=LABELS["dresscode"]))
    assert [g.image_path.name for g in garments] == ["000000_1.jpg", "013563_1.jpg", "020714_1.jpg"]


def test_dresscode_without_a_category_folder_warns_and_reads_the_rest(tmp_path):
    root = shutil.copytree(DATA / "dresscode", tmp_path / "dresscode")
    shutil.rmtree(root / "lower_body")
    with pytest.warns(UserWarning, match="no lower_body"):
        garments = list(load_real("dresscode", root, labels=LABELS["dresscode"]))
    assert [g.family for g in garments] == ["upper", "full"]


# ---- DeepFashion-MultiModal -----------------------------------------------------------------------------------------


def test_deepfashion_yields_one_garment_per_parsed_region_and_skips_unparsed_images():
    garments = load("deepfashion-mm", "all")
    names = [(g.image_path.name.split("-id_")[0], g.family) for g in garments]
    assert names == [("MEN-Denim", "upper"), ("MEN-Denim", "lower"), ("WOMEN-Dresses", "upper"),
                     ("WOMEN-Dresses", "full"), ("WOMEN-Shorts", "upper"), ("WOMEN-Shorts", "lower")]
    check_masks(garments)  # MEN-Tees_Tanks has no segm/ parsing, so no garment
    top, pants = garments[:2]
    assert not (top.load_mask() & pants.load_mask()).any()


def test_deepfashion_attributes_are_mapped_as_documented():
    frames = [said(g) for g in load("deepfashion-mm", "all")]
    assert frames == [
        {"sleeve": "short", "neckline": "round", "material": "cotton", "pattern": "solid"},  # top
        {"category": "trousers", "length": "long", "material": "denim", "pattern": "solid"},  # long pants
        # a cardigan worn over a dress: the outer is a sweater and shows the sleeve and neckline
        {"category": "sweater", "sleeve": "long", "neckline": "v_neck", "material": "knit", "pattern": "striped"},
        {"category": "dress", "length": "knee", "material": "chiffon", "pattern": "floral"},
        # standing neckline, furry and "other" fabric: no clear value, so null
        {"sleeve": "sleeveless", "pattern": "plaid"},
        {"category": "shorts", "length": "short", "pattern": "color_block"},  # three-point pants
    ]


def test_deepfashion_mapping_tables_hold_taxonomy_values_only():
    from models.schema import VALUES

    for table, slot in ((SLEEVE, "sleeve"), (LOWER_LENGTH, "length"), (NECKLINE, "neckline"), (FABRIC, "material"),
                        (PATTERN, "pattern")):
        assert set(table.values()) <= set(VALUES[slot])
    assert 3 not in NECKLINE and 3 not in FABRIC and 5 not in PATTERN  # standing, furry, other: unmapped


def test_deepfashion_captions_are_read_for_every_garment_of_an_image():
    garments = load("deepfashion-mm", "all")
    assert garments[0].caption.startswith("The man wears a short-sleeve T-shirt")
    assert garments[0].caption == garments[1].caption
    assert garments[3].caption.startswith("The lady wears a long-sleeve chiffon dress")


def test_deepfashion_split_is_by_product_and_covers_everything():
    train, test = load("deepfashion-mm", "train"), load("deepfashion-mm", "test")
    every = load("deepfashion-mm", "all")
    key = [(g.image_path.name, g.family) for g in every]
    assert sorted(key) == sorted((g.image_path.name, g.family) for g in train + test)
    assert not {g.image_path.name for g in train} & {g.image_path.name for g in test}


def test_deepfashion_reads_textual_descriptions_json_too(tmp_path):
    root = shutil.copytree(DATA / "deepfashion-mm", tmp_path / "dfmm")
    (root / "captions.json").rename(root / "textual_descriptions.json")
    assert load_real("deepfashion-mm", root, "all").__next__().caption.startswith("The man wears")


def test_deepfashion_refuses_labels_and_parse():
    one_line_error("own annotation files", load_real, "deepfashion-mm", DATA / "deepfashion-mm",
                   labels=LABELS["viton-hd"])


def test_deepfashion_malformed_annotation_line_is_named(tmp_path):
    root = shutil.copytree(DATA / "deepfashion-mm", tmp_path / "dfmm")
    with (root / "labels" / "texture" / "fabric_ann.txt").open("a") as f:
        f.write("WOMEN-Skirts-id_00000009-01_1_front.jpg 1 2\n")
    one_line_error(r"fabric_ann.txt:5: expected '<image> ' and 3 integer codes", load_real, "deepfashion-mm", root)


# ---- the table, errors --------------------------------------------------------------------------------------------


def test_unknown_dataset_lists_the_valid_names():
    message = one_line_error("unknown real dataset 'viton'", load_real, "viton", DATA)
    assert all(name in message for name in ADAPTERS)


def test_missing_root_says_where_it_looked(tmp_path):
    one_line_error(f"no dataset folder at {tmp_path / 'nowhere'}", load_real, "dresscode", tmp_path / "nowhere",
                   labels=LABELS["dresscode"])


@pytest.mark.parametrize(("name", "remove", "missing"), [
    ("viton-hd", "train/cloth-mask", "train/cloth-mask/ is missing"),
    ("dresscode", "dresses/images", "dresses/images/ is missing"),
    ("deepfashion-mm", "segm", "segm/ is missing"),
    ("deepfashion-mm", "labels/texture/pattern_ann.txt", "labels/texture/pattern_ann.txt is missing"),
])
def test_missing_subfolder_names_it_and_the_layout(tmp_path, name, remove, missing):
    root = shutil.copytree(DATA / name, tmp_path / name)
    target = root / remove
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    labels = LABELS.get(name)
    message = one_line_error(missing, load_real, name, root, "train", labels=labels)
    assert "expected" in message


def test_dresscode_root_without_any_category_lists_them(tmp_path):
    one_line_error("none of upper_body/, lower_body/, dresses/", load_real, "dresscode", tmp_path,
                   labels=LABELS["dresscode"])


def test_unknown_split_lists_the_splits():
    one_line_error("unknown split 'val'; the splits are: train, test$", load_real, "viton-hd", DATA / "viton-hd",
                   "val", labels=LABELS["viton-hd"])


def test_labels_that_match_no_image_are_warned_about(tmp_path):
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({"image": "nope.jpg", "frame": {"color": "red"}}) + "\n")
    with pytest.warns(UserWarning, match="no row of the labels file"):
        load("viton-hd", labels=labels)


# ---- to_sprite ----------------------------------------------------------------------------------------------------


def test_to_sprite_puts_the_masked_garment_on_the_sprite_canvas():
    for garment in load("viton-hd", labels=LABELS["viton-hd"]) + load("deepfashion-mm", "all"):
        sprite = to_sprite(garment)
        assert sprite.shape == (128, 96, 4) and sprite.dtype == np.uint8
        alpha = sprite[..., 3]
        assert (alpha == 255).any() and (alpha == 0).any()
        assert not sprite[alpha == 0, :3].any()  # no backdrop colour where there is no garment


def test_to_sprite_alpha_is_the_mask_scaled_to_fit_keeping_aspect():
    image = np.full((40, 60, 3), 255, np.uint8)
    image[10:30, 20:30] = (200, 30, 40)  # a 20 x 10 red block on white: twice as tall as wide
    mask = np.zeros((40, 60), bool)
    mask[10:30, 20:30] = True
    sprite = _sprite_of(image, mask)
    rows, cols = np.nonzero(sprite[..., 3] > 127)
    height, width = rows.max() + 1 - rows.min(), cols.max() + 1 - cols.min()
    assert height == round(128 * 0.92) and abs(height / width - 2) < 0.05  # fills the height, aspect kept
    assert abs((rows.min() + rows.max()) / 2 - 63.5) <= 1 and abs((cols.min() + cols.max()) / 2 - 47.5) <= 1
    assert (sprite[sprite[..., 3] == 255, :3] == (200, 30, 40)).all()


def _sprite_of(image: np.ndarray, mask: np.ndarray, size: tuple[int, int] = (128, 96)) -> np.ndarray:
    class InMemory(RealGarment):
        def load_image(self) -> np.ndarray:
            return image

    return to_sprite(InMemory(Path("in-memory.png"), mask, "upper", {}, None, "test"), size)


def test_to_sprite_takes_another_canvas_size_and_a_lazy_mask():
    garment = load("viton-hd", labels=LABELS["viton-hd"])[0]
    assert to_sprite(garment, size=(64, 48)).shape == (64, 48, 4)


def test_to_sprite_refuses_an_empty_mask():
    one_line_error("garment mask is empty", _sprite_of, np.zeros((8, 6, 3), np.uint8), np.zeros((8, 6), bool))
