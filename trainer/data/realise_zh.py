"""A frame in Chinese words: garment phrases ("一件白色宽松的纯棉短袖T恤，M码") and modify requests ("换成长袖").

Slots whose `langs(slot)` is "en" get English words inside the Chinese sentence ("来一件oversize的hoodie").
"""

from __future__ import annotations

import random

from trainer.data.lexicon import COLOR_ZH_SHORT, TWO_COLOUR_ZH
from trainer.data.phrases import MODIFY_ZH, MODIFY_ZH_SLOT, ZH_POST, ZH_POST_SIZE, ZH_QUANTIFIERS
from trainer.data.realise_en import Langs, Said
from trainer.data.surface import bare_form, en_bare, pick_garment, zh_forms, zh_measure

# Attribute order in a Chinese phrase: 白色 宽松 纯棉 条纹 短袖 圆领 T恤.
ZH_ORDER = ("size", "color", "fit", "length", "material", "pattern", "sleeve", "neckline")
# How often an attribute follows the noun as its own clause ("连衣裙，M码的") instead of preceding it.
POST_RATE = {"size": 0.6, "color": 0.15, "length": 0.25}
_GROUND_PATTERNS = ("striped", "polka_dot", "floral", "plaid")  # 红底白点: a ground colour and a figure colour


def _compact_pair(c1: str, c2: str) -> bool:
    """黑白, 红白, 蓝白 read as two colours; 粉红, 蓝绿, 棕红, 灰白 read as one, so only pairs with white."""
    return "white" in (c1, c2) and "gray" not in (c1, c2) and c1 in COLOR_ZH_SHORT and c2 in COLOR_ZH_SHORT


def _ascii_edge(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a[-1].isascii() and b[0].isascii()


def join_zh(pieces: list[str], rng: random.Random) -> str:
    """Concatenate; Latin words next to each other need a space, next to Chinese they sometimes get one."""
    text = ""
    for piece in pieces:
        if not piece:
            continue
        if _ascii_edge(text, piece) and text[-1].isalnum() and piece[0].isalnum():
            text += " "
        elif text and (text[-1].isascii() != piece[0].isascii()) and rng.random() < 0.3:
            text += " "
        text += piece
    return text


def word(slot: str, value: str, category: str | None, lang: str, rng: random.Random, said: Said,
         modify: bool = False) -> str:
    if lang == "en":  # "a floral pattern" reads badly inside Chinese: keep English words without articles
        forms = en_bare(slot, value, category, modify)
        form = rng.choice([f for f in forms if not f.startswith(("a ", "an "))] or forms)
    else:
        form = rng.choice(zh_forms(slot, value, category, modify))
    said.add(slot, form)
    return form


def with_de(mods: list[str], rng: random.Random) -> list[str]:
    """Add 的 after some modifiers, the way people type it: 白色的宽松T恤, 白色宽松的T恤, 白色宽松T恤."""
    out = []
    for i, mod in enumerate(mods):
        rate = 0.5 if i == len(mods) - 1 else 0.25
        out.append(mod + "的" if not mod.endswith("的") and rng.random() < rate else mod)
    return out


def two_colour(frame: dict, rng: random.Random, langs: Langs, said: Said,
               with_pattern: bool = True) -> tuple[str, bool]:
    """黑白条纹, 红底白点, 藏青和白色的格子, 黑色配白色: (phrase, whether the pattern was said)."""
    c1, c2 = frame["color"], frame["secondary_color"]
    pattern = frame["pattern"] if with_pattern and frame["pattern"] in TWO_COLOUR_ZH else None
    lang = langs("color")
    short = lang == "zh" and _compact_pair(c1, c2) and rng.random() < 0.6
    w1 = COLOR_ZH_SHORT[c1] if short else bare_form("color", c1, lang, rng)
    w2 = COLOR_ZH_SHORT[c2] if short else bare_form("color", c2, lang, rng)
    said.add("color", w1)
    said.add("secondary_color", w2)
    if short:
        pair = w1 + w2 + rng.choice(("", "", "相间的")) if pattern in ("striped", "plaid") else w1 + w2
    else:
        pair = join_zh([w1, rng.choice(("和", "配", "和", " and ", "/")), w2], rng)  # not 加: 加大 is a size
    if pattern is None:
        return pair, False
    if pattern in _GROUND_PATTERNS and langs("pattern") == "zh" and rng.random() < 0.35:
        figure = rng.choice(TWO_COLOUR_ZH[pattern])
        said.add("pattern", figure)
        return f"{w1}底{w2}{figure}", True
    pattern_word = word("pattern", pattern, None, langs("pattern"), rng, said)
    return join_zh([pair, rng.choice(("", "的", "")), pattern_word], rng), True


def garment_phrase(frame: dict, rng: random.Random, langs: Langs, said: Said,
                   keep_free: frozenset = frozenset(), first: bool = False) -> tuple[str, str]:
    """(一件白色宽松的纯棉T恤, ，M码的): the garment with every attribute of `frame`, and the clauses after it.

    The clauses are returned apart so a carrier with words after the garment ("有…吗") can end with them.
    `first`: the phrase opens the sentence, where a bare measure word ("件T恤") reads badly.
    """
    category = frame["category"]
    other_lang = frozenset(s for s in frame if langs(s) != langs("category"))  # a compound speaks one language
    noun, implied = pick_garment(frame, langs("category"), rng, keep_free | other_lang)
    for slot in implied:
        said.add(slot, noun)
    covered = set(implied)
    mods: list[str] = []
    posts: list[str] = []
    if frame["secondary_color"]:
        phrase, said_pattern = two_colour(frame, rng, langs, said, "pattern" not in covered)
        mods.append(phrase)
        covered |= {"color", "secondary_color"} | ({"pattern"} if said_pattern else set())
    for slot in ZH_ORDER:
        if frame[slot] is None or slot in covered:
            continue
        text = word(slot, frame[slot], category, langs(slot), rng, said)
        if rng.random() < POST_RATE.get(slot, 0.12):
            posts.append(rng.choice(ZH_POST_SIZE if slot == "size" else ZH_POST).format(x=text))
        else:
            mods.append(text)
    if len(mods) > 1 and rng.random() < 0.3:
        rng.shuffle(mods)
    quantifiers = [q for q in ZH_QUANTIFIERS if q != "{m}"] if first else ZH_QUANTIFIERS
    quantity = rng.choice(quantifiers).format(m=zh_measure(category, rng))
    return join_zh([quantity, *with_de(mods, rng), noun], rng), "".join(posts)


def modify_request(frame: dict, rng: random.Random, langs: Langs, said: Said) -> str:
    """换成长袖, 改成宽松一点的, 颜色换成藏青: a change that names no garment."""
    slots = [s for s in ZH_ORDER if frame[s] is not None]
    if len(slots) == 1 and not frame["secondary_color"] and rng.random() < 0.35:
        slot = slots[0]
        text = word(slot, frame[slot], None, langs(slot), rng, said, modify=True)
        return fill(rng.choice(MODIFY_ZH_SLOT[slot]), text, rng)
    pieces: list[str] = []
    covered: set[str] = set()
    if frame["secondary_color"]:
        phrase, said_pattern = two_colour(frame, rng, langs, said)
        pieces.append(phrase)
        covered |= {"color", "secondary_color"} | ({"pattern"} if said_pattern else set())
    pieces += [word(s, frame[s], None, langs(s), rng, said, modify=True) for s in slots if s not in covered]
    if len(pieces) > 1 and rng.random() < 0.4:
        rng.shuffle(pieces)
    sep = rng.choice(("", "", "、", "，", " ", "的"))
    joined = join_zh([p + (sep if i < len(pieces) - 1 else "") for i, p in enumerate(pieces)], rng)
    return fill(rng.choice(MODIFY_ZH), joined, rng)


def fill(template: str, text: str, rng: random.Random, slot: str = "{x}") -> str:
    """Put `text` into a Chinese template, spacing Latin words from their neighbours where needed."""
    before, after = template.split(slot)
    return join_zh([before, text, after], rng)
