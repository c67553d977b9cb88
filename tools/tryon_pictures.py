"""Before/after pictures of the try-on, one per garment family, for docs/ and the README.

    .venv/bin/python tools/tryon_pictures.py [-o docs/tryon_before_after.png] [--backend tflite] [--precision int8]

Runs the shipped bundle on scikit-image's photos of real people, as `drape tryon` does.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from edge_app.tryon import build_tryon
from tools.sample_clip import photos

SHOTS = (  # (photo, sentence, family)
    ("astronaut", "a red and white striped shirt with long sleeves", "upper"),
    ("astronaut", "a navy polka-dot dress", "full"),
    ("camera", "light blue jeans", "lower"),
)


def before_after(backend: str = "tflite", precision: str = "int8") -> Image.Image:
    """Rows of (before | after) at 320 px high, each captioned with its sentence."""
    pictures, rows = photos(), []
    for name, sentence, family in SHOTS:
        tryon = build_tryon(backend=backend, precision=precision, video=False)
        note = tryon.say(sentence)
        after, reason = tryon.render(pictures[name])
        tryon.tracker.close()
        pair = Image.fromarray(np.concatenate([pictures[name], after], axis=1)).resize((640, 320))
        caption = f"{family}: \"{sentence}\" -> {reason or note}"
        canvas = Image.new("RGB", (640, 344), "white")
        canvas.paste(pair, (0, 24))
        ImageDraw.Draw(canvas).text((6, 5), caption, fill="black")
        rows.append(canvas)
    sheet = Image.new("RGB", (640, 344 * len(rows)), "white")
    for i, row in enumerate(rows):
        sheet.paste(row, (0, 344 * i))
    return sheet


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("-o", "--output", type=Path, default=Path("docs/tryon_before_after.png"))
    args.add_argument("--backend", default="tflite", choices=("onnx", "tflite"),
                      help="TFLite by default: its int8 generator keeps the colours, ONNX's static int8 does not yet")
    args.add_argument("--precision", default="int8", choices=("int8", "fp32"))
    opts = args.parse_args(argv)
    before_after(opts.backend, opts.precision).save(opts.output)
    print(f"wrote {opts.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
