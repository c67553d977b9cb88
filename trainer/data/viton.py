"""VITON-HD (Choi et al., CVPR 2021; github.com/shadow2496/VITON-HD) as real garments: its in-shop garment images
with their masks, all upper-body, used unpaired.

Public layout, per split (1024x768 images):

    ROOT/train_pairs.txt, ROOT/test_pairs.txt     "<person>.jpg <garment>.jpg" a line
    ROOT/{train,test}/cloth/00000_00.jpg          the garment on a plain backdrop
    ROOT/{train,test}/cloth-mask/00000_00.jpg     its mask, white on black (a JPEG; a .png is read too)
    ROOT/{train,test}/image/, image-parse-v3/, openpose_json/, agnostic-v3.2/, ...   the person side, not read

The garments are the files of cloth/, each once (the pairs files say who wears what, which unpaired training
does not need). VITON-HD has no attributes: a frame comes from the labels file, else from parse() over the
garment's product text in ROOT/captions.json when that file is there ({"00000": ["phrase", ...]}, the captions
the multimodal-garment-designer project publishes for VITON-HD); the text is also the garment's caption.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

from trainer.data.real_common import (
    IMAGE_SUFFIXES,
    Attributes,
    Parse,
    RealDataError,
    RealGarment,
    check_split,
    file_mask,
    list_images,
    open_attributes,
    require_path,
    require_root,
    warn_unmatched_labels,
)

NAME = "viton-hd"
SPLITS = ("train", "test")
LAYOUT = "{train,test}/cloth/*.jpg and {train,test}/cloth-mask/*.jpg (with train_pairs.txt, test_pairs.txt)"
TEXT_FILES = ("captions.json",)


def viton_hd(root: str | Path, split: str = "train", labels: str | Path | None = None,
             parse: Parse | None = None) -> Iterator[RealGarment]:
    """The garments of one VITON-HD split; the layout and attributes are checked now, images read as you iterate."""
    root = require_root(root, NAME, LAYOUT)
    check_split(NAME, split, SPLITS)
    cloth = require_path(root / split / "cloth", root, NAME, LAYOUT)
    masks = require_path(root / split / "cloth-mask", root, NAME, LAYOUT)
    attributes = open_attributes(NAME, root, labels, parse, TEXT_FILES)
    return _walk(cloth, masks, attributes)


def _mask_path(masks: Path, image: Path) -> Path:
    for suffix in IMAGE_SUFFIXES:
        if (path := masks.joinpath(image.stem + suffix)).is_file():
            return path
    raise RealDataError(f"{NAME}: {image.name} has no mask in {masks} (looked for {image.stem}.jpg or .png); "
                        "cloth/ and cloth-mask/ must hold the same names")


def _walk(cloth: Path, masks: Path, attributes: Attributes) -> Iterator[RealGarment]:
    seen = set()
    for image in list_images(cloth):
        seen.add(image.name)
        yield RealGarment(image_path=image, mask=partial(file_mask, _mask_path(masks, image)), family="upper",
                          frame=attributes.frame(image.name, "upper"), caption=attributes.text(image.name),
                          source=NAME)
    warn_unmatched_labels(NAME, attributes, seen)
