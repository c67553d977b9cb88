"""Typing noise that real shoppers produce: letter typos, casing, punctuation, spacing and emoji.

None of it changes the label: a typo keeps the meant word's label, so the parser learns to read through it.
"""

from __future__ import annotations

import random
import re

from trainer.data.phrases import EMOJI

_LATIN_WORD = re.compile(r"[A-Za-z]{4,}")
_HALF_WIDTH = {"，": ", ", "。": ". ", "？": "? ", "！": "! ", "：": ": "}
_FULL_WIDTH = {", ": "，", "?": "？", "!": "！"}
_ENDINGS_EN = ("", "", "", "", ".", "!", "?", "!!", "...", " :)", "?!", " !")
_ENDINGS_ZH = ("", "", "", "。", "！", "？", "~", "～", "!", "?", "…", "。。")
TYPO_RATE = {"en": 0.12, "zh": 0.0, "mixed": 0.08}


def typo(word: str, rng: random.Random) -> str:
    """Swap two neighbouring letters, drop one, or double one (never the first letter)."""
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("swap", "drop", "double"))
    if op == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def add_typo(text: str, rng: random.Random) -> tuple[str, bool]:
    words = list(_LATIN_WORD.finditer(text))
    if not words:
        return text, False
    match = rng.choice(words)
    changed = typo(match.group(), rng)
    return text[: match.start()] + changed + text[match.end():], changed != match.group()


def _title(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def casing(text: str, rng: random.Random) -> str:
    mode = rng.choices(("keep", "lower", "sentence", "upper", "title"), (0.3, 0.3, 0.27, 0.06, 0.07))[0]
    if mode == "lower":
        return text.lower()
    if mode == "sentence":
        return text[:1].upper() + text[1:]
    if mode == "upper":
        return text.upper()
    if mode == "title":
        return _title(text)
    return text


def punctuation(text: str, carrier: str, rng: random.Random) -> str:
    if carrier == "zh" and rng.random() < 0.25:  # many type Chinese with half-width punctuation
        for full, half in _HALF_WIDTH.items():
            text = text.replace(full, half if rng.random() < 0.6 else half.strip())
    elif carrier == "zh" and rng.random() < 0.08:
        text = text.replace("，", " ")
    elif carrier == "en" and rng.random() < 0.04:  # a Chinese input method left on
        for half, full in _FULL_WIDTH.items():
            text = text.replace(half, full)
    if text and (text[-1].isalnum() or ord(text[-1]) > 0x2E80):
        text += rng.choice(_ENDINGS_EN if carrier == "en" else _ENDINGS_ZH)
    return text


def spacing(text: str, rng: random.Random) -> str:
    if rng.random() < 0.1:
        text = text.replace(", ", ",")
    if rng.random() < 0.06 and " " in text:
        i = rng.choice([m.start() for m in re.finditer(" ", text)])
        text = text[:i] + "  " + text[i + 1:]
    if rng.random() < 0.04:
        text = rng.choice((" ", "", "  ")) + text + rng.choice((" ", "  ", ""))
    return text


def emoji(text: str, rng: random.Random) -> str:
    if rng.random() >= 0.12:
        return text
    marks = "".join(rng.choice(EMOJI) for _ in range(rng.choice((1, 1, 2, 3))))
    if rng.random() < 0.75:
        return text + rng.choice(("", " ")) + marks
    return marks + rng.choice(("", " ")) + text


def add_noise(text: str, lang: str, carrier: str, rng: random.Random) -> tuple[str, bool]:
    """(noisy text, whether a typo was put in)."""
    typed = False
    if rng.random() < TYPO_RATE[lang]:
        text, typed = add_typo(text, rng)
    text = casing(text, rng)
    text = punctuation(text, carrier, rng)
    text = spacing(text, rng)
    return emoji(text, rng), typed
