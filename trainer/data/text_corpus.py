"""The parser's synthetic corpus: utterances in English, Chinese and code-mixed text, each with its gold frame.

Each example is made in three steps: sample a frame (intent, garment, attributes), realise it in words
(compose.py over the lexicon and phrase tables), add typing noise (noise.py). The frame is the label and
the words are chosen to say exactly it: a slot is never set that the text does not express.

    generate_corpus(n, seed) -> [{"text": str, "frame": {eleven keys}}, ...]
    write_corpus(path, n, seed) writes the same rows as JSON Lines.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from models.schema import SLOTS, VALUES, Frame
from trainer.data.compose import compose
from trainer.data.lexicon import COMPOUND_EN, COMPOUND_ZH, TWO_COLOUR_EN
from trainer.data.noise import add_noise
from trainer.data.off_topic import NOTHING, off_topic_utterance

INTENT_WEIGHTS = {"new": 0.55, "modify": 0.30, "undo": 0.08, "reset": 0.07}
LANG_WEIGHTS = {"en": 0.45, "zh": 0.35, "mixed": 0.20}
OFF_TOPIC_SHARE = 0.03  # greetings, emoji, other languages: "nothing understood" (see off_topic.py)
NEW_EXTRAS = (0.12, 0.2, 0.22, 0.18, 0.12, 0.08, 0.05, 0.03)  # P(k attributes beside the garment), k = 0..7
MODIFY_ATTRIBUTES = (0.45, 0.28, 0.14, 0.07, 0.04, 0.02)  # P(k attributes), k = 1..6
MAX_SLOTS = 8
# "two_colour" sets colour and second colour together (and often the pattern they make).
ATTRIBUTE_WEIGHTS = {"color": 3.0, "two_colour": 0.9, "pattern": 1.3, "material": 1.3, "sleeve": 1.2,
                     "neckline": 1.0, "length": 1.0, "fit": 1.2, "size": 1.2}
COMPOUND_RATE = 0.25  # new frames seeded from a compound noun's slots ("jeans": denim trousers)
TWO_COLOUR_PATTERN_RATE = 0.6
MAX_TOKENS = 44  # the parser reads 48 tokens (a CJK character is one); keep room for noise

# Attributes a garment cannot carry (a skirt has no sleeves), and the lengths a garment has.
_BOTTOMS = frozenset({"skirt", "trousers", "shorts"})
NOT_FOR: dict[str, frozenset] = {"sleeve": _BOTTOMS, "neckline": _BOTTOMS | {"jacket", "coat", "blazer", "hoodie"}}
LENGTHS_FOR: dict[str, tuple[str, ...]] = {"dress": VALUES["length"], "skirt": VALUES["length"],
                                           "coat": VALUES["length"], "trousers": ("midi", "long")}
COMPOUND_FRAMES: tuple[dict[str, str], ...] = tuple(
    dict(items) for items in dict.fromkeys(tuple(sorted(p.items())) for p in (*COMPOUND_EN.values(),
                                                                              *COMPOUND_ZH.values())))
_TOKEN = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]|[^\sa-z0-9]")


@dataclass(frozen=True)
class Example:
    """One utterance and its frame, with what the generator knows about how it was written."""

    text: str
    frame: dict[str, str | None]
    lang: str  # "en", "zh", "mixed", or "other" for off-topic text
    said: dict[str, list[str]]  # slot -> the words written for it, before noise
    typo: bool  # a letter typo was put in
    corrected: bool  # the text takes one value back ("blue, no wait, green")

    def row(self) -> dict:
        return {"text": self.text, "frame": dict(self.frame)}


def _weighted(weights: dict[str, float] | tuple[float, ...], rng: random.Random):
    if isinstance(weights, dict):
        return rng.choices(tuple(weights), tuple(weights.values()))[0]
    return rng.choices(range(len(weights)), weights)[0]


def allowed_values(slot: str, category: str | None) -> tuple[str, ...]:
    """Values `slot` may take on `category` (any garment when None); empty when the garment has no such part."""
    if category is not None and category in NOT_FOR.get(slot, ()):
        return ()
    if slot == "length" and category is not None:
        return LENGTHS_FOR.get(category, ())
    return VALUES[slot]


def _count(frame: dict) -> int:
    return sum(frame[s] is not None for s in SLOTS[1:])


def _open(frame: dict, attribute: str) -> bool:
    if attribute == "two_colour":
        pattern_ok = frame["pattern"] is None or frame["pattern"] in TWO_COLOUR_EN
        return frame["secondary_color"] is None and pattern_ok and _count(frame) + 2 <= MAX_SLOTS
    return frame[attribute] is None and bool(allowed_values(attribute, frame["category"]))


def _add_two_colour(frame: dict, rng: random.Random) -> None:
    frame["color"] = frame["color"] or rng.choice(VALUES["color"])
    frame["secondary_color"] = rng.choice([c for c in VALUES["color"] if c != frame["color"]])
    if frame["pattern"] is None and _count(frame) < MAX_SLOTS and rng.random() < TWO_COLOUR_PATTERN_RATE:
        frame["pattern"] = rng.choice(tuple(TWO_COLOUR_EN))


def add_attributes(frame: dict, k: int, rng: random.Random) -> None:
    """Set up to k more attributes, drawn by ATTRIBUTE_WEIGHTS among those the garment can carry."""
    for _ in range(k):
        options = {a: w for a, w in ATTRIBUTE_WEIGHTS.items() if _open(frame, a)}
        if not options or _count(frame) >= MAX_SLOTS:
            return
        attribute = _weighted(options, rng)
        if attribute == "two_colour":
            _add_two_colour(frame, rng)
            continue
        values = allowed_values(attribute, frame["category"])
        if attribute == "pattern" and frame["secondary_color"]:
            values = tuple(TWO_COLOUR_EN)  # two colours are never "solid"
        frame[attribute] = rng.choice(values)


def sample_frame(intent: str, rng: random.Random) -> dict[str, str | None]:
    """A frame with all eleven keys: undo/reset set only the intent; new names a garment; modify does not."""
    frame: dict[str, str | None] = {s: None for s in SLOTS}
    frame["intent"] = intent
    if intent == "new":
        if rng.random() < COMPOUND_RATE:
            frame.update(rng.choice(COMPOUND_FRAMES))
        else:
            frame["category"] = rng.choice(VALUES["category"])
        add_attributes(frame, _weighted(NEW_EXTRAS, rng), rng)
    elif intent == "modify":
        add_attributes(frame, 1 + _weighted(MODIFY_ATTRIBUTES, rng), rng)
    return frame


def token_count(text: str) -> int:
    """About how many tokens the parser's tokenizer makes of `text` (a Latin word or one CJK character each)."""
    return len(_TOKEN.findall(text.lower()))


def make_example(rng: random.Random) -> Example:
    if rng.random() < OFF_TOPIC_SHARE:
        return Example(off_topic_utterance(rng), dict(NOTHING), "other", {}, False, False)
    intent = _weighted(INTENT_WEIGHTS, rng)
    lang = _weighted(LANG_WEIGHTS, rng)
    frame = sample_frame(intent, rng)
    composed = compose(frame, lang, rng)
    for _ in range(3):  # long Chinese with fillers can overrun the parser's window: write it again
        if token_count(composed.text) <= MAX_TOKENS:
            break
        composed = min(composed, compose(frame, lang, rng), key=lambda c: token_count(c.text))
    text, typo = add_noise(composed.text, lang, composed.carrier, rng)
    frame = Frame.from_dict(frame).to_dict()  # the taxonomy is the judge of every label
    return Example(text, frame, lang, composed.said.forms, typo, composed.corrected)


def iter_examples(n: int, seed: int) -> Iterator[Example]:
    """n examples; the same (n, seed) always gives the same examples, in the same order."""
    rng = random.Random(seed)
    for _ in range(n):
        yield make_example(rng)


def generate_examples(n: int, seed: int) -> list[Example]:
    return list(iter_examples(n, seed))


def generate_corpus(n: int, seed: int) -> list[dict]:
    """n rows {"text": str, "frame": dict with all eleven keys}, deterministic for `seed`."""
    return [example.row() for example in iter_examples(n, seed)]


def write_corpus(path: str | Path, n: int, seed: int,
                 progress: Callable[[int, int], None] | None = None) -> int:
    """Write generate_corpus(n, seed) to `path` as JSON Lines (UTF-8, not escaped); returns rows written.

    `progress(done, total)` is called every 1000 rows and at the end.
    """
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for i, example in enumerate(iter_examples(n, seed), 1):
            out.write(json.dumps(example.row(), ensure_ascii=False) + "\n")
            if progress is not None and (i % 1000 == 0 or i == n):
                progress(i, n)
    tmp.replace(path)  # a crash never leaves a half-written corpus under the real name
    return n
