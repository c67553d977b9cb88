"""The live pipeline: capture, pose and drawing on threads of their own, the newest frame always winning.

    capture ─► [latest] ─► pose ─► [latest] ─► fit + composite ─► [latest] ─► screen

Each arrow is a one-slot mailbox (`Latest`): a stage that falls behind skips to the newest frame instead of
queueing, so latency stays bounded and no queue grows. Sentences are applied on the caller's thread (the UI's)
through `say`; the drawing stage picks up the new garment on its next frame.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from edge_app.tryon import TryOn


class Latest:
    """A one-slot mailbox: `put` replaces what is there; `get` waits for something newer than what it had."""

    def __init__(self):
        self._cond = threading.Condition()
        self._seq, self._taken, self._item, self._closed = 0, 0, None, False

    def put(self, item) -> int:
        with self._cond:
            self._seq, self._item = self._seq + 1, item
            self._cond.notify_all()
            return self._seq

    def get(self, after: int, timeout: float | None = None) -> tuple[int, object] | None:
        """(sequence number, item) newer than `after`; None once closed (or on timeout) with nothing newer."""
        with self._cond:
            self._cond.wait_for(lambda: self._seq > after or self._closed, timeout)
            if self._seq <= after:
                return None
            self._taken = self._seq
            self._cond.notify_all()
            return self._seq, self._item

    def wait_taken(self, seq: int) -> None:
        """Until item `seq` (or a later one) has been taken: a source that waits on this never laps the reader."""
        with self._cond:
            self._cond.wait_for(lambda: self._taken >= seq or self._closed)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


@dataclass(frozen=True)
class Shown:
    """One frame put on screen."""

    image: np.ndarray  # (H, W, 3) uint8 RGB
    reason: str  # why the garment is not drawn, or ""
    captured_at: float  # time.perf_counter() when the camera delivered it
    shown_at: float
    garment_version: int  # TryOn.version when it was drawn: how many garment changes it shows


class LivePipeline:
    """Runs `tryon` over `source` frames on three threads; `on_show(Shown)` gets every frame drawn.

    `fps` paces the source like a camera; None hands over the next frame as soon as pose has taken the last, which
    measures the rate the pipeline can sustain (pose of one frame overlapping the drawing of the one before).
    """

    def __init__(self, tryon: TryOn, source: Iterable[np.ndarray], on_show: Callable[[Shown], None],
                 fps: float | None = 30.0):
        self.tryon, self.source, self.on_show, self.fps = tryon, source, on_show, fps
        self.captured, self.posed = Latest(), Latest()
        self.captured_frames = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=f, name=f.__name__, daemon=True)
                         for f in (self._capture, self._pose, self._draw)]

    def say(self, text: str) -> str:
        """Apply a sentence (on the caller's thread); the drawing stage picks the garment up on its next frame."""
        return self.tryon.say(text)

    def start(self) -> LivePipeline:
        for thread in self._threads:
            thread.start()
        return self

    def wait(self, timeout: float | None = None) -> None:
        """Until the source runs out and the last frame is drawn (or `stop`)."""
        for thread in self._threads:
            thread.join(timeout)

    def stop(self) -> None:
        self._stop.set()
        self.captured.close()
        self.posed.close()
        self.wait(5.0)

    def _capture(self) -> None:
        start = time.perf_counter()
        try:
            for index, frame in enumerate(self.source):
                if self._stop.is_set():
                    return
                if self.fps:
                    delay = start + index / self.fps - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                self.captured_frames += 1
                seq = self.captured.put((time.perf_counter(), self.tryon.prepare(frame)))
                if not self.fps:
                    self.captured.wait_taken(seq)
        finally:
            self.captured.close()

    def _pose(self) -> None:
        seen = 0
        try:
            while (got := self.captured.get(seen)) is not None:
                seen, (captured_at, frame) = got
                body, reason = self.tryon.track(frame, captured_at)
                self.posed.put((captured_at, frame, body, reason))
        finally:
            self.posed.close()

    def _draw(self) -> None:
        seen = 0
        while (got := self.posed.get(seen)) is not None:
            seen, (captured_at, frame, body, reason) = got
            version = self.tryon.version  # first: the sprite read next is at least this new
            sprite = self.tryon.sprite
            if not reason:
                frame, reason = self.tryon.draw(frame, body, sprite)
            self.on_show(Shown(frame, reason, captured_at, time.perf_counter(), version))
