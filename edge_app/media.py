"""Images and videos in and out for the headless try-on: RGB uint8 frames, one-line errors for bad files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from edge_app.errors import DrapeError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".webp")
VIDEO_SUFFIXES = (".mp4", ".avi", ".mov", ".mkv")


def is_video(path: Path) -> bool:
    return path.suffix.lower() in VIDEO_SUFFIXES


def _check_exists(path: Path) -> None:
    if not path.is_file():
        raise DrapeError(f"no file at {path}; give a photo ({', '.join(IMAGE_SUFFIXES)}) or a video "
                         f"({', '.join(VIDEO_SUFFIXES)})")


def as_rgb(image: np.ndarray) -> np.ndarray:
    """Grayscale (H, W) or (H, W, 1), RGB, or RGBA -> (H, W, 3) uint8 RGB."""
    if image.ndim == 2:
        image = image[..., None]
    if image.ndim != 3 or image.shape[2] not in (1, 3, 4):
        raise DrapeError(f"an image must be (H, W), (H, W, 3) or (H, W, 4), not {image.shape}")
    if image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    if image.shape[2] == 1:
        return np.repeat(image, 3, axis=2)
    return np.ascontiguousarray(image[..., :3])


def read_image(path: Path) -> np.ndarray:
    """A photo as RGB uint8, whatever its mode (grayscale, palette, RGBA)."""
    from PIL import Image, UnidentifiedImageError

    _check_exists(path)
    try:
        with Image.open(path) as im:
            return as_rgb(np.asarray(im.convert("RGB")))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as err:
        raise DrapeError(f"cannot read {path} as an image ({type(err).__name__}: {err}); give a PNG or JPEG photo") \
            from None


def write_image(path: Path, rgb: np.ndarray) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(path)


@dataclass(frozen=True)
class VideoInfo:
    fps: float
    frames: int  # as the container says; a truncated file delivers fewer
    size: tuple[int, int]  # (height, width)


def open_video(path: Path) -> tuple[cv2.VideoCapture, VideoInfo]:
    _check_exists(path)
    capture = cv2.VideoCapture(str(path))
    ok, first = capture.read() if capture.isOpened() else (False, None)
    if not ok:
        capture.release()
        raise DrapeError(f"cannot decode a frame of {path}; is it a video (mp4, avi, mov, mkv) and whole?")
    capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
    fps = capture.get(cv2.CAP_PROP_FPS)
    info = VideoInfo(fps if 1 <= fps <= 240 else 30.0, int(capture.get(cv2.CAP_PROP_FRAME_COUNT)), first.shape[:2])
    return capture, info


def read_video(capture: cv2.VideoCapture) -> Iterator[np.ndarray]:
    """RGB frames until the file ends (or stops decoding, as a truncated file does)."""
    try:
        while True:
            ok, bgr = capture.read()
            if not ok:
                return
            yield cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    finally:
        capture.release()


class VideoWriter:
    """mp4 (mp4v) frames from RGB arrays; the size is fixed by the first frame."""

    def __init__(self, path: Path, fps: float):
        self.path, self.fps, self._writer = path, fps, None

    def write(self, rgb: np.ndarray) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            h, w = rgb.shape[:2]
            self._writer = cv2.VideoWriter(str(self.path), cv2.VideoWriter_fourcc(*"mp4v"), self.fps, (w, h))
            if not self._writer.isOpened():
                raise DrapeError(f"cannot write a video to {self.path}; give an .mp4 path in a writable folder")
        self._writer.write(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))

    def close(self) -> None:
        if self._writer is not None:
            self._writer.release()

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
