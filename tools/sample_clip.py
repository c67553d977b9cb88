"""A short sample clip of real people, made offline from the photos scikit-image ships in its wheel.

The astronaut (Eileen Collins, waist up) moves across the frame, comes closer and leans; then the cameraman (a
standing man, in profile at his tripod) does the same. Deterministic, so tests and benchmarks see the same frames.

    .venv/bin/python tools/sample_clip.py [-o out/sample_clip.mp4] [--seconds 6] [--size 640x480] [--fps 30]
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

DEFAULT_CLIP = Path("out/sample_clip.mp4")
SHARE = {"astronaut": 0.7, "camera": 0.3}  # of the clip's time, in this order


def photos() -> dict[str, np.ndarray]:
    """The two photos as RGB uint8 (the cameraman is grayscale: his three channels are equal)."""
    import skimage.data

    return {"astronaut": skimage.data.astronaut(), "camera": np.dstack([skimage.data.camera()] * 3)}


def place(photo: np.ndarray, size: tuple[int, int], t: float) -> np.ndarray:
    """The photo in a (height, width) frame at phase t in [0, 1): shifted, scaled and turned around its centre."""
    h, w = size
    base = h / photo.shape[0]
    scale = base * (1.0 + 0.18 * math.sin(2 * math.pi * t))  # comes closer, then steps back
    angle = 7.0 * math.sin(2 * math.pi * 1.5 * t)  # leans left and right, degrees
    shift = (0.12 * w * math.sin(2 * math.pi * t + 0.6), 0.04 * h * math.sin(4 * math.pi * t))
    m = cv2.getRotationMatrix2D((photo.shape[1] / 2, photo.shape[0] / 2), angle, scale)
    m[:, 2] += (w / 2 - photo.shape[1] / 2 + shift[0], h / 2 - photo.shape[0] / 2 + shift[1])
    return cv2.warpAffine(photo, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def sample_frames(seconds: float = 6.0, fps: float = 30.0, size: tuple[int, int] = (480, 640)) -> Iterator[np.ndarray]:
    """Every frame of the clip, RGB uint8 (height, width, 3)."""
    pictures = photos()
    total = max(1, round(seconds * fps))
    start = 0
    for name, share in SHARE.items():
        count = round(total * share) if name != list(SHARE)[-1] else total - start
        for i in range(count):
            yield place(pictures[name], size, i / max(count, 1))
        start += count


def write_clip(path: Path, seconds: float = 6.0, fps: float = 30.0, size: tuple[int, int] = (480, 640)) -> Path:
    from edge_app.media import VideoWriter

    with VideoWriter(path, fps) as writer:
        for frame in sample_frames(seconds, fps, size):
            writer.write(frame)
    return path


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("-o", "--output", type=Path, default=DEFAULT_CLIP)
    args.add_argument("--seconds", type=float, default=6.0)
    args.add_argument("--fps", type=float, default=30.0)
    args.add_argument("--size", default="640x480", help="WIDTHxHEIGHT")
    opts = args.parse_args(argv)
    width, _, height = opts.size.partition("x")
    path = write_clip(opts.output, opts.seconds, opts.fps, (int(height), int(width)))
    print(f"wrote {path} ({opts.seconds:g} s at {opts.fps:g} fps, {opts.size})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
