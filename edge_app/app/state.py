"""What the app's screens show and do, as plain classes: tests drive them without a window, the Kivy screens
only bind widgets to them.

Privacy: camera frames live in memory only. Nothing here writes an image unless `snapshot` is called (the
shopper pressed the button); a rating keeps the garment frame it rates, never a picture; the kiosk's idle reset
forgets every frame and sentence.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from edge_app.tryon import TryOn

# Chips follow the taxonomy's order; size is shown but not drawn.
CHIP_SLOTS = ("category", "color", "secondary_color", "pattern", "material", "sleeve", "neckline", "length", "fit",
              "size")


@dataclass(frozen=True)
class ModeConfig:
    fullscreen: bool
    orientation: str  # "portrait" or "landscape"
    mirror: bool  # flip the camera left to right, as a mirror does
    touch_dp: int  # smallest touch target, in density-independent pixels
    on_screen_keyboard: bool
    attract_screen: bool  # a looping invitation while nobody uses it
    idle_reset_s: float | None  # seconds without a touch or a person before everything is forgotten


MODES: dict[str, ModeConfig] = {
    "phone": ModeConfig(fullscreen=False, orientation="portrait", mirror=True, touch_dp=48, on_screen_keyboard=False,
                        attract_screen=False, idle_reset_s=None),
    "kiosk": ModeConfig(fullscreen=True, orientation="landscape", mirror=True, touch_dp=88, on_screen_keyboard=True,
                        attract_screen=True, idle_reset_s=90.0),
}


def mode_config(name: str) -> ModeConfig:
    if name not in MODES:
        raise ValueError(f"unknown mode {name!r}; the modes are: {', '.join(MODES)}")
    return MODES[name]


def chips(frame: dict | None) -> list[tuple[str, str]]:
    """(slot, value) for every attribute the garment frame sets, in taxonomy order."""
    if not frame:
        return []
    return [(slot, frame[slot]) for slot in CHIP_SLOTS if frame.get(slot) is not None]


class IdleTimer:
    """Expires `timeout` seconds after the last `touch`; never, with no timeout."""

    def __init__(self, timeout: float | None, clock: Callable[[], float] = time.monotonic):
        self.timeout, self.clock = timeout, clock
        self.last = clock()

    def touch(self) -> None:
        self.last = self.clock()

    def expired(self) -> bool:
        return self.timeout is not None and self.clock() - self.last >= self.timeout


@dataclass
class FrameRate:
    """The fps and latency readout over the last 60 frames shown."""

    shown: deque = field(default_factory=lambda: deque(maxlen=60))
    latency_ms: deque = field(default_factory=lambda: deque(maxlen=60))

    def add(self, shown_at: float, captured_at: float) -> None:
        self.shown.append(shown_at)
        self.latency_ms.append(1000 * (shown_at - captured_at))

    def fps(self) -> float:
        if len(self.shown) < 2 or self.shown[-1] == self.shown[0]:
            return 0.0
        return (len(self.shown) - 1) / (self.shown[-1] - self.shown[0])

    def text(self) -> str:
        if not self.latency_ms:
            return "—"
        return f"{self.fps():.0f} fps · {float(np.median(self.latency_ms)):.0f} ms"


@dataclass
class Ratings:
    """Thumbs up or down, each with the garment frame it rates; appended to a JSON Lines file when given one."""

    path: Path | None = None
    kept: list[dict] = field(default_factory=list)

    def add(self, frame: dict, up: bool, when: float | None = None) -> dict:
        entry = {"frame": dict(frame), "rating": "up" if up else "down", "time": when or time.time()}
        self.kept.append(entry)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return entry


class MirrorState:
    """The mirror screen: sentences in, chips, undo and reset, ratings, snapshots, the idle reset."""

    def __init__(self, tryon: TryOn, mode: ModeConfig, ratings: Ratings | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.tryon, self.mode = tryon, mode
        self.ratings = ratings or Ratings()
        self.idle = IdleTimer(mode.idle_reset_s, clock)
        self.sentences: list[str] = []  # what was said this session, shown above the text box
        self.note = ""  # the last thing the session said back
        self.rate = FrameRate()

    @property
    def chips(self) -> list[tuple[str, str]]:
        return chips(self.tryon.session.current)

    def send(self, text: str) -> str:
        text = text.strip()
        self.idle.touch()
        if not text:
            return self.note
        self.sentences.append(text)
        self.note = self.tryon.say(text)
        return self.note

    def tap_chip(self, slot: str) -> str:
        self.idle.touch()
        self.note = self.tryon.drop(slot)
        return self.note

    def undo(self) -> str:
        return self.send("undo")

    def reset(self) -> str:
        return self.send("start over")

    def rate_garment(self, up: bool) -> dict | None:
        """Keep a thumbs up or down with the frame worn now; None when nothing is worn."""
        self.idle.touch()
        frame = self.tryon.session.current
        return None if frame is None else self.ratings.add(frame, up)

    def snapshot(self, image: np.ndarray, folder: Path) -> Path:
        """The one place an image is written: the picture on screen, when the shopper presses snapshot."""
        from edge_app.media import write_image

        self.idle.touch()
        path = folder / time.strftime("drape_%Y%m%d_%H%M%S.png")
        write_image(path, image)
        return path

    def tick(self) -> bool:
        """Call every frame: True when the idle reset fired and everything was forgotten."""
        if not self.idle.expired():
            return False
        self.tryon.forget()
        self.sentences.clear()
        self.note = ""
        self.idle.touch()
        return True
