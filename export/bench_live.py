"""`drape bench live`: the live pipeline on the sample clip, as the device runs it (edge_app only, no torch).

Two passes over the same decoded frames: "camera", fed at the clip's frame rate as a camera would, with sentences
said mid-clip to time text-to-screen; and "capacity", fed as fast as the pipeline takes frames, which is the
frame rate it could sustain. Frame latency runs from the camera handing over a frame to that frame on screen.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from edge_app.live import LivePipeline, Shown
from edge_app.media import open_video, read_video
from edge_app.tryon import build_tryon
from export.report import check_target, markdown_table

SAYS = ((0.0, "a red striped shirt"), (1.5, "make it navy"), (3.0, "a yellow dress"), (4.5, "undo"))
TARGETS = {"fps": 30.0, "frame_ms_p95": 60.0, "text_to_screen_ms": 150.0}


def _percentile(values, q: float) -> float | None:
    return float(np.percentile(list(values), q)) if values else None


def _text_to_screen(shown: list[Shown], said: list[tuple[float, int]]) -> list[float]:
    """For each sentence (said at, garment version it made): ms until the first frame drawn with it."""
    out = []
    for said_at, version in said:
        first = next((s.shown_at for s in shown if s.garment_version >= version and s.shown_at >= said_at), None)
        if first is not None:
            out.append(1000 * (first - said_at))
    return out


def run_pass(frames: list[np.ndarray], fps: float | None, says, **runtime) -> dict:
    """One pass of the pipeline over `frames`; `says` (seconds, text) after the first are said on this thread."""
    tryon = build_tryon(**runtime)
    tryon.say(says[0][1])  # a garment is worn from the first frame
    shown: list[Shown] = []
    pipeline = LivePipeline(tryon, frames, shown.append, fps).start()
    start, said = time.perf_counter(), []
    for at, text in says[1:]:
        time.sleep(max(0.0, start + at - time.perf_counter()))
        said.append((time.perf_counter(), tryon.version + 1))
        pipeline.say(text)
    pipeline.wait()
    tryon.tracker.close()
    span = shown[-1].shown_at - shown[0].shown_at if len(shown) > 1 else 0.0
    latency = [1000 * (s.shown_at - s.captured_at) for s in shown]
    t2s = _text_to_screen(shown, said)
    times = tryon.times
    return {"frames_captured": pipeline.captured_frames, "frames_shown": len(shown),
            "frames_with_garment": sum(not s.reason for s in shown),
            "fps": (len(shown) - 1) / span if span else None,
            "frame_ms_p50": _percentile(latency, 50), "frame_ms_p95": _percentile(latency, 95),
            "pose_ms": _percentile(times.pose, 50), "fit_ms": _percentile(times.fit, 50),
            "composite_ms": _percentile(times.composite, 50), "say_ms": _percentile(times.say, 50),
            "text_to_screen_ms": max(t2s) if t2s else None, "sentences_timed": len(t2s)}


def bench_live(clip: Path, **runtime) -> dict[str, dict]:
    """{"camera": ..., "capacity": ...} measured on `clip`; runtime: bundle, backend, precision, threads."""
    capture, info = open_video(clip)
    frames = list(read_video(capture))
    return {"camera": run_pass(frames, info.fps, SAYS, **runtime),
            "capacity": run_pass(frames, None, SAYS[:1], **runtime)}


COLUMNS = [("Pass", "name", None), ("fps", "fps", 1), ("frame ms p50", "frame_ms_p50", 1),
           ("frame ms p95", "frame_ms_p95", 1), ("pose ms", "pose_ms", 1), ("fit ms", "fit_ms", 1),
           ("composite ms", "composite_ms", 1), ("text-to-screen ms", "text_to_screen_ms", 0),
           ("shown / captured", "shown_of_captured", None)]


def format_live_table(results: dict[str, dict]) -> str:
    rows = [SimpleNamespace(name=name, shown_of_captured=f"{r['frames_shown']} / {r['frames_captured']}", **r)
            for name, r in results.items()]
    return markdown_table(COLUMNS, rows)


def live_targets(results: dict[str, dict]) -> list[str]:
    """One line per target: capacity fps, camera-pass p95 latency and text-to-screen."""
    camera, capacity = results["camera"], results["capacity"]
    return [check_target("capacity fps", capacity["fps"], TARGETS["fps"], "fps", higher_is_better=True),
            check_target("camera p95 frame latency", camera["frame_ms_p95"], TARGETS["frame_ms_p95"], "ms"),
            check_target("text-to-screen, worst sentence", camera["text_to_screen_ms"], TARGETS["text_to_screen_ms"],
                         "ms")]
