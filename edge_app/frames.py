"""Logits to frames on the device: the slot layout comes from the bundle's manifest, never from training code."""

from __future__ import annotations

import numpy as np

Frame = dict[str, str | None]


def decode_logits(logits: np.ndarray, layout: list[dict]) -> Frame:
    """One utterance's logits (sum of slot sizes,) -> frame: each slot takes its highest-scoring label."""
    frame, start = {}, 0
    for slot in layout:
        labels = slot["labels"]
        frame[slot["name"]] = labels[int(np.argmax(logits[start : start + len(labels)]))]
        start += len(labels)
    if start != logits.shape[-1]:
        raise ValueError(f"model gives {logits.shape[-1]} logits but the manifest's slot layout has {start}")
    return frame


def encode_frame(frame: Frame, layout: list[dict]) -> list[int]:
    """Frame -> class index per slot (the inverse of decode_logits), for labels and soft targets."""
    return [slot["labels"].index(frame.get(slot["name"])) for slot in layout]


def frame_from_json(text: str, taxonomy: dict) -> Frame:
    """A frame given as JSON, checked against the bundle's taxonomy; a bad key or value names itself."""
    import json

    from edge_app.errors import DrapeError

    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise DrapeError(f"--frame is not valid JSON ({err.msg} at character {err.pos})") from None
    if not isinstance(data, dict):
        raise DrapeError("--frame is a JSON object, e.g. '{\"category\": \"dress\", \"color\": \"navy\"}'")
    values = taxonomy["values"]
    for key, value in data.items():
        if key not in values:
            raise DrapeError(f"--frame key {key!r} is not one of: {', '.join(values)}")
        if value is not None and value not in values[key]:
            raise DrapeError(f"--frame {key}={value!r} is not one of: {', '.join(values[key])}")
    return {key: data.get(key, "new" if key == "intent" else None) for key in values}
