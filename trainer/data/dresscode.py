"""Dress Code (Morelli et al., CVPR-W 2022; github.com/aimagelab/dress-code) as real garments: its in-shop garment
images, one family per category folder, used unpaired.

Public layout (1024x768 images), the same in each category folder:

    ROOT/{upper_body,lower_body,dresses}/images/048392_0.jpg      the model wearing the garment
    ROOT/{upper_body,lower_body,dresses}/images/048392_1.jpg      the in-shop garment: what is read here
    ROOT/{...}/label_maps/048392_4.png, keypoints/048392_2.json, skeletons/048392_5.jpg, dense/048392_5.png
    ROOT/{...}/train_pairs.txt, test_pairs_paired.txt, test_pairs_unpaired.txt   "<model>_0.jpg <garment>_1.jpg"

The garments of a split are the second column of its pairs file (train_pairs.txt; test_pairs_paired.txt for
"test", which lists each test garment once); a category without its own pairs file is read from a pairs file of
that name in ROOT, keeping the garments its images/ holds. A category folder that is absent is skipped, and said.

Dress Code ships no garment masks (its label maps segment the model, not the in-shop image), so the mask is cut
from the garment image: every pixel near the backdrop colour and connected to the border is background (see
`background_mask`). A garment as pale as its backdrop comes out empty or holed. Attributes: the folder says
`dresses` are dresses; the rest comes from the labels file, else from parse() over the garment's product text in
ROOT/fine_captions.json or coarse_captions.json when there ({"048392": ["phrase", ...]}, as the
multimodal-garment-designer project publishes them); the text is also the caption.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from trainer.data.real_common import (
    Attributes,
    Parse,
    RealDataError,
    RealGarment,
    check_split,
    derived_mask,
    open_attributes,
    read_pairs,
    require_path,
    require_root,
    warn_unmatched_labels,
)

NAME = "dresscode"
# category folder -> (family, what the folder itself says about every garment in it)
CATEGORIES: dict[str, tuple[str, dict[str, str]]] = {
    "upper_body": ("upper", {}),
    "lower_body": ("lower", {}),
    "dresses": ("full", {"category": "dress"}),
}
PAIRS_FILES = {"train": "train_pairs.txt", "test": "test_pairs_paired.txt"}
LAYOUT = "{upper_body,lower_body,dresses}/images/*_1.jpg with train_pairs.txt and test_pairs_paired.txt in each"
TEXT_FILES = ("fine_captions.json", "coarse_captions.json")


def dresscode(root: str | Path, split: str = "train", labels: str | Path | None = None,
              parse: Parse | None = None) -> Iterator[RealGarment]:
    """The garments of one Dress Code split; the layout and attributes are checked now, images read as you iterate."""
    root = require_root(root, NAME, LAYOUT)
    check_split(NAME, split, tuple(PAIRS_FILES))
    present = [c for c in CATEGORIES if (root / c).is_dir()]
    if not present:
        raise RealDataError(f"{NAME}: {root} holds none of {', '.join(c + '/' for c in CATEGORIES)}; expected {LAYOUT}")
    if missing := [c for c in CATEGORIES if c not in present]:
        warnings.warn(f"{NAME}: {root} has no {', '.join(missing)}; reading {', '.join(present)} only", stacklevel=2)
    plan = {c: _garment_images(root, c, PAIRS_FILES[split]) for c in present}
    return _walk(plan, open_attributes(NAME, root, labels, parse, TEXT_FILES))


def _garment_images(root: Path, category: str, pairs_name: str) -> list[Path]:
    images = require_path(root / category / "images", root, NAME, LAYOUT)
    if (own := root / category / pairs_name).is_file():
        names = [row[1] for row in read_pairs(own)]
    elif (shared := root / pairs_name).is_file():
        names = [row[1] for row in read_pairs(shared) if (images / row[1]).is_file()]
    else:
        raise RealDataError(f"{NAME}: no {pairs_name} in {root / category} or {root}; expected {LAYOUT}")
    paths = [images / name for name in dict.fromkeys(names)]
    if lost := [p.name for p in paths if not p.is_file()]:
        raise RealDataError(f"{NAME}: {category}/{pairs_name} lists {len(lost)} garment(s) missing from "
                            f"{category}/images/, first {lost[0]}; re-extract the dataset")
    return paths


def _walk(plan: dict[str, list[Path]], attributes: Attributes) -> Iterator[RealGarment]:
    seen = set()
    for category, paths in plan.items():
        family, base = CATEGORIES[category]
        for path in paths:
            seen.add(path.name)
            yield RealGarment(image_path=path, mask=partial(derived_mask, path), family=family,
                              frame=attributes.frame(path.name, family, base), caption=attributes.text(path.name),
                              source=NAME)
    warn_unmatched_labels(NAME, attributes, seen)
