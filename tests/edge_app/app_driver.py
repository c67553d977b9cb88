"""Plays a scenario on the real Kivy app for tests/edge_app/test_app_screens.py (run under xvfb-run).

    python tests/edge_app/app_driver.py SCENARIO MODE SOURCE [OTHER_SOURCE]

The app is built as `drape app` builds it (edge_app.app.main.make_app); the scenario taps its widgets with real
touch events at their place on the window and types on the on-screen keyboard key by key, then prints what the
app showed as JSON on the last line of stdout. Not a test module itself (pytest collects test_*.py only).

A scenario is a list of (gap, step): each step runs `gap` seconds after the one before it started. What the app
does in its own time (a screen laid out, the keyboard opened, a sentence parsed, new frames) is waited for, not
slept for: a step that returns NOT_READY is tried again every 0.1 s, and the steps after it move along with it,
so a loaded machine makes a scenario slower, never wrong.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from edge_app.app.main import configure_window, make_app  # noqa: E402
from edge_app.app.state import MirrorState, Ratings, mode_config  # noqa: E402

IDLE_S = 2.0  # the idle scenario's reset, instead of the kiosk's 90 s
NOT_READY = False  # what a step returns when what it needs has not happened yet
RETRY_S = 0.1
STEP_TIMEOUT_S = 30.0  # a step still not ready after this stops the scenario, named in seen["stuck"]


def tap(widget) -> None:
    """A finger down and up on the middle of `widget`, through the window's touch dispatch."""
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()


def button(screen, text: str):
    from kivy.uix.button import Button

    return next(w for w in screen.walk() if isinstance(w, Button) and w.text == text)


def vkeyboard():
    from kivy.core.window import Window
    from kivy.uix.vkeyboard import VKeyboard

    return next((w for w in Window.children if isinstance(w, VKeyboard)), None)


def type_on(keyboard, text: str) -> None:
    """Tap each character's key on the on-screen keyboard, then its enter key."""
    from kivy.tests.common import UnitTestTouch

    layout = keyboard.available_layouts[keyboard.layout]
    for char in [*text, "enter"]:
        for line in range(1, layout["rows"] + 1):
            keys = layout[f"{keyboard.layout_mode}_{line}"]
            index = next((i for i, k in enumerate(keys) if char in (k[1], k[2])), None)
            if index is not None:
                (x, y), (w, h) = keyboard.layout_geometry[f"LINE_{line}"][index]
                # the key's middle, through the keyboard's own transform (docked, it is scaled to the window)
                touch = UnitTestTouch(*keyboard.to_window(*keyboard.to_parent(x + w / 2, y + h / 2)))
                touch.touch_down()
                touch.touch_up()
                break
        else:
            raise ValueError(f"no key for {char!r} on the on-screen keyboard")


def scenario_settings(app, seen: dict, other_source: str) -> list:
    """Wear a red shirt; in settings switch source and mirror flip (still wearing it); then a missing camera
    (its message, Settings from there), a missing bundle (refused on the settings screen), and back.
    One tap a step: a screen just switched to is laid out on the next frame."""
    mirror, settings = app.root.get_screen("mirror"), app.root.get_screen("settings")
    message = app.root.get_screen("message")

    def wear_and_open_settings():
        seen["mirror_before"] = app.state.tryon.mirror
        mirror.send("a red shirt")
        tap(button(mirror, "Settings"))
        seen["after_settings_tap"] = app.root.current

    def apply_other_source():
        settings.ids.source.text = other_source
        settings.ids.mirror.active = not seen["mirror_before"]
        seen["shown_before_apply"] = app.latest.captured_at if app.latest else None
        tap(button(settings, "Apply"))
        seen["after_apply"] = app.root.current

    def check_restarted():
        if app.latest is None or app.latest.captured_at == seen["shown_before_apply"]:
            return NOT_READY  # the new pipeline's first frame
        seen["source"], seen["mirror_after"] = app.source, app.state.tryon.mirror
        seen["worn"] = (app.state.tryon.session.current or {}).get("color")
        seen["new_frames"] = app.latest is not None and app.latest.captured_at != seen["shown_before_apply"]
        tap(button(mirror, "Settings"))

    def apply_missing_camera():
        settings.ids.source.text = "camera:9"
        tap(button(settings, "Apply"))

    def check_camera_message():
        if app.root.current != "message":
            return NOT_READY  # the pipeline finds the camera missing in its own time
        seen["missing_camera_screen"], seen["missing_camera_message"] = app.root.current, message.message
        tap(button(message, "Settings"))

    def apply_missing_bundle():
        settings.ids.bundle.text = "/no/such/bundle"
        settings.ids.source.text = other_source
        tap(button(settings, "Apply"))

    def check_bundle_refused():
        seen["bad_bundle_screen"], seen["bad_bundle_message"] = app.root.current, settings.message
        settings.ids.bundle.text = ""
        tap(button(settings, "Apply"))

    def check_back():
        seen["final_screen"], seen["final_settings_message"] = app.root.current, settings.message
        seen["worn_at_end"] = (app.state.tryon.session.current or {}).get("color")

    steps = [wear_and_open_settings, apply_other_source, check_restarted, apply_missing_camera,
             check_camera_message, apply_missing_bundle, check_bundle_refused, check_back]
    return [(0.8 if i == 0 else 0.7, step) for i, step in enumerate(steps)]


def scenario_keyboard(app, seen: dict, _other: str) -> list:
    """Kiosk: touch the attract screen, tap the text box, type a sentence on the docked on-screen keyboard."""
    mirror = app.root.get_screen("mirror")

    def start():
        seen["first_screen"] = app.root.current
        tap(button(app.root.get_screen("attract"), "Touch to start"))
        seen["after_touch"] = app.root.current

    def focus():
        tap(mirror.ids.sentence)

    def type_sentence():
        keyboard = vkeyboard()
        if keyboard is None:
            return NOT_READY
        seen["keyboard"] = keyboard.docked
        type_on(keyboard, "a green shirt")

    def check():
        if app.state.tryon.session.current is None:
            return NOT_READY  # the sentence not parsed and worn yet
        seen["worn"] = app.state.tryon.session.current
        seen["chips"] = [text for text in (w.text for w in mirror.ids.chips.children)]
        seen["text_left"] = mirror.ids.sentence.text
        tap(next(w for w in mirror.ids.chips.children if w.text.startswith("green")))

    def check_chip_off():
        seen["worn_after_chip"] = app.state.tryon.session.current

    return [(0.5, start), (0.3, focus), (0.4, type_sentence), (0.8, check), (0.4, check_chip_off)]


def scenario_idle(app, seen: dict, _other: str) -> list:
    """Kiosk with nobody in view: wear something, then leave it untouched past the idle reset; a touch on the
    attract screen starts afresh (and must not be taken for idleness)."""
    mirror, attract = app.root.get_screen("mirror"), app.root.get_screen("attract")

    def start():
        tap(button(attract, "Touch to start"))

    def wear():
        mirror.ids.sentence.text = "我想要一条红裙子"
        tap(button(mirror, "Send"))
        mirror.ids.sentence.text = "and long sleeves"  # typed, not sent: the reset must clear it too
        seen["worn_before"] = app.state.tryon.session.current
        seen["sprite_before"] = app.state.tryon.sprite is not None
        seen["sentences_before"] = list(app.state.sentences)

    def check_hint():  # wearing something, nobody in view
        seen["hint"] = mirror.hint

    def check():
        seen["screen"] = app.root.current
        seen["worn_after"] = app.state.tryon.session.current
        seen["sprite_after"] = app.state.tryon.sprite is not None
        seen["sentences_after"] = list(app.state.sentences)
        seen["text_after"] = mirror.ids.sentence.text
        seen["chips_after"] = len(mirror.ids.chips.children)

    def touch_again():
        tap(button(attract, "Touch to start"))

    def check_touch():
        seen["screen_after_touch"] = app.root.current

    # the reset fires at ~IDLE_S after wearing and restarts the timer; the second touch comes just before it would
    # fire again, so the mirror only stays if that touch counted as activity
    return [(0.5, start), (0.5, wear), (IDLE_S / 2, check_hint), (IDLE_S / 2 + 0.5, check),
            (IDLE_S - 0.8, touch_again), (0.8, check_touch)]


def play_steps(app, steps: list, seen: dict) -> None:
    """Run `steps` ((gap, step) pairs) in order on the Kivy clock, as the module's docstring says; stop the app
    0.3 s after the last one."""
    from kivy.clock import Clock

    def run(index: int, started: float) -> None:
        if index == len(steps):
            app.stop()
            return
        step, now = steps[index][1], time.monotonic()
        if step() is NOT_READY:
            if now - started > STEP_TIMEOUT_S:
                seen["stuck"] = step.__name__
                app.stop()
            else:
                Clock.schedule_once(lambda _dt: run(index, started), RETRY_S)
            return
        gap = steps[index + 1][0] if index + 1 < len(steps) else 0.3
        Clock.schedule_once(lambda _dt: run(index + 1, time.monotonic()), max(0.0, now + gap - time.monotonic()))

    Clock.schedule_once(lambda _dt: run(0, time.monotonic()), steps[0][0])


SCENARIOS = {"settings": scenario_settings, "keyboard": scenario_keyboard, "idle": scenario_idle}


def main(name: str, mode: str, source: str, other_source: str = "") -> None:
    from edge_app.tryon import build_tryon

    config = mode_config(mode)
    if name == "idle":
        config = replace(config, idle_reset_s=IDLE_S)
    configure_window(mode, config)
    state = MirrorState(build_tryon(mirror=config.mirror, backend="tflite"), config, Ratings())
    app = make_app(state, source, [], None, None, Path("/nonexistent-snapshots"), {"backend": "tflite"})
    seen: dict = {}
    from kivy.clock import Clock

    Clock.schedule_once(lambda _dt: play_steps(app, SCENARIOS[name](app, seen, other_source), seen), 0)
    app.run()
    app._stop_pipeline()
    app.state.tryon.tracker.close()
    print(json.dumps(seen, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:])
