"""The try-on pipeline on one camera frame at a time: sentences change the garment, frames get it worn.

    say(text):      parse -> session (new / modify / undo / reset) -> sprite, generated only when the frame changes
    render(frame):  pose -> fit the sprite to the body -> composite; a frame that cannot take the garment passes
                    through unchanged, with the reason

Each stage's time is kept for the benchmark. Nothing here writes to disk; the caller decides what is saved.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field

import numpy as np

from edge_app.composite import composite
from edge_app.errors import DrapeError
from edge_app.fit import fit_sprite
from edge_app.generator import GarmentGenerator, Sprite
from edge_app.parser import TextParser
from edge_app.pose import Body, PoseTracker
from edge_app.session import Session

MIN_SIDE = 32  # smaller images cannot show a person; they pass through
SPRITE_CACHE = 16  # garments kept, so undo and back-and-forth changes need no new generation
TIMES_KEPT = 10_000  # per stage: a benchmark pass is a few hundred frames
NO_PERSON = "no person in view"  # the reason a frame passes through when nobody is found


def _recent() -> deque:
    return deque(maxlen=TIMES_KEPT)


@dataclass
class StageTimes:
    """Milliseconds per stage for the last TIMES_KEPT frames rendered (and sentences said): bounded, because a
    kiosk runs all day."""

    pose: deque = field(default_factory=_recent)
    fit: deque = field(default_factory=_recent)
    composite: deque = field(default_factory=_recent)
    say: deque = field(default_factory=_recent)


def parse_say(spec: str) -> tuple[float, str]:
    """'2.0:make it red' -> (2.0, 'make it red'), for --say."""
    at, sep, text = spec.partition(":")
    try:
        seconds = float(at)
    except ValueError:
        seconds = -1.0
    if not sep or seconds < 0 or not text.strip():
        raise DrapeError(f"--say {spec!r} is not SECONDS:TEXT, e.g. --say 2.0:\"make it red\"")
    return seconds, text.strip()


class TryOn:
    def __init__(self, parser: TextParser, generator: GarmentGenerator, tracker: PoseTracker, mirror: bool = False,
                 seed: int = 0):
        self.parser, self.generator, self.tracker = parser, generator, tracker
        self.mirror, self.seed = mirror, seed
        self.session = Session()
        self.sprite: Sprite | None = None
        self.version = 0  # garment changes so far; bumped after `sprite` is replaced, so readers take it first
        self.times = StageTimes()
        self._sprites: OrderedDict[str, Sprite] = OrderedDict()

    def say(self, text: str) -> str:
        """Apply one sentence; returns what happened, with any attribute the garment cannot show."""
        start = time.perf_counter()
        note = self._refresh(self.session.apply(self.parser.parse(text)))
        self.times.say.append(1000 * (time.perf_counter() - start))
        return note

    def drop(self, slot: str) -> str:
        """Take one attribute off the garment being worn (a chip tapped off)."""
        return self._refresh(self.session.drop(slot))

    def wear(self, session: Session) -> None:
        """Take over another TryOn's session (settings changed the runtime): what was worn stays worn."""
        self.session = session
        self._refresh("")

    def forget(self) -> None:
        """Clear every frame, sentence-made garment and cached sprite from memory (the kiosk's idle reset)."""
        self.session.clear()
        self._sprites.clear()
        self.sprite = None
        self.version += 1

    def _refresh(self, note: str) -> str:
        self.sprite = self._sprite_for(self.session.current)
        self.version += 1
        if self.sprite is not None and self.sprite.dropped:
            note += "; " + "; ".join(self.sprite.dropped)
        return note

    def _sprite_for(self, frame: dict | None) -> Sprite | None:
        if frame is None:
            return None
        key = json.dumps(frame, sort_keys=True)
        if key not in self._sprites:
            self._sprites[key] = self.generator.generate(frame, self.seed)
            if len(self._sprites) > SPRITE_CACHE:
                self._sprites.popitem(last=False)
        self._sprites.move_to_end(key)
        return self._sprites[key]

    def render(self, frame: np.ndarray, seconds: float = 0.0) -> tuple[np.ndarray, str]:
        """(frame with the garment worn, "") or (the frame unchanged, why not). frame: (H, W, 3) uint8 RGB."""
        frame = self.prepare(frame)
        body, reason = self.track(frame, seconds)
        return (frame, reason) if reason else self.draw(frame, body, self.sprite)

    def prepare(self, frame: np.ndarray) -> np.ndarray:
        """The frame as the shopper sees it: flipped in mirror mode."""
        return np.ascontiguousarray(frame[:, ::-1]) if self.mirror else frame

    def track(self, frame: np.ndarray, seconds: float = 0.0):
        """(the body, "") or (None, why there is nothing to draw on); pose runs only when a garment is worn."""
        if min(frame.shape[:2]) < MIN_SIDE:
            return None, f"image too small to find a person ({frame.shape[1]}x{frame.shape[0]})"
        if self.sprite is None:
            return None, "say what to wear"
        start = time.perf_counter()
        body = self.tracker.track(frame, seconds)
        self.times.pose.append(1000 * (time.perf_counter() - start))
        return (body, "") if body is not None else (None, NO_PERSON)

    def draw(self, frame: np.ndarray, body: Body, sprite: Sprite | None) -> tuple[np.ndarray, str]:
        """Fit `sprite` to `body` and lay it over `frame`; the frame unchanged, with the reason, when it cannot."""
        if sprite is None:
            return frame, "say what to wear"
        missing = body.missing_for(sprite.family)
        if missing:
            return frame, f"step into view: {', '.join(missing).replace('_', ' ')} not seen"
        start = time.perf_counter()
        fitted = fit_sprite(sprite, body, frame.shape[:2])
        fitted_at = time.perf_counter()
        self.times.fit.append(1000 * (fitted_at - start))
        if fitted is None:
            return frame, "the garment falls outside the picture"
        out = composite(frame, fitted)
        self.times.composite.append(1000 * (time.perf_counter() - fitted_at))
        return out, ""


def build_tryon(bundle=None, backend: str = "onnx", precision: str = "int8", threads: int = 1, mirror: bool = False,
                seed: int = 0, video: bool = True) -> TryOn:
    """A TryOn over one bundle: its parser and generator on the chosen runtime, MediaPipe for the body."""
    from edge_app.bundle import load_bundle
    from edge_app.parser import DEFAULT_BUNDLE

    loaded = load_bundle(bundle or DEFAULT_BUNDLE)
    return TryOn(TextParser.from_bundle(loaded, backend, precision, threads),
                 GarmentGenerator.from_bundle(loaded, backend, precision, threads), PoseTracker(video=video),
                 mirror=mirror, seed=seed)


def tryon_video(tryon: TryOn, frames, fps: float, says: list[tuple[float, str]], write, on_note=None,
                on_frame=None) -> dict[str, int]:
    """Render every frame of `frames` (RGB arrays) at `fps`, saying each (seconds, text) when its time comes.

    `write(frame)` receives every output frame; `on_note(seconds, text)` what each sentence did; `on_frame()`
    ticks a progress bar. Returns how many frames passed through unchanged, by reason.
    """
    pending = sorted(says)
    skipped: dict[str, int] = {}
    for index, frame in enumerate(frames):
        seconds = index / fps
        while pending and pending[0][0] <= seconds:
            at, text = pending.pop(0)
            note = tryon.say(text)
            if on_note is not None:
                on_note(at, f"{text!r} -> {note}")
        out, reason = tryon.render(frame, seconds)
        if reason:
            skipped[reason] = skipped.get(reason, 0) + 1
        write(out)
        if on_frame is not None:
            on_frame()
    return skipped
