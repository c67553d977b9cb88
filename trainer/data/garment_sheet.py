"""Contact sheets of rendered garments: sprites on a light checkerboard, each labelled, to look at the renderer.

    python -m trainer.data.garment_sheet [OUT.png]   # default docs/garments_contact_sheet.png
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from edge_app.garments import complete_garment
from models.schema import VALUES, garment_templates
from trainer.data.garments import DEFAULT_SIZE, Render, render_garment

LABEL_H = 34  # pixels of label strip under a 192-wide sprite; scales with the width
CHECK = 12  # checkerboard square, pixels


def garment_label(garment: dict) -> list[str]:
    """Three short lines naming a garment: category and colours, pattern and material, the cut."""
    colours = garment["color"] + (f"+{garment['secondary_color']}" if garment["secondary_color"] else "")
    cut = [garment[k] for k in ("sleeve", "neckline", "length", "fit") if garment[k]]
    return [f"{garment['category']} {colours}", f"{garment['pattern']} {garment['material']}", " ".join(cut)]


def _checkerboard(h: int, w: int) -> np.ndarray:
    ys, xs = np.mgrid[0:h, 0:w]
    light = ((ys // CHECK + xs // CHECK) % 2 == 0)
    return np.where(light[..., None], 250, 226).astype(np.float32) * np.ones(3, np.float32)


def _cell(render: Render, label: list[str]) -> np.ndarray:
    h, w = render.rgba.shape[:2]
    alpha = render.rgba[..., 3:].astype(np.float32) / 255
    sprite = render.rgba[..., :3] * alpha + _checkerboard(h, w) * (1 - alpha)
    k = w / 192
    strip = np.full((round(LABEL_H * k), w, 3), 255, np.float32)
    for i, line in enumerate(label[:3]):
        cv2.putText(strip, line, (round(3 * k), round((10 + 11 * i) * k)), cv2.FONT_HERSHEY_SIMPLEX, 0.33 * k,
                    (40, 40, 40), max(1, round(k * 0.8)), cv2.LINE_AA)
    return np.vstack([sprite, strip])


def contact_sheet(renders: list[Render], columns: int, labels: list[list[str] | str] | None = None) -> np.ndarray:
    """Sprites in a grid of `columns`, composited over a light checkerboard, a label under each: RGB uint8."""
    if not renders:
        raise ValueError("contact_sheet needs at least one render")
    labels = labels or [[] for _ in renders]
    cells = [_cell(r, [lab] if isinstance(lab, str) else lab) for r, lab in zip(renders, labels, strict=True)]
    blank = np.full_like(cells[0], 255)
    cells += [blank] * (-len(cells) % columns)
    rows = [np.hstack(cells[i:i + columns]) for i in range(0, len(cells), columns)]
    sheet = np.vstack(rows)
    grid = sheet.copy()
    ch, cw = cells[0].shape[:2]
    grid[::ch] = 200  # thin rules between cells
    grid[:, ::cw] = 200
    return np.round(grid).astype(np.uint8)


def sheet_garments(n: int = 48, seed: int = 0) -> list[dict]:
    """n garments cycling through every category, pattern and material, with random cuts and colours."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        frame = {"category": VALUES["category"][i % 13], "pattern": VALUES["pattern"][i % 7],
                 "material": VALUES["material"][i % 8], "color": rnd.choice(VALUES["color"])}
        frame["secondary_color"] = rnd.choice([c for c in VALUES["color"] if c != frame["color"]])
        for slot in ("sleeve", "neckline", "length", "fit"):
            if rnd.random() < 0.6:
                frame[slot] = rnd.choice(VALUES[slot])
        out.append(complete_garment(frame, garment_templates())[0])
    return out


def write_contact_sheet(path: str | Path, n: int = 48, columns: int = 8, seed: int = 0,
                        size: tuple[int, int] = DEFAULT_SIZE) -> Path:
    garments = sheet_garments(n, seed)
    renders = [render_garment(g, seed * 1000 + i, size) for i, g in enumerate(garments)]
    sheet = contact_sheet(renders, columns, [garment_label(g) for g in garments])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(sheet, "RGB").save(path, optimize=True)
    return path


if __name__ == "__main__":
    print(write_contact_sheet(sys.argv[1] if len(sys.argv) > 1 else "docs/garments_contact_sheet.png"))
