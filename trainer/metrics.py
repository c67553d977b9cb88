"""Parser quality: frame accuracy (all eleven keys right) and slot F1 over the slots that are set."""

from __future__ import annotations

from collections.abc import Sequence

Frame = dict[str, str | None]


def frame_accuracy(predicted: Sequence[Frame], gold: Sequence[Frame]) -> float:
    if len(predicted) != len(gold) or not gold:
        raise ValueError(f"need as many predictions as gold frames, got {len(predicted)} and {len(gold)}")
    return sum(p == g for p, g in zip(predicted, gold, strict=True)) / len(gold)


def slot_f1(predicted: Sequence[Frame], gold: Sequence[Frame]) -> float:
    """Micro F1 over (slot, value) pairs that are not null; intent counts as a slot."""
    tp = fp = fn = 0
    for p, g in zip(predicted, gold, strict=True):
        for key in g:
            if p.get(key) is not None and p.get(key) == g[key]:
                tp += 1
                continue
            fp += p.get(key) is not None
            fn += g[key] is not None
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def parser_scores(predicted: Sequence[Frame], gold: Sequence[Frame]) -> dict[str, float]:
    return {"frame_acc": frame_accuracy(predicted, gold), "slot_f1": slot_f1(predicted, gold)}
