"""DeepFashion-MultiModal (Jiang et al., SIGGRAPH 2022, Text2Human; github.com/yumingj/DeepFashion-MultiModal) as
real garments: each clothing region of a parsed person image, with attributes mapped from its manual annotations.

Public layout (750x1101 images):

    ROOT/images/MEN-Denim-id_00000080-01_7_additional.jpg          44,096 person images
    ROOT/segm/MEN-Denim-id_00000080-01_7_additional_segm.png       class-index parsing, for 12,701 of them
    ROOT/labels/shape/shape_anno_all.txt     "<image> <shape_0> ... <shape_11>"
    ROOT/labels/texture/fabric_ann.txt       "<image> <upper> <lower> <outer>"
    ROOT/labels/texture/pattern_ann.txt      "<image> <upper> <lower> <outer>"  (the README calls it "color")
    ROOT/captions.json or textual_descriptions.json                  {"<image>": "caption"}
    ROOT/densepose/*_densepose.png, ROOT/keypoints/keypoints_{loc,vis}.txt     not read here

Only parsed images give garments (segm/ is the only garment mask): one per region of REGIONS covering at least
MIN_REGION of the image. The caption describes the whole outfit and goes with every garment of its image. The raw
release has no split: "train"/"test" is a fixed 90/10 split by product (every view of a product on one side), and
"all" is everything. Attributes come only from the annotations here, so labels= and parse= are refused.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from PIL import Image

from trainer.data.real_common import (
    Parse,
    RealDataError,
    RealGarment,
    check_split,
    frame_for,
    list_images,
    read_lines,
    require_path,
    require_root,
)

NAME = "deepfashion-mm"
SPLITS = ("train", "test", "all")
TEST_BUCKETS = 1  # of 10, by a CRC32 of the product id
LAYOUT = ("images/*.jpg, segm/*_segm.png, labels/shape/shape_anno_all.txt, labels/texture/fabric_ann.txt, "
          "labels/texture/pattern_ann.txt and captions.json (or textual_descriptions.json)")
ANNOTATIONS = {"shape": ("labels/shape/shape_anno_all.txt", 12), "fabric": ("labels/texture/fabric_ann.txt", 3),
               "pattern": ("labels/texture/pattern_ann.txt", 3)}
CAPTION_FILES = ("captions.json", "textual_descriptions.json")
MIN_REGION = 0.005  # of the image's pixels: less than this is a sliver (a collar behind hair), not a garment

# ---- the mappings: annotation code -> taxonomy value; a code not listed becomes null -------------------------------
# shape_0 sleeve length: 0 sleeveless, 1 short-sleeve, 2 medium-sleeve, 3 long-sleeve | 4 not long-sleeve, 5 NA
SLEEVE = {0: "sleeveless", 1: "short", 2: "medium", 3: "long"}
# shape_1 lower clothing length: 0 three-point (三分, upper thigh), 1 medium short (五分, to the knee),
# 2 three-quarter (七分, TAXONOMY's midi for cropped trousers), 3 long | 4 NA
LOWER_LENGTH = {0: "short", 1: "knee", 2: "midi", 3: "long"}
# shape_9 neckline: 0 V-shape, 1 square, 2 round, 4 lapel (a collar) | 3 standing (stand collar or high neck:
# no one value), 5 suspenders (straps: no neckline), 6 NA. Codes as the current README numbers them.
NECKLINE = {0: "v_neck", 1: "square", 2: "round", 4: "collared"}
# shape_10 "outer clothing a cardigan?": 0 yes (TAXONOMY: a cardigan is a sweater) | 1 no, 2 NA
OUTER_IS_CARDIGAN = 0
# fabric: 0 denim, 1 cotton, 2 leather, 4 knitted, 5 chiffon | 3 furry, 6 other, 7 NA
FABRIC = {0: "denim", 1: "cotton", 2: "leather", 4: "knit", 5: "chiffon"}
# pattern ("color"): 0 floral, 1 graphic, 2 striped, 3 pure color, 4 lattice, 6 color block | 5 other, 7 NA
PATTERN = {0: "floral", 1: "graphic", 2: "striped", 3: "solid", 4: "plaid", 6: "color_block"}
# Pants are shorts or trousers by their length.
PANTS_BY_LENGTH = {"short": "shorts", "knee": "shorts", "midi": "trousers", "long": "trousers"}
# No colour is annotated (the "color" file holds patterns), so `color` and `secondary_color` stay null, as do
# `fit` and the category of tops and non-cardigan outers (the annotations do not say shirt, tee or jacket).

UPPER, LOWER, OUTER = 0, 1, 2  # columns of fabric_ann / pattern_ann


def _no_category(shape: tuple[int, ...] | None) -> None:
    return None


def _outer_category(shape: tuple[int, ...] | None) -> str | None:
    return "sweater" if shape and shape[10] == OUTER_IS_CARDIGAN else None


def _pants_category(shape: tuple[int, ...] | None) -> str | None:
    return PANTS_BY_LENGTH.get(LOWER_LENGTH.get(shape[1])) if shape else None


@dataclass(frozen=True)
class Region:
    """A clothing class of the parsing, the garment it is, and which texture column describes it."""

    segm_class: int
    family: str
    texture: int
    category: Callable[[tuple[int, ...] | None], str | None]


# Parsing classes: 1 top, 2 outer, 3 skirt, 4 dress, 5 pants, 21 rompers (6 leggings and the rest are not garments
# of the taxonomy). Dresses take the upper texture and rompers the lower, as Text2Human's own loader does.
REGIONS: dict[str, Region] = {
    "top": Region(1, "upper", UPPER, _no_category),
    "outer": Region(2, "upper", OUTER, _outer_category),
    "dress": Region(4, "full", UPPER, lambda shape: "dress"),
    "rompers": Region(21, "full", LOWER, _no_category),
    "skirt": Region(3, "lower", LOWER, lambda shape: "skirt"),
    "pants": Region(5, "lower", LOWER, _pants_category),
}


def deepfashion_mm(root: str | Path, split: str = "train", labels: str | Path | None = None,
                   parse: Parse | None = None) -> Iterator[RealGarment]:
    """The garments of DeepFashion-MultiModal's parsed images; annotations are read now, images as you iterate."""
    if labels is not None or parse is not None:
        raise RealDataError(f"{NAME} takes its attributes from its own annotation files; labels= and parse= are "
                            "for viton-hd and dresscode, so leave them out")
    root = require_root(root, NAME, LAYOUT)
    check_split(NAME, split, SPLITS)
    images = require_path(root / "images", root, NAME, LAYOUT)
    segm = require_path(root / "segm", root, NAME, LAYOUT)
    codes = {key: _read_codes(require_path(root / rel, root, NAME, LAYOUT), width)
             for key, (rel, width) in ANNOTATIONS.items()}
    captions = _read_captions(root)
    chosen = [p for p in list_images(images) if split == "all" or _in_test(p.name) == (split == "test")]
    return _walk(chosen, segm, codes, captions)


def _read_codes(path: Path, width: int) -> dict[str, tuple[int, ...]]:
    lines = read_lines(path)
    codes = {}
    for n, line in enumerate(lines, 1):
        if not (parts := line.split()):
            continue
        try:
            if len(parts) != 1 + width:
                raise ValueError(f"{len(parts) - 1} codes")
            codes[parts[0]] = tuple(int(p) for p in parts[1:])
        except ValueError as err:
            raise RealDataError(f"{path}:{n}: expected '<image> ' and {width} integer codes ({err})") from None
    return codes


def _read_captions(root: Path) -> dict[str, str]:
    path = next((root / name for name in CAPTION_FILES if (root / name).is_file()), None)
    if path is None:
        raise RealDataError(f"{NAME}: neither {' nor '.join(CAPTION_FILES)} is under {root}; expected {LAYOUT}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RealDataError(f"cannot read captions {path}: {err}") from None
    if not isinstance(data, dict):
        raise RealDataError(f"{path}: expected a JSON object {{image name: caption}}")
    return {str(k): str(v) for k, v in data.items()}


def _in_test(image_name: str) -> bool:
    product = m.group(0) if (m := re.match(r".*?id_\d+", image_name)) else Path(image_name).stem
    return zlib.crc32(product.encode()) % 10 < TEST_BUCKETS


def read_segm(path: Path) -> np.ndarray:
    """(H, W) class indices of a parsing PNG."""
    try:
        with Image.open(path) as im:
            segm = np.asarray(im)
    except OSError as err:
        raise RealDataError(f"cannot read parsing {path}: {err}") from None
    if segm.ndim != 2:
        raise RealDataError(f"{path}: a parsing is a one-channel PNG of class indices, got shape {segm.shape}")
    return segm


def _region_mask(path: Path, segm_class: int) -> np.ndarray:
    return read_segm(path) == segm_class


def region_frame(name: str, shape: tuple[int, ...] | None, fabric: tuple[int, ...] | None,
                 pattern: tuple[int, ...] | None, outer_worn: bool) -> dict[str, str | None]:
    """The garment frame of one region of an image, from that image's annotation codes (None: no row)."""
    region = REGIONS[name]
    frame = {"category": region.category(shape)}
    if shape:
        frame["length"] = LOWER_LENGTH.get(shape[1])
        # Sleeve and neckline describe what is seen: an outer layer's, when one is worn over the top or dress.
        if name == "outer" or not outer_worn:
            frame |= {"sleeve": SLEEVE.get(shape[0]), "neckline": NECKLINE.get(shape[9])}
    if fabric:
        frame["material"] = FABRIC.get(fabric[region.texture])
    if pattern:
        frame["pattern"] = PATTERN.get(pattern[region.texture])
    return frame_for(region.family, frame)


def _walk(images: list[Path], segm_dir: Path, codes: dict[str, dict],
          captions: dict[str, str]) -> Iterator[RealGarment]:
    for image in images:
        segm_path = segm_dir / f"{image.stem}_segm.png"
        if not segm_path.is_file():
            continue  # not parsed: no garment mask
        segm = read_segm(segm_path)
        counts = np.bincount(segm.ravel(), minlength=max(r.segm_class for r in REGIONS.values()) + 1)
        worn = [n for n, r in REGIONS.items() if counts[r.segm_class] >= MIN_REGION * segm.size]
        shape, fabric, pattern = (codes[key].get(image.name) for key in ("shape", "fabric", "pattern"))
        caption = captions.get(image.name, captions.get(image.stem))
        for name in worn:
            yield RealGarment(image_path=image, mask=partial(_region_mask, segm_path, REGIONS[name].segm_class),
                              family=REGIONS[name].family,
                              frame=region_frame(name, shape, fabric, pattern, outer_worn="outer" in worn),
                              caption=caption, source=NAME)
