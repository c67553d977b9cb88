"""Lookups over the lexicon: which words may express a slot value for a given garment, in a given language."""

from __future__ import annotations

import random
from functools import cache

from trainer.data.lexicon import (
    CATEGORY_EN,
    CATEGORY_ZH,
    COLOR_EN,
    COLOR_ZH,
    COLOR_ZH_SHORT,
    COMPOUND_EN,
    COMPOUND_ZH,
    DEFAULT_MEASURE_ZH,
    EN_FORMS,
    EN_GARMENT_EXTRA,
    EN_MODIFY_ONLY,
    EN_RESTRICTED,
    MEASURE_ZH,
    TWO_COLOUR_EN,
    TWO_COLOUR_ZH,
    ZH_FORMS,
    ZH_GARMENT_EXTRA,
    ZH_MODIFY_ONLY,
    ZH_RESTRICTED,
)

COLOUR_SLOTS = ("color", "secondary_color")


def _fits(form: str, category: str | None, restricted: dict[str, frozenset]) -> bool:
    allowed = restricted.get(form)
    return allowed is None or category in allowed


def _garment_extra(table: dict, restricted: dict, slot: str, value: str, category: str | None) -> tuple[str, ...]:
    by_garment = table.get(slot, {}).get(value, {})
    if category is not None:
        return by_garment.get(category, ())
    # No garment named: offer the garment-bound forms that still read unambiguously ("make it wide-leg").
    return tuple(dict.fromkeys(f for forms in by_garment.values() for f in forms if None in restricted.get(f, ())))


def en_forms(slot: str, value: str, kind: str, category: str | None = None) -> tuple[str, ...]:
    """English forms of one kind ("adj", "noun", "post") for slot=value that fit the garment `category`."""
    if slot in COLOUR_SLOTS:
        return COLOR_EN[value] if kind in ("adj", "noun") else ()
    forms = EN_FORMS[slot][value].get(kind, ())
    if kind == "adj":
        forms = forms + _garment_extra(EN_GARMENT_EXTRA, EN_RESTRICTED, slot, value, category)
    return tuple(f for f in forms if _fits(f, category, EN_RESTRICTED))


def en_bare(slot: str, value: str, category: str | None = None, modify: bool = False) -> tuple[str, ...]:
    """Forms that stand alone ("red", "long sleeves", "looser"): adjectives and nouns."""
    extra = EN_MODIFY_ONLY.get(slot, {}).get(value, ()) if modify else ()
    return en_forms(slot, value, "adj", category) + en_forms(slot, value, "noun", category) + extra


def zh_forms(slot: str, value: str, category: str | None = None, modify: bool = False,
             in_english: bool = False) -> tuple[str, ...]:
    """Chinese forms; `in_english` keeps those with Chinese characters ("M码", not "M") for English sentences."""
    if slot in COLOUR_SLOTS:
        return COLOR_ZH[value]
    extra = ZH_MODIFY_ONLY.get(slot, {}).get(value, ()) if modify else ()
    forms = ZH_FORMS[slot][value] + _garment_extra(ZH_GARMENT_EXTRA, ZH_RESTRICTED, slot, value, category) + extra
    return tuple(f for f in forms if _fits(f, category, ZH_RESTRICTED) and not (in_english and f.isascii()))


def bare_form(slot: str, value: str, lang: str, rng: random.Random, category: str | None = None,
              modify: bool = False, in_english: bool = False) -> str:
    """One standalone word or phrase for slot=value in `lang` (Chinese words inside English: `in_english`)."""
    if lang == "en":
        return rng.choice(en_bare(slot, value, category, modify))
    return rng.choice(zh_forms(slot, value, category, modify, in_english))


def _garments(lang: str) -> list[tuple[str, dict[str, str]]]:
    plain = CATEGORY_EN if lang == "en" else CATEGORY_ZH
    compounds = COMPOUND_EN if lang == "en" else COMPOUND_ZH
    return [(noun, {"category": c}) for c, nouns in plain.items() for noun in nouns] + list(compounds.items())


@cache
def _garments_cached(lang: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    return tuple((noun, tuple(sorted(partial.items()))) for noun, partial in _garments(lang))


def pick_garment(frame: dict, lang: str, rng: random.Random, keep_free: frozenset = frozenset(),
                 compound_rate: float = 0.75) -> tuple[str, dict[str, str]]:
    """A garment noun whose implied slots all agree with `frame`, and those slots.

    A compound ("jeans") is only eligible when the frame holds every slot it implies, so the words never
    say more than the label; slots in `keep_free` must be left for other words (a correction names them).
    """
    options = [(noun, dict(partial)) for noun, partial in _garments_cached(lang)
               if all(frame.get(k) == v for k, v in partial) and not keep_free & dict(partial).keys() - {"category"}]
    compounds = [o for o in options if len(o[1]) > 1]
    plain = [o for o in options if len(o[1]) == 1]
    if compounds and rng.random() < compound_rate:
        return rng.choice(compounds)
    return rng.choice(plain)


def zh_measure(category: str, rng: random.Random) -> str:
    choices = MEASURE_ZH.get(category, DEFAULT_MEASURE_ZH)
    return choices[0] if rng.random() < 0.7 else rng.choice(choices)


def is_plural_en(noun: str) -> bool:
    """"jeans", "shorts", "chinos" take "some"/"a pair of" rather than "a"."""
    last = noun.split()[-1].lower()
    return last.isascii() and last.endswith("s") and not last.endswith("ss")


@cache
def surface_forms(slot: str, value: str) -> frozenset[str]:
    """Every word or phrase in the lexicon that may express slot=value (for checking labels against text)."""
    forms: set[str] = set()
    if slot == "category":
        forms |= set(CATEGORY_EN[value]) | set(CATEGORY_ZH[value])
    elif slot in COLOUR_SLOTS:
        forms |= set(COLOR_EN[value]) | set(COLOR_ZH[value]) | {COLOR_ZH_SHORT.get(value, COLOR_ZH[value][0])}
    else:
        for kind_forms in EN_FORMS[slot][value].values():
            forms |= set(kind_forms) | {f.removeprefix("with ") for f in kind_forms}
        for table in (EN_GARMENT_EXTRA, ZH_GARMENT_EXTRA):
            for garment_forms in table.get(slot, {}).get(value, {}).values():
                forms |= set(garment_forms)
        forms |= set(EN_MODIFY_ONLY.get(slot, {}).get(value, ())) | set(ZH_MODIFY_ONLY.get(slot, {}).get(value, ()))
        forms |= set(ZH_FORMS[slot][value])
        if slot == "pattern":
            forms |= set(TWO_COLOUR_EN.get(value, ())) | set(TWO_COLOUR_ZH.get(value, ()))
    for table in (COMPOUND_EN, COMPOUND_ZH):
        forms |= {noun for noun, partial in table.items() if partial.get(slot) == value}
    return frozenset(forms)
