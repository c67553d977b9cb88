"""Where the app's frames come from: `camera:N`, a video or photo file, or `sample` (the sample clip).

Each source is an iterator of RGB frames and the rate to show them at. A missing or busy camera raises a
one-line DrapeError that the app shows with a retry button.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from edge_app.errors import DrapeError
from edge_app.media import is_video, open_video, read_image, read_video

SAMPLE_CLIP = Path("out/sample_clip.mp4")  # made by tools/sample_clip.py (the README's demo makes it)


def _camera(index: int) -> tuple[Iterator[np.ndarray], float]:
    capture = cv2.VideoCapture(index)
    ok, first = capture.read() if capture.isOpened() else (False, None)
    if not ok:
        capture.release()
        raise DrapeError(f"camera {index} is missing or busy; plug it in or close the app using it, then retry")

    def frames() -> Iterator[np.ndarray]:
        yield cv2.cvtColor(first, cv2.COLOR_BGR2RGB)
        while True:
            ok, bgr = capture.read()
            if not ok:
                capture.release()
                return
            yield cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)

    fps = capture.get(cv2.CAP_PROP_FPS)
    return frames(), fps if 1 <= fps <= 240 else 30.0


def _file(path: Path, loop: bool) -> tuple[Iterator[np.ndarray], float]:
    if is_video(path):
        capture, info = open_video(path)
        frames = list(read_video(capture))  # a short clip, looped like a live camera
        return (itertools.cycle(frames) if loop else iter(frames)), info.fps
    image = read_image(path)
    return (itertools.repeat(image) if loop else iter([image])), 30.0


def open_source(spec: str, loop: bool = True) -> tuple[Iterator[np.ndarray], float]:
    """`camera:N`, `sample` or a file path -> (RGB frames, frames per second)."""
    if spec.startswith("camera:"):
        index = spec.partition(":")[2]
        if not index.isdigit():
            raise DrapeError(f"--source {spec!r}: give a camera number, e.g. camera:0")
        return _camera(int(index))
    if spec == "sample":
        if not SAMPLE_CLIP.is_file():
            raise DrapeError(f"no sample clip at {SAMPLE_CLIP}; make it with: python tools/sample_clip.py")
        return _file(SAMPLE_CLIP, loop)
    return _file(Path(spec), loop)
