"""A frame in English words: garment noun phrases ("a navy striped linen shirt with long sleeves, size M")
and modify requests ("make it red", "can I see it in plaid").

`langs(slot)` says which language each slot's words are in, so the same code writes code-mixed text
("a 红色 dress"). Every word written for a slot is recorded in `Said`, which tests compare to the text.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from trainer.data.lexicon import EN_PREPOSITIONS, TWO_COLOUR_EN
from trainer.data.phrases import MODIFY_EN, MODIFY_EN_SLOT
from trainer.data.surface import bare_form, en_bare, en_forms, is_plural_en, pick_garment, zh_forms

Langs = Callable[[str], str]  # slot -> "en" | "zh": the language of that slot's words

# Attribute order in an English noun phrase: "an oversized knee-length navy striped linen v-neck dress".
EN_ORDER = ("size", "fit", "length", "color", "pattern", "material", "neckline", "sleeve")
# How often each attribute goes before the noun rather than after it ("with long sleeves", "in size M").
PRE_BIAS = {"color": 0.75, "pattern": 0.6, "material": 0.7, "sleeve": 0.5, "neckline": 0.5, "length": 0.55,
            "fit": 0.6, "size": 0.2}
_PAIR_JOIN = (" and ", " and ", "-and-", " & ", "/")
_VOWEL_LETTERS = set("FHLMNRSX")  # letters read with a leading vowel sound: "an XL", "an M"


@dataclass
class Said:
    """The words written for each slot (before noise), so labels can be checked against the text."""

    forms: dict[str, list[str]] = field(default_factory=dict)

    def add(self, slot: str, text: str) -> None:
        self.forms.setdefault(slot, []).append(text)


def article(next_word: str, rng: random.Random) -> str:
    choice = rng.choice(("a", "a", "a", "a", "", "the", "one"))
    if choice != "a" or not next_word:
        return choice
    first = next_word.split()[0]
    if first[0].lower() in "aeiou" or (first.isupper() and first[0] in _VOWEL_LETTERS):
        return "an"
    return "a"


def determiner(next_word: str, plural: bool, rng: random.Random) -> str:
    if plural:
        return rng.choice(("", "", "some", "a pair of", "the"))
    return article(next_word, rng)


def modifier(slot: str, value: str, category: str | None, lang: str, rng: random.Random, said: Said,
             pre_bias: float | None = None) -> tuple[bool, str]:
    """(before the noun?, phrase) for one attribute."""
    bias = PRE_BIAS[slot] if pre_bias is None else pre_bias
    if lang == "zh":
        form = rng.choice(zh_forms(slot, value, category, in_english=True))
        said.add(slot, form)
        if slot in ("color", "material", "pattern", "size") and rng.random() > bias:
            return False, f"in {form}"
        return True, form
    adj, noun, post = (en_forms(slot, value, kind, category) for kind in ("adj", "noun", "post"))
    if adj and (rng.random() < bias or not (noun or post)):
        form = rng.choice(adj)
        said.add(slot, form)
        return True, form
    if post and (rng.random() < 0.35 or not noun):
        form = rng.choice(post)
        said.add(slot, form.removeprefix("with "))  # two "with" phrases may merge into one
        return False, form
    form = rng.choice(noun)
    said.add(slot, form)
    prep = "," if rng.random() < 0.12 else rng.choice(EN_PREPOSITIONS[slot])
    if slot == "size" and form.startswith("size") and rng.random() < 0.5:
        prep = ""
    return False, f"{prep} {form}" if prep else form


def two_colour(frame: dict, rng: random.Random, langs: Langs, said: Said, kind: str,
               with_pattern: bool = True) -> tuple[str | None, str | None, bool]:
    """Colour, second colour (and the pattern they make): ("navy and white striped", None, True) and the like.

    Returns (phrase before the noun, phrase after it, whether the pattern was said). `kind` is "np" for a noun
    phrase, else the modify form kind: "adj", "bare" or "post".
    """
    lang = langs("color")
    w1 = bare_form("color", frame["color"], lang, rng)
    w2 = bare_form("color", frame["secondary_color"], lang, rng)
    said.add("color", w1)
    said.add("secondary_color", w2)
    pair = f"{w1}{rng.choice(_PAIR_JOIN)}{w2}"
    pattern = frame["pattern"] if with_pattern and frame["pattern"] in TWO_COLOUR_EN else None
    if pattern is None:
        if kind == "post" or (kind == "np" and rng.random() < 0.3):
            return None, f"in {pair}", False
        return pair, None, False
    styles = {"adj": ("pre",), "bare": ("pre", "noun"), "post": ("post",), "np": ("pre", "post", "split")}[kind]
    style = rng.choice(styles)
    if langs("pattern") == "zh":  # "navy and white 条纹"
        form = rng.choice(zh_forms("pattern", pattern, in_english=True))
        said.add("pattern", form)
        return (f"{pair} {form}", None, True) if kind != "post" else (None, f"in {pair} {form}", True)
    if style == "pre":
        adj = rng.choice(en_forms("pattern", pattern, "adj"))
        said.add("pattern", adj)
        return f"{pair} {adj}", None, True
    noun = rng.choice(TWO_COLOUR_EN[pattern])
    said.add("pattern", noun)
    if style == "noun":
        return f"{pair} {noun}", None, True
    if pattern == "graphic":  # a logo is one thing: "with a navy and white logo"
        return (None, f"with a {pair} {noun}", True) if style == "post" else (w1, f"with a {w2} {noun}", True)
    if style == "post":
        return None, f"{rng.choice(('with', 'in'))} {pair} {noun}", True
    return w1, f"with {w2} {noun}", True  # "red with white polka dots"


def join_after(head: str, posts: list[str], rng: random.Random) -> str:
    """Attach phrases after the noun; two "with" phrases may merge ("with long sleeves and a v-neck")."""
    text = head
    previous_with = False
    for phrase in posts:
        if phrase.startswith(","):
            text += phrase
            previous_with = False
            continue
        if previous_with and phrase.startswith("with ") and rng.random() < 0.5:
            text += " and " + phrase[len("with "):]
            continue
        text += rng.choice((" ", " ", ", ")) + phrase
        previous_with = phrase.startswith("with ")
    return text


def garment_phrase(frame: dict, rng: random.Random, langs: Langs, said: Said,
                   keep_free: frozenset = frozenset()) -> str:
    """A noun phrase naming the garment with every attribute of `frame`."""
    category = frame["category"]
    other_lang = frozenset(s for s in frame if langs(s) != langs("category"))  # a compound speaks one language
    noun, implied = pick_garment(frame, langs("category"), rng, keep_free | other_lang)
    for slot in implied:
        said.add(slot, noun)
    covered = set(implied)
    pre: list[str] = []
    post: list[str] = []
    if frame["secondary_color"]:
        before, after, said_pattern = two_colour(frame, rng, langs, said, "np", "pattern" not in covered)
        pre += [before] if before else []
        post += [after] if after else []
        covered |= {"color", "secondary_color"} | ({"pattern"} if said_pattern else set())
    listing = rng.random() < 0.12  # "dress: red, knee length, size M"
    for slot in EN_ORDER:
        if frame[slot] is None or slot in covered:
            continue
        if listing:
            form = bare_form(slot, frame[slot], langs(slot), rng, category)
            said.add(slot, form)
            post.append(form)
            continue
        before_noun, phrase = modifier(slot, frame[slot], category, langs(slot), rng, said)
        (pre if before_noun else post).append(phrase)
    if len(pre) > 1 and rng.random() < 0.3:
        rng.shuffle(pre)  # shoppers do not keep adjective order
    words = [*pre, noun]
    head = " ".join(w for w in [determiner(words[0], is_plural_en(noun), rng), *words] if w)
    if listing and post:
        rng.shuffle(post)
        return head + rng.choice((": ", ", ", " - ", " ")) + ", ".join(post)
    return join_after(head, post, rng)


def _piece(slot: str, value: str, family: str, rng: random.Random, langs: Langs, said: Said) -> str:
    if family == "post":
        _, phrase = modifier(slot, value, None, langs(slot), rng, said, pre_bias=0.0)
        return phrase.lstrip(", ")
    if langs(slot) == "zh":
        form = rng.choice(zh_forms(slot, value, None, modify=True, in_english=True))
    elif family == "adj":
        form = rng.choice(en_forms(slot, value, "adj"))
    else:
        form = rng.choice(en_bare(slot, value, None, modify=True))
    said.add(slot, form)
    return form


def _join_list(pieces: list[str], family: str, rng: random.Random) -> str:
    if len(pieces) == 1:
        return pieces[0]
    if family == "post":
        return rng.choice((" ", " and ", ", ")).join(pieces)
    head, last = pieces[:-1], pieces[-1]
    return ", ".join(head) + rng.choice((" and ", ", ", " & ", " and ")) + last


def _slot_request(slot: str, value: str, rng: random.Random, said: Said) -> str | None:
    template, kind = rng.choice(MODIFY_EN_SLOT[slot])
    forms = en_forms(slot, value, kind)
    if not forms:
        return None
    form = rng.choice(forms)
    said.add(slot, form)
    return template.format(x=form)


def modify_request(frame: dict, rng: random.Random, langs: Langs, said: Said) -> str:
    """A change to the garment being worn, naming no garment: "make it red and striped", "in size L"."""
    slots = [s for s in EN_ORDER if frame[s] is not None]
    single = len(slots) == 1 and not frame["secondary_color"]
    if single and slots[0] in MODIFY_EN_SLOT and langs(slots[0]) == "en" and rng.random() < 0.35:
        text = _slot_request(slots[0], frame[slots[0]], rng, said)
        if text:
            return text
    family = rng.choices(("adj", "bare", "post"), (0.3, 0.4, 0.3))[0]
    if family == "adj" and any(langs(s) == "en" and not en_forms(s, frame[s], "adj") for s in slots):
        family = "bare"
    pieces: list[str] = []
    covered: set[str] = set()
    if frame["secondary_color"]:
        before, after, said_pattern = two_colour(frame, rng, langs, said, family)
        pieces.append(before or after or "")
        covered |= {"color"} | ({"pattern"} if said_pattern else set())
    pieces += [_piece(s, frame[s], family, rng, langs, said) for s in slots if s not in covered]
    if len(pieces) > 1 and rng.random() < 0.4:
        rng.shuffle(pieces)
    return rng.choice(MODIFY_EN[family]).format(x=_join_list(pieces, family, rng))
