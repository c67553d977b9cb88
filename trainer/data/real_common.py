"""What the real-dataset adapters share: the `RealGarment` record, one-line layout errors, attribute frames from a
labels file or a parser over product text, and garment masks read from a file or cut from a plain background.

Frames here hold the garment slots of the taxonomy (`GARMENT_SLOTS`: category ... fit), each a value or None;
an attribute that the garment's family cannot show (a skirt's sleeve) is dropped, as `APPLIES_TO` says.
numpy, Pillow and OpenCV only: no torch.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from edge_app.errors import DrapeError
from models.schema import APPLIES_TO, GARMENT_SLOTS, Frame, FrameError

Parse = Callable[[str], dict]
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
# Max per-channel distance from the border colour that still counts as background; in-shop photos sit on near-white
# with JPEG noise of a few levels, and a garment as pale as its backdrop is lost either way.
BACKGROUND_TOLERANCE = 24
LABEL_ROW = '{"image": "NAME.jpg", "frame": {"category": ..., "color": ...}}'


class RealDataError(DrapeError, ValueError):
    """A real dataset, labels file or parse output that is not as its adapter expects; the message says what to do."""


def read_lines(path: Path, what: str = "", expected: str = "") -> list[str]:
    """A UTF-8 text file's lines; unreadable, one RealDataError line: "cannot read <what><path>: why<expected>"."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise RealDataError(f"cannot read {what}{path}: {err}{expected}") from None


@dataclass(frozen=True, eq=False)
class RealGarment:
    """One garment image of a real dataset, ready to become an (unpaired) sprite for the discriminator."""

    image_path: Path
    mask: np.ndarray | Callable[[], np.ndarray]  # (H, W) bool, or a function that loads it (masks are big)
    family: str  # "upper" | "lower" | "full"
    frame: dict[str, str | None]  # GARMENT_SLOTS -> value or None
    caption: str | None
    source: str  # the adapter's name, e.g. "dresscode"

    def load_mask(self) -> np.ndarray:
        return np.asarray(self.mask() if callable(self.mask) else self.mask, dtype=bool)

    def load_image(self) -> np.ndarray:
        return read_rgb(self.image_path)


# ---- layout checks ------------------------------------------------------------------------------------------------


def require_root(root: str | Path, name: str, layout: str) -> Path:
    root = Path(root)
    if not root.is_dir():
        raise RealDataError(f"{name}: no dataset folder at {root}; point root at the folder that holds {layout}")
    return root


def require_path(path: Path, root: Path, name: str, layout: str) -> Path:
    if not path.exists():
        missing = path.relative_to(root).as_posix() + ("/" if not path.suffix else "")
        raise RealDataError(f"{name}: {missing} is missing under {root}; expected {layout}")
    return path


def check_split(name: str, split: str, splits: tuple[str, ...]) -> None:
    if split not in splits:
        raise RealDataError(f"{name}: unknown split {split!r}; the splits are: {', '.join(splits)}")


def list_images(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())


def read_pairs(path: Path) -> list[list[str]]:
    """The rows of a try-on pairs file, "<person image> <garment image> [...]" a line."""
    lines = read_lines(path, "pairs file ")
    rows = [line.split() for line in lines if line.strip()]
    for n, row in enumerate(rows, 1):
        if len(row) < 2:
            raise RealDataError(f"{path}: row {n} is {' '.join(row)!r}; expected '<person>.jpg <garment>.jpg'")
    return rows


# ---- images and masks ---------------------------------------------------------------------------------------------


def read_rgb(path: Path) -> np.ndarray:
    """(H, W, 3) uint8."""
    try:
        with Image.open(path) as im:
            return np.asarray(im.convert("RGB"))
    except OSError as err:
        raise RealDataError(f"cannot read image {path}: {err}") from None


def file_mask(path: Path) -> np.ndarray:
    """A mask image (white garment on black; JPEG masks carry ringing, hence the 128 threshold) as (H, W) bool."""
    try:
        with Image.open(path) as im:
            return np.asarray(im.convert("L")) >= 128
    except OSError as err:
        raise RealDataError(f"cannot read mask {path}: {err}") from None


def background_mask(rgb: np.ndarray, tolerance: int = BACKGROUND_TOLERANCE) -> np.ndarray:
    """The garment of an in-shop photo on a plain backdrop, as (H, W) bool.

    The backdrop colour is the median of the border pixels; background is every pixel within `tolerance` of it
    that is connected to the border, so a white print inside the garment stays garment; specks thinner than
    3 pixels are dropped.
    """
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]).astype(np.int16)
    backdrop = np.median(border, axis=0)
    near = (np.abs(rgb.astype(np.int16) - backdrop).max(axis=2) <= tolerance).astype(np.uint8)
    _, labels = cv2.connectedComponents(near, connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    garment = (~np.isin(labels, edge[edge > 0])).astype(np.uint8)  # label 0 is the pixels unlike the backdrop
    return cv2.morphologyEx(garment, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0  # drop JPEG-ringing specks


def derived_mask(path: Path) -> np.ndarray:
    return background_mask(read_rgb(path))


# ---- attributes ---------------------------------------------------------------------------------------------------


def checked_frame(data: object) -> dict[str, str | None]:
    """A frame-like dict (any of the eleven keys) validated against the taxonomy, cut to the garment slots."""
    if not isinstance(data, dict):
        raise TypeError(f"a frame is a JSON object, got {type(data).__name__}")
    frame = Frame.from_dict(data).to_dict()
    return {slot: frame[slot] for slot in GARMENT_SLOTS}


def frame_for(family: str, *layers: Mapping[str, str | None] | None) -> dict[str, str | None]:
    """GARMENT_SLOTS from the layers, a later layer's non-null value winning; slots the family cannot show dropped."""
    frame: dict[str, str | None] = dict.fromkeys(GARMENT_SLOTS)
    for layer in layers:
        frame.update({k: v for k, v in (layer or {}).items() if v is not None and k in frame})
    for slot, families in APPLIES_TO.items():
        if family not in families:
            frame[slot] = None
    return frame


def read_labels(path: str | Path) -> dict[str, dict[str, str | None]]:
    """A labels file, JSON Lines of {"image": file name, "frame": {...}}, as {file name: garment frame}."""
    path = Path(path)
    lines = read_lines(path, "labels file ", f"; expected JSON Lines of {LABEL_ROW}")
    labels = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            labels[Path(str(row["image"])).name] = checked_frame(row["frame"])
        except (json.JSONDecodeError, KeyError, TypeError, FrameError) as err:
            raise RealDataError(f"{path}:{n}: not a label row ({err}); expected {LABEL_ROW}") from None
    return labels


def read_product_texts(root: Path, names: Iterable[str]) -> dict[str, str]:
    """{garment id: text} from the JSON files in `names` that exist under root ({id: "text" or ["phrase", ...]})."""
    texts: dict[str, str] = {}
    for name in names:
        path = root / name
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise RealDataError(f"cannot read product text {path}: {err}") from None
        if not isinstance(data, dict):
            raise RealDataError(f"{path}: expected a JSON object {{garment id: text or [phrases]}}")
        for key, value in data.items():
            texts.setdefault(str(key), value if isinstance(value, str) else ", ".join(map(str, value)))
    return texts


def garment_id(file_name: str) -> str:
    """"00000_00.jpg" (VITON-HD) and "048392_1.jpg" (DressCode) are garments "00000" and "048392"."""
    return Path(file_name).stem.split("_")[0]


@dataclass(frozen=True)
class Attributes:
    """Where a dataset without attribute annotations gets frames: the labels file first, else parse(product text)."""

    labels: dict[str, dict[str, str | None]]
    parse: Parse | None
    texts: dict[str, str]

    def text(self, file_name: str) -> str | None:
        return self.texts.get(garment_id(file_name))

    def frame(self, file_name: str, family: str, base: Mapping[str, str | None] | None = None) -> dict:
        if file_name in self.labels:
            return frame_for(family, base, self.labels[file_name])
        text = self.text(file_name)
        if self.parse is None or text is None:
            return frame_for(family, base)
        try:
            parsed = checked_frame(self.parse(text))
        except (TypeError, FrameError) as err:
            raise RealDataError(f"parse() on the text of {file_name} gave no valid frame ({err})") from None
        return frame_for(family, base, parsed)


def open_attributes(name: str, root: Path, labels: str | Path | None, parse: Parse | None,
                    text_files: tuple[str, ...]) -> Attributes:
    if labels is None and parse is None:
        raise RealDataError(f"{name} has no attribute annotations: pass labels=FILE (JSON Lines of {LABEL_ROW}) "
                            "or parse=a callable text -> frame (e.g. the parser teacher) to read its product text")
    texts = read_product_texts(root, text_files) if parse is not None else {}
    if parse is not None and labels is None and not texts:
        warnings.warn(f"{name}: parse was given but {root} has no product text ({' or '.join(text_files)}), "
                      "so frames hold only what the folders say; pass labels=FILE for attributes", stacklevel=3)
    return Attributes(read_labels(labels) if labels is not None else {}, parse, texts)


def warn_unmatched_labels(name: str, attributes: Attributes, seen: set[str]) -> None:
    if attributes.labels and seen and not seen & attributes.labels.keys():
        warnings.warn(f"{name}: no row of the labels file names an image of this split; the \"image\" of a row "
                      "is a garment image's file name, e.g. 00000_00.jpg", stacklevel=2)
