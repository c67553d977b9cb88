"""`drape app`: the Kivy mirror over the live pipeline (edge_app.live), in phone or kiosk mode.

The screens only bind widgets to `state.MirrorState`; frames go from the source through pose and drawing on the
pipeline's threads, and Kivy's clock puts the newest one on screen. Frames stay in memory.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from edge_app.app.state import MirrorState, ModeConfig, Ratings, mode_config
from edge_app.live import LivePipeline, Shown

KV = Path(__file__).with_name("mirror.kv")
CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/System/Library/Fonts/PingFang.ttc")
WINDOW = {"phone": (540, 960), "kiosk": (1280, 800)}


def _configure_window(mode: str, config: ModeConfig) -> None:
    """Before Kivy makes its window: size, fullscreen, and no Kivy argument parsing (ours comes first)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")  # not xsel, which a kiosk need not have
    from kivy.config import Config

    width, height = WINDOW[mode]
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "fullscreen", "auto" if config.fullscreen else "0")
    Config.set("kivy", "keyboard_mode", "dock" if config.on_screen_keyboard else "system")


def cjk_font() -> str | None:
    return next((f for f in CJK_FONTS if Path(f).is_file()), None)


def run_app(mode: str, source: str, says: list[tuple[float, str]], screenshot: Path | None,
            exit_after: float | None, tryon_options: dict, snapshots: Path) -> int:
    from edge_app.app.sources import open_source
    from edge_app.tryon import build_tryon

    config = mode_config(mode)
    frames, fps = open_source(source)
    _configure_window(mode, config)
    tryon = build_tryon(mirror=config.mirror, **tryon_options)
    app = _make_app(MirrorState(tryon, config, Ratings()), frames, fps, says, screenshot, exit_after, snapshots)
    app.run()
    tryon.tracker.close()
    return 0


def _make_app(state: MirrorState, frames, fps: float, says, screenshot: Path | None, exit_after: float | None,
              snapshots: Path):
    """The Kivy classes are made here, after the window is configured (importing kivy.app opens it)."""
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.core.text import LabelBase
    from kivy.graphics.texture import Texture
    from kivy.lang import Builder
    from kivy.properties import BooleanProperty, NumericProperty, StringProperty
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.button import Button

    font_path = cjk_font()
    if font_path:
        LabelBase.register("DrapeCJK", font_path)

    class MirrorScreen(BoxLayout):
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
            box = self.ids.chips
            box.clear_widgets()
            for slot, value in state.chips:
                chip = Button(text=f"{value.replace('_', ' ')} ×", size_hint=(None, 1), width=max(80, 14 * len(value)))
                chip.bind(on_release=lambda _b, s=slot: self._tap(s))
                box.add_widget(chip)

        def _tap(self, slot: str) -> None:
            self.note = state.tap_chip(slot)
            self.refresh_chips()

    class DrapeApp(App):
        touch_dp = NumericProperty(state.mode.touch_dp)
        font = StringProperty("DrapeCJK" if font_path else "Roboto")
        latest: Shown | None = None

        def build(self):
            Builder.load_file(str(KV))
            self.screen = MirrorScreen()
            self.shown_seen = None
            self.pipeline = LivePipeline(state.tryon, frames, self._on_show, fps).start()
            Clock.schedule_interval(self._tick, 1 / 60)
            for at, text in says:
                Clock.schedule_once(lambda _dt, t=text: self.screen.send(t), at)
            if exit_after is not None:
                Clock.schedule_once(self._finish, exit_after)
            return self.screen

        def _on_show(self, shown: Shown) -> None:  # the pipeline's drawing thread
            self.latest = shown
            state.rate.add(shown.shown_at, shown.captured_at)

        def _tick(self, _dt) -> None:
            if state.tick():
                self.screen.note = "Say what to wear"
                self.screen.refresh_chips()
            shown = self.latest
            if shown is None or shown is self.shown_seen:
                return
            self.shown_seen = shown
            image = np.ascontiguousarray(shown.image[::-1])  # Kivy textures start at the bottom row
            texture = Texture.create(size=(image.shape[1], image.shape[0]), colorfmt="rgb")
            texture.blit_buffer(image.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
            self.screen.ids.view.texture = texture
            self.screen.hint = {"no person in view": "Step in front of the mirror"}.get(shown.reason, shown.reason)
            self.screen.readout = state.rate.text()

        def _finish(self, _dt) -> None:
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                self.screen.export_to_png(str(screenshot))
            self.pipeline.stop()
            self.stop()

    app = DrapeApp()
    return app
