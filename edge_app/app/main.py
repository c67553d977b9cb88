"""`drape app`: the Kivy mirror over the live pipeline (edge_app.live), in phone or kiosk mode.

The screens only bind widgets to `state.MirrorState`; frames go from the source through pose and drawing on the
pipeline's threads, and Kivy's clock puts the newest one on screen. Frames stay in memory.
"""

from __future__ import annotations

import os
import time
from collections import deque
from pathlib import Path

import numpy as np

from edge_app.app.state import MirrorState, ModeConfig, Ratings, mode_config
from edge_app.live import LivePipeline, Shown
from edge_app.tryon import NO_PERSON

KV_FILES = [Path(__file__).with_name(f"{name}.kv") for name in ("mirror", "settings", "attract", "message")]
PRIVACY = ("Privacy: camera frames stay in this device's memory and are never saved, except by the Snapshot "
           "button. A Like or Dislike keeps the garment's attributes, never a picture. In kiosk mode everything "
           "is forgotten after a while without a touch.")
CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/System/Library/Fonts/PingFang.ttc")
WINDOW = {"phone": (540, 960), "kiosk": (1280, 800)}
DISPLAYED_KEPT = 1_000  # frame times kept for the exit's fps line (its last 5 s): a kiosk runs all day


def configure_window(mode: str, config: ModeConfig) -> None:
    """Before Kivy makes its window: size, fullscreen, and no Kivy argument parsing (ours comes first)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    from kivy.config import Config

    width, height = WINDOW[mode]
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "fullscreen", "auto" if config.fullscreen else "0")
    # no multisample anti-aliasing: it smooths polygon edges, of which a camera picture has none, and Kivy's
    # default (2 samples) cost the kiosk a third of its frames where OpenGL runs on the CPU (19.6 -> 28.7 fps)
    Config.set("graphics", "multisamples", "0")
    Config.set("kivy", "keyboard_mode", "dock" if config.on_screen_keyboard else "system")


def cjk_font() -> str | None:
    return next((f for f in CJK_FONTS if Path(f).is_file()), None)


def run_app(mode: str, source: str, says: list[tuple[float, str]], screenshot: Path | None,
            exit_after: float | None, tryon_options: dict, snapshots: Path) -> int:
    from edge_app.tryon import build_tryon

    config = mode_config(mode)
    configure_window(mode, config)
    tryon = build_tryon(mirror=config.mirror, **tryon_options)
    app = make_app(MirrorState(tryon, config, Ratings()), source, says, screenshot, exit_after, snapshots,
                    tryon_options)
    app.run()
    app.state.tryon.tracker.close()
    return 0


def make_app(state: MirrorState, source: str, says, screenshot: Path | None, exit_after: float | None,
              snapshots: Path, tryon_options: dict):
    """The app, not yet running (`.run()` it). The Kivy classes are made here, after the window is configured
    (importing kivy.app opens it)."""
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.core.text import LabelBase
    from kivy.core.window import Window
    from kivy.graphics.texture import Texture
    from kivy.lang import Builder
    from kivy.properties import BooleanProperty, NumericProperty, StringProperty
    from kivy.uix.button import Button
    from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

    from edge_app.app.sources import open_source
    from edge_app.errors import DrapeError
    from edge_app.tryon import build_tryon

    first_source = source  # class bodies below cannot see the enclosing names they redefine
    font_path = cjk_font()
    if font_path:
        LabelBase.register("DrapeCJK", font_path)

    class MirrorScreen(Screen):
        hint = StringProperty("")
        readout = StringProperty("—")
        note = StringProperty("Say what to wear")
        show_readout = BooleanProperty(True)

        def send(self, text: str) -> None:
            self.note = state.send(text) or self.note
            self.refresh_chips()

        def undo(self) -> None:
            self.note = state.undo()
            self.refresh_chips()

        def reset(self) -> None:
            self.note = state.reset()
            self.refresh_chips()

        def rate(self, up: bool) -> None:
            kept = state.rate_garment(up)
            self.note = "thanks: kept with this garment" if kept else "wear something first"

        def snapshot(self) -> None:
            shown = app.latest
            if shown is not None:
                self.note = f"saved {state.snapshot(shown.image, snapshots)}"

        def refresh_chips(self) -> None:
            """One button per attribute worn; tapping it takes the attribute off."""
            box = self.ids.chips
            box.clear_widgets()
            for slot, value in state.chips:
                chip = Button(text=f"{value.replace('_', ' ')} ×", size_hint=(None, 1), width=max(80, 14 * len(value)))
                chip.bind(on_release=lambda _b, s=slot: self._tap(s))
                box.add_widget(chip)

        def _tap(self, slot: str) -> None:
            self.note = state.tap_chip(slot)
            self.refresh_chips()

    class SettingsScreen(Screen):
        bundle = StringProperty(str(tryon_options.get("bundle") or ""))
        backend = StringProperty(tryon_options.get("backend", "auto"))
        source = StringProperty(first_source)
        mirror = BooleanProperty(state.mode.mirror)
        privacy = StringProperty(PRIVACY)
        message = StringProperty("")

        def apply(self, bundle: str, backend: str, new_source: str, mirror: bool) -> None:
            try:
                app.restart({**tryon_options, "bundle": bundle or None, "backend": backend}, new_source, mirror)
            except DrapeError as err:
                self.message = str(err)
                return
            self.message = ""
            if app.root.current == "settings":  # not when the new source failed and shows its message
                app.root.current = "mirror"

    class AttractScreen(Screen):
        pass

    class MessageScreen(Screen):
        message = StringProperty("")

    class DrapeApp(App):
        touch_dp = NumericProperty(state.mode.touch_dp)
        font = StringProperty("DrapeCJK" if font_path else "Roboto")
        latest: Shown | None = None

        def build(self):
            self.state, self.source, self.pipeline, self.shown_seen = state, source, None, None
            self.displayed = deque(maxlen=DISPLAYED_KEPT)  # when new frames reached the screen (perf_counter)
            for kv in KV_FILES:
                Builder.load_file(str(kv))
            root = ScreenManager(transition=NoTransition())
            self.mirror = MirrorScreen()
            for screen in (self.mirror, SettingsScreen(), AttractScreen(), MessageScreen()):
                root.add_widget(screen)
            root.current = "attract" if state.mode.attract_screen and not says else "mirror"
            self.root = root
            Window.bind(on_touch_down=self._active, on_key_down=self._active)  # any touch or key: not idle
            self.retry_source()
            Clock.schedule_interval(self._tick, 1 / 60)
            for at, text in says:
                Clock.schedule_once(lambda _dt, t=text: self.mirror.send(t), at)
            if exit_after is not None:
                Clock.schedule_once(self._finish, exit_after)
            return root

        def retry_source(self) -> None:
            """(Re)open the source and start the pipeline; a missing or busy camera shows its message and a retry."""
            try:
                frames, fps = open_source(self.source)
            except DrapeError as err:
                import sys

                print(f"drape: {err}", file=sys.stderr)
                self.root.get_screen("message").message = str(err)
                self.root.current = "message"
                return
            self._stop_pipeline()
            self.pipeline = LivePipeline(self.state.tryon, frames, self._on_show, fps).start()
            if self.root.current == "message":
                self.root.current = "mirror"

        def restart(self, options: dict, new_source: str, mirror: bool) -> None:
            """Settings applied: a new runtime and source; what is worn stays worn."""
            tryon = build_tryon(mirror=mirror, **options)
            old = self.state.tryon
            tryon.wear(old.session)
            self._stop_pipeline()
            old.tracker.close()
            self.state.tryon, self.source = tryon, new_source
            self.retry_source()

        def _active(self, *_args) -> bool:
            self.state.idle.touch()
            return False  # the touch or key goes on to its widget

        def _stop_pipeline(self) -> None:
            if self.pipeline is not None:
                self.pipeline.stop()
                self.pipeline = None

        def _on_show(self, shown: Shown) -> None:  # the pipeline's drawing thread
            self.latest = shown
            self.state.rate.add(shown.shown_at, shown.captured_at)

        def _tick(self, _dt) -> None:
            if self.state.tick():  # idle: the state forgot frames and sentences; so does the screen
                self.mirror.note = "Say what to wear"
                self.mirror.ids.sentence.text = ""
                self.mirror.refresh_chips()
                if self.state.mode.attract_screen:
                    self.root.current = "attract"
            shown = self.latest
            if shown is None or shown is self.shown_seen:
                return
            self.shown_seen = shown
            self.displayed.append(time.perf_counter())
            image = np.ascontiguousarray(shown.image)  # already contiguous: no copy
            view, size = self.mirror.ids.view, (image.shape[1], image.shape[0])
            if view.texture is None or tuple(view.texture.size) != size:  # a new texture only when the size changes
                view.texture = Texture.create(size=size, colorfmt="rgb")
                view.texture.flip_vertical()  # Kivy textures start at the bottom row; images at the top
            # Kivy takes a writable buffer, or bytes: a still picture's frame, passed through, is read-only
            pixels = image.reshape(-1) if image.flags.writeable else image.tobytes()
            view.texture.blit_buffer(pixels, colorfmt="rgb", bufferfmt="ubyte")
            view.canvas.ask_update()
            if shown.reason != NO_PERSON:  # someone is in front of the kiosk: not idle
                self.state.idle.touch()
            self.mirror.hint = {NO_PERSON: "Step in front of the mirror"}.get(shown.reason, shown.reason)
            self.mirror.readout = self.state.rate.text()

        def _finish(self, _dt) -> None:
            shown = [t for t in self.displayed if t >= self.displayed[-1] - 5.0] if self.displayed else []
            if len(shown) > 1:  # the last 5 s: what `drape bench live` is compared with
                import sys

                print(f"app: {(len(shown) - 1) / (shown[-1] - shown[0]):.1f} fps on screen over the last "
                      f"{shown[-1] - shown[0]:.1f} s", file=sys.stderr)
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                self.root.export_to_png(str(screenshot))
            self._stop_pipeline()
            self.stop()

    app = DrapeApp()
    return app
