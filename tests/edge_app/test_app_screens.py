"""The real app's screens under xvfb-run, driven by taps and key presses (tests/edge_app/app_driver.py): settings,
the kiosk's on-screen keyboard, and the kiosk's idle reset."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tools.sample_clip import write_clip

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("app_driver.py")
pytestmark = pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (tools/setup.sh installs it)")


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> tuple[Path, Path]:
    """(a clip of the sample with a person, a still grey picture with nobody)."""
    folder = tmp_path_factory.mktemp("sources")
    empty = folder / "empty.png"
    Image.fromarray(np.full((320, 240, 3), 128, np.uint8)).save(empty)
    return write_clip(folder / "clip.mp4", seconds=2.0, fps=15, size=(240, 320)), empty


def play(scenario: str, mode: str, *sources: Path, home: Path) -> dict:
    env = {**os.environ, "HOME": str(home), "KIVY_HOME": str(home.parent / f"{home.name}-kivy")}
    command = ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", sys.executable, str(DRIVER), scenario, mode,
               *map(str, sources)]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    seen = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert "stuck" not in seen, f"{scenario}: step {seen.get('stuck')} waited in vain for the app"
    return seen


def test_settings_switch_source_and_flip_and_keep_what_is_worn(sources, tmp_path):
    clip, empty = sources
    seen = play("settings", "phone", clip, empty, home=tmp_path)
    assert seen["after_settings_tap"] == "settings" and seen["after_apply"] == "mirror"
    assert seen["source"] == str(empty) and seen["mirror_after"] is not seen["mirror_before"]
    assert seen["worn"] == "red" and seen["new_frames"]  # the new pipeline runs; the red shirt is still worn
    # a missing camera: its message and retry, not a crash; a missing bundle: refused where it was typed
    assert seen["missing_camera_screen"] == "message" and "camera 9 is missing or busy" in seen[
        "missing_camera_message"]
    assert seen["bad_bundle_screen"] == "settings" and "/no/such/bundle is not a bundle" in seen["bad_bundle_message"]
    assert seen["final_screen"] == "mirror" and seen["final_settings_message"] == "" and seen["worn_at_end"] == "red"


def test_kiosk_types_a_sentence_on_the_on_screen_keyboard(sources, tmp_path):
    seen = play("keyboard", "kiosk", sources[0], home=tmp_path)
    assert seen["first_screen"] == "attract" and seen["after_touch"] == "mirror"
    assert seen["keyboard"]  # docked on-screen keyboard, opened by tapping the text box
    assert seen["worn"] == {"category": "shirt", "color": "green"} and seen["text_left"] == ""
    assert sorted(seen["chips"]) == ["green ×", "shirt ×"]
    assert seen["worn_after_chip"] == {"category": "shirt"}  # tapping a chip takes its attribute off


def test_kiosk_idle_reset_forgets_everything_and_a_touch_starts_afresh(sources, tmp_path):
    seen = play("idle", "kiosk", sources[1], home=tmp_path)
    assert seen["worn_before"] == {"category": "skirt", "color": "red"} and seen["sprite_before"]
    assert seen["sentences_before"] == ["我想要一条红裙子"]
    assert seen["hint"] == "Step in front of the mirror" and seen["screen"] == "attract"
    assert seen["worn_after"] is None and not seen["sprite_after"] and seen["sentences_after"] == []
    assert seen["text_after"] == "" and seen["chips_after"] == 0
    assert seen["screen_after_touch"] == "mirror"  # the touch counted as activity
