"""One utterance from one frame: choose each slot's language, realise, maybe correct a slot, add fillers."""

from __future__ import annotations

import random
from typing import NamedTuple

from models.schema import SLOTS, VALUES
from trainer.data import realise_en as en
from trainer.data import realise_zh as zh
from trainer.data.phrases import (
    CORRECT_EN,
    CORRECT_ZH,
    DISTRACTORS_EN,
    DISTRACTORS_ZH,
    NEGATE_EN_PREFIX,
    NEGATE_EN_SUFFIX,
    NEGATE_ZH_PREFIX,
    NEGATE_ZH_SUFFIX,
    NEW_EN,
    NEW_ZH,
    PREFIX_EN,
    PREFIX_ZH,
    RESET_EN,
    RESET_MIXED,
    RESET_ZH,
    SUFFIX_EN,
    SUFFIX_ZH,
    UNDO_EN,
    UNDO_MIXED,
    UNDO_ZH,
)
from trainer.data.realise_en import Langs, Said
from trainer.data.surface import bare_form, en_bare, zh_forms

CORRECTABLE = ("color", "size", "sleeve", "fit", "pattern", "material", "neckline", "length")
COMMANDS = {"undo": (UNDO_EN, UNDO_ZH, UNDO_MIXED), "reset": (RESET_EN, RESET_ZH, RESET_MIXED)}


def choose_langs(frame: dict, lang: str, rng: random.Random) -> tuple[str, Langs]:
    """(carrier language, slot -> language of its words). Mixed text switches at least one slot's words."""
    if lang != "mixed":
        return lang, lambda slot: lang
    carrier = rng.choice(("en", "zh"))
    other = "zh" if carrier == "en" else "en"
    said = [s for s in SLOTS[1:] if frame[s] is not None and s != "secondary_color"]
    switched = {s for s in said if rng.random() < 0.5}
    if said and not switched:
        switched.add(rng.choice(said))
    table = {s: other if s in switched else carrier for s in SLOTS}
    table["secondary_color"] = table["color"]  # one colour phrase, one language
    return carrier, table.__getitem__


def core_text(frame: dict, carrier: str, langs: Langs, rng: random.Random, said: Said,
              keep_free: frozenset = frozenset()) -> str:
    """The request itself, for intent new (a garment phrase in a carrier sentence) or modify."""
    if frame["intent"] == "new" and carrier == "en":
        return rng.choice(NEW_EN).format(np=en.garment_phrase(frame, rng, langs, said, keep_free))
    if frame["intent"] == "new":
        template = rng.choice(NEW_ZH)
        phrase, tail = zh.garment_phrase(frame, rng, langs, said, keep_free, first=template.startswith("{np}"))
        if template.endswith("{np}"):
            return zh.fill(template, phrase + tail, rng, "{np}")
        return zh.fill(template, phrase, rng, "{np}") + tail  # 有一件红色连衣裙吗，M码的
    if carrier == "en":
        return en.modify_request(frame, rng, langs, said)
    return zh.modify_request(frame, rng, langs, said)


def _has_forms(slot: str, value: str, category: str | None) -> bool:
    return bool(en_bare(slot, value, category)) and bool(zh_forms(slot, value, category))


def corrected_text(frame: dict, carrier: str, langs: Langs, rng: random.Random, said: Said) -> str | None:
    """A request that takes one value back: "a blue dress, no wait, green", "不要红色，要黑色", "not red, black".

    The label keeps only the value that stands; None when the frame has no slot that reads well corrected.
    """
    slots = [s for s in CORRECTABLE if frame[s] is not None
             and not (frame["secondary_color"] and s in ("color", "pattern"))]
    if not slots:
        return None
    slot = rng.choice(slots)
    category, right, lang = frame["category"], frame[slot], langs(slot)
    wrongs = [v for v in VALUES[slot] if v != right and _has_forms(slot, v, category)]
    wrong = rng.choice(wrongs)
    modify = frame["intent"] == "modify"
    fix = bare_form(slot, right, lang, rng, category, modify, in_english=carrier == "en")
    bad = bare_form(slot, wrong, lang, rng, category, in_english=carrier == "en")
    alone = modify and sum(frame[s] is not None for s in SLOTS[1:]) == 1
    style = rng.choices(("correct", "negate_after", "negate_first"), (0.6, 0.25, 0.15 if alone else 0.0))[0]
    if style == "negate_first":
        said.add(slot, fix)
        return rng.choice(NEGATE_EN_PREFIX if carrier == "en" else NEGATE_ZH_PREFIX).format(fix=fix, wrong=bad)
    if style == "negate_after":
        core = core_text(frame, carrier, langs, rng, said, frozenset({slot})).rstrip("?!.。？！ ")
        return rng.choice(NEGATE_EN_SUFFIX if carrier == "en" else NEGATE_ZH_SUFFIX).format(core=core, wrong=bad)
    core = core_text({**frame, slot: wrong}, carrier, langs, rng, said, frozenset({slot})).rstrip("?!.。？！ ")
    said.forms[slot] = [fix]  # the taken-back word stays in the text but not in the label
    return rng.choice(CORRECT_EN if carrier == "en" else CORRECT_ZH).format(core=core, fix=fix)


def command_text(intent: str, lang: str, rng: random.Random) -> str:
    english, chinese, mixed = COMMANDS[intent]
    return rng.choice({"en": english, "zh": chinese, "mixed": mixed}[lang])


def decorate(text: str, carrier: str, intent: str, rng: random.Random) -> str:
    """Fillers, politeness and distractors ("for a wedding", "周末穿") that set no slot."""
    en_carrier = carrier == "en"
    if intent in ("new", "modify") and rng.random() < 0.15:
        extra = rng.choice(DISTRACTORS_EN if en_carrier else DISTRACTORS_ZH)
        if rng.random() < 0.7:
            text = f"{text}{rng.choice((' ', ', ', ' - ')) if en_carrier else rng.choice(('，', '', ' '))}{extra}"
        else:
            text = f"{extra}{', ' if en_carrier else rng.choice(('，', ' ', ''))}{text}"
    if rng.random() < 0.2:
        prefix = rng.choice(PREFIX_EN if en_carrier else PREFIX_ZH).strip()
        sep = " " if en_carrier or prefix[-1] in ",，" else rng.choice(("，", "", " "))
        text = f"{prefix}{sep}{text}"
    if rng.random() < 0.18:
        suffix = rng.choice(SUFFIX_EN if en_carrier else SUFFIX_ZH)
        text = f"{text}{rng.choice((' ', ', ', ' ')) if en_carrier else rng.choice(('，', '', ' '))}{suffix}"
    return text


class Composed(NamedTuple):
    text: str  # before noise
    said: Said  # the words written for each slot
    corrected: bool  # a value was taken back and replaced
    carrier: str  # "en" or "zh": the language of the sentence around the slot words


def compose(frame: dict, lang: str, rng: random.Random, correction_rate: float = 0.08) -> Composed:
    """Words for one frame in `lang` ("en", "zh" or "mixed")."""
    said = Said()
    intent = frame["intent"]
    if intent in COMMANDS:
        carrier = "en" if lang == "en" else "zh"
        return Composed(decorate(command_text(intent, lang, rng), carrier, intent, rng), said, False, carrier)
    carrier, langs = choose_langs(frame, lang, rng)
    text = corrected_text(frame, carrier, langs, rng, said) if rng.random() < correction_rate else None
    corrected = text is not None
    if text is None:
        text = core_text(frame, carrier, langs, rng, said)
    text = text.replace("的的", "的")  # a form ending in 的 met a template adding one
    return Composed(decorate(text, carrier, intent, rng), said, corrected, carrier)
