"""The app's logic without a window: chips, undo and reset, ratings, snapshots, the kiosk's idle reset, privacy."""

import json

import numpy as np
import pytest
import skimage.data

from edge_app.app.state import MODES, FrameRate, IdleTimer, MirrorState, Ratings, chips, mode_config
from edge_app.tryon import build_tryon


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(scope="module")
def tryon():
    t = build_tryon(backend="tflite", video=False)
    yield t
    t.tracker.close()


def test_chips_follow_the_taxonomy_and_tapping_one_off_removes_it(tryon):
    state = MirrorState(tryon, MODES["phone"])
    state.send("a navy polka-dot dress, knee length")
    assert state.chips == [("category", "dress"), ("color", "navy"), ("pattern", "polka_dot"), ("length", "knee")]
    assert state.tap_chip("pattern") == "removed pattern"
    assert ("pattern", "polka_dot") not in state.chips and tryon.sprite.garment["pattern"] == "solid"
    state.undo()
    assert ("pattern", "polka_dot") in state.chips
    state.reset()
    assert state.chips == [] and tryon.sprite is None and state.sentences[-1] == "start over"


def test_a_rating_keeps_the_frame_and_never_a_picture(tryon, tmp_path):
    ratings = Ratings(tmp_path / "ratings.jsonl")
    state = MirrorState(tryon, MODES["phone"], ratings)
    tryon.forget()
    assert state.rate_garment(True) is None  # nothing worn, nothing to rate
    state.send("a red shirt")
    entry = state.rate_garment(False)
    assert entry["rating"] == "down" and entry["frame"]["color"] == "red"
    lines = (tmp_path / "ratings.jsonl").read_text().splitlines()
    assert json.loads(lines[-1])["frame"]["category"] == "shirt"
    assert [p.name for p in tmp_path.iterdir()] == ["ratings.jsonl"]  # no image anywhere


def test_a_scripted_session_writes_no_image_until_snapshot(tryon, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    state = MirrorState(tryon, MODES["kiosk"], Ratings(tmp_path / "r.jsonl"))
    photo = skimage.data.astronaut()
    for sentence in ("a blue shirt", "make it green", "换成长袖", "undo"):
        state.send(sentence)
        tryon.render(photo)
    state.rate_garment(True)
    assert not [p for p in tmp_path.rglob("*") if p.suffix in (".png", ".jpg", ".mp4")]
    shot = state.snapshot(tryon.render(photo)[0], tmp_path / "snaps")
    assert shot.exists() and [p.suffix for p in tmp_path.rglob("*.png")] == [".png"]


def test_the_kiosk_forgets_everything_when_idle(tryon):
    clock = Clock()
    state = MirrorState(tryon, MODES["kiosk"], clock=clock)
    state.send("a yellow dress")
    clock.now += 60
    assert not state.tick() and state.chips
    clock.now += 31  # 91 s without a touch
    assert state.tick()
    assert state.chips == [] and state.sentences == [] and tryon.sprite is None and tryon.session.history == []
    assert not tryon._sprites  # no generated garment kept either


def test_the_phone_never_idles_and_modes_are_checked():
    clock = Clock()
    timer = IdleTimer(MODES["phone"].idle_reset_s, clock)
    clock.now += 10**6
    assert not timer.expired()
    assert mode_config("kiosk").fullscreen and mode_config("phone").orientation == "portrait"
    with pytest.raises(ValueError, match="the modes are: phone, kiosk"):
        mode_config("tablet")


def test_readout_and_chips_of_nothing():
    rate = FrameRate()
    assert rate.text() == "—" and chips(None) == []
    for i in range(31):
        rate.add(shown_at=i / 30, captured_at=i / 30 - 0.04)
    assert rate.fps() == pytest.approx(30) and rate.text() == "30 fps · 40 ms"
    assert np.isclose(np.median(rate.latency_ms), 40)
