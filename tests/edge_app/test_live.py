"""The threaded live pipeline: the newest frame wins, nothing queues, sentences reach the screen."""

import threading

from edge_app.live import Latest, LivePipeline
from edge_app.tryon import build_tryon
from export.bench_live import format_live_table, live_targets, run_pass
from tools.sample_clip import sample_frames


def test_latest_keeps_only_the_newest_item_and_ends_when_closed():
    box = Latest()
    for i in range(5):
        box.put(i)
    assert box.get(0) == (5, 4)  # four were overwritten, never queued
    done = []
    reader = threading.Thread(target=lambda: done.append(box.get(5)))
    reader.start()
    box.close()
    reader.join(2)
    assert done == [None]


def test_frames_are_drawn_in_order_when_the_source_waits_for_pose():
    frames = list(sample_frames(seconds=1.0, fps=8, size=(240, 320)))
    tryon = build_tryon(precision="fp32")
    tryon.say("a blue shirt")
    shown = []
    pipeline = LivePipeline(tryon, frames, shown.append, fps=None).start()
    pipeline.wait(60)
    # pose takes every frame; drawing may skip one that pose overtook while it drew (the newest wins)
    assert pipeline.captured_frames == len(frames) == 8 and 6 <= len(shown) <= 8
    assert all(a.captured_at < b.captured_at for a, b in zip(shown, shown[1:], strict=False))
    assert sum(not s.reason for s in shown) >= len(shown) - 2  # the astronaut is dressed
    assert all(s.image.shape == (240, 320, 3) and s.shown_at >= s.captured_at for s in shown)


def test_a_sentence_reaches_the_screen_and_is_timed():
    frames = list(sample_frames(seconds=1.2, fps=10, size=(240, 320)))
    result = run_pass(frames, 10.0, ((0.0, "a blue shirt"), (0.4, "make it green")), precision="fp32")
    assert result["sentences_timed"] == 1 and result["text_to_screen_ms"] > 0
    assert result["frames_shown"] <= result["frames_captured"] == 12  # dropped, never queued
    table = format_live_table({"camera": result, "capacity": result})
    assert table.count("\n") == 3 and "| camera |" in table
    assert len(live_targets({"camera": result, "capacity": result})) == 3
