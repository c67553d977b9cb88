"""The synthetic parser corpus: deterministic, valid, balanced, and labels that the words actually say."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from models.schema import SLOTS, VALUES, Frame
from trainer.data import lexicon, phrases
from trainer.data.surface import surface_forms
from trainer.data.text_corpus import (
    INTENT_WEIGHTS,
    LANG_WEIGHTS,
    LENGTHS_FOR,
    NOT_FOR,
    generate_corpus,
    generate_examples,
    sample_frame,
    write_corpus,
)

N = 5000


@pytest.fixture(scope="module")
def examples():
    return generate_examples(N, seed=0)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def test_same_seed_same_corpus_and_different_seed_differs():
    assert generate_corpus(300, 7) == generate_corpus(300, 7)
    assert generate_corpus(300, 7) != generate_corpus(300, 8)
    assert generate_corpus(50, 7) == generate_corpus(300, 7)[:50]  # a prefix does not depend on n


def test_rows_are_valid_frames_with_all_eleven_keys(examples):
    for ex in examples:
        row = ex.row()
        assert set(row) == {"text", "frame"}
        assert list(row["frame"]) == list(SLOTS)
        assert Frame.from_dict(row["frame"]).to_dict() == row["frame"]
        assert row["text"].strip() or ex.lang == "other"  # off-topic text may be blank on purpose


def test_every_value_of_every_slot_appears(examples):
    seen = {slot: Counter(ex.frame[slot] for ex in examples) for slot in SLOTS}
    for slot in SLOTS:
        missing = [v for v in VALUES[slot] if seen[slot][v] < 5]
        assert not missing, f"{slot}: too rare {missing}"


def test_intent_and_language_proportions(examples):
    intents = Counter(ex.frame["intent"] for ex in examples)
    for intent, share in INTENT_WEIGHTS.items():
        assert abs(intents[intent] / N - share) < 0.03, (intent, intents[intent] / N)
    langs = Counter(ex.lang for ex in examples)
    for lang, share in LANG_WEIGHTS.items():
        assert abs(langs[lang] / N - share) < 0.03, (lang, langs[lang] / N)


def test_slot_counts_range_from_one_to_eight(examples):
    counts = Counter(sum(v is not None for k, v in ex.frame.items() if k != "intent")
                     for ex in examples if ex.frame["intent"] in ("new", "modify") and ex.lang != "other")
    assert min(counts) == 1 and max(counts) == 8
    assert all(counts[k] > 0 for k in range(1, 9))


def test_undo_and_reset_set_only_the_intent(examples):
    for ex in examples:
        if ex.frame["intent"] in ("undo", "reset"):
            assert [k for k, v in ex.frame.items() if v is not None] == ["intent"]
            assert not ex.said


def test_new_names_a_garment_and_modify_does_not(examples):
    for ex in (e for e in examples if e.lang != "other"):
        if ex.frame["intent"] == "new":
            assert ex.frame["category"] is not None and "category" in ex.said
        elif ex.frame["intent"] == "modify":
            assert ex.frame["category"] is None
            assert any(v is not None for k, v in ex.frame.items() if k != "intent")


def test_every_label_is_said_in_the_text(examples):
    """Each set slot has words in the text that the lexicon lists for that very value (typos aside)."""
    checked = 0
    for ex in examples:
        if ex.typo:
            continue
        text = _squash(ex.text)
        for slot, value in ex.frame.items():
            if slot == "intent" or value is None:
                continue
            assert ex.said.get(slot), (ex.text, slot)
            for word in ex.said[slot]:
                assert _squash(word) in text, (ex.text, slot, word)
                assert word in surface_forms(slot, value), (ex.text, slot, value, word)
            checked += 1
    assert checked > N


def test_no_slot_is_said_without_a_label(examples):
    """The generator records words only for slots it labels."""
    for ex in examples:
        assert set(ex.said) <= {k for k, v in ex.frame.items() if v is not None}


def test_corrections_and_noise_are_present(examples):
    assert sum(ex.corrected for ex in examples) > N * 0.03
    assert sum(ex.typo for ex in examples) > N * 0.03
    mixed = [ex.text for ex in examples if ex.lang == "mixed"]
    both = [t for t in mixed if re.search(r"[a-zA-Z]", t) and re.search(r"[\u4e00-\u9fff]", t)]
    assert len(both) > 0.9 * len(mixed)  # the rest: a one-word change in the other language ("卡其色 :)")
    assert len({ex.text for ex in examples}) > N * 0.95  # hardly any repeats


def test_lexicon_covers_every_value():
    for slot in SLOTS[1:]:
        for value in VALUES[slot]:
            assert surface_forms(slot, value), (slot, value)
    assert set(lexicon.CATEGORY_EN) == set(lexicon.CATEGORY_ZH) == set(VALUES["category"])
    assert set(lexicon.COLOR_EN) == set(lexicon.COLOR_ZH) == set(VALUES["color"])
    for table in (lexicon.EN_FORMS, lexicon.ZH_FORMS):
        assert set(table) == set(SLOTS) - {"intent", "category", "color", "secondary_color"}
        for slot, by_value in table.items():
            assert set(by_value) == set(VALUES[slot]), slot
    for table in (lexicon.COMPOUND_EN, lexicon.COMPOUND_ZH):
        for partial in table.values():
            Frame.from_dict(partial)
    assert set(LENGTHS_FOR) <= set(VALUES["category"])
    assert all(set(garments) <= set(VALUES["category"]) for garments in NOT_FOR.values())


# The labelling rules of TAXONOMY.md, spelled as (words, slot, value): the lexicon must read them this way.
RULES = [
    ("jeans", "category", "trousers"), ("jeans", "material", "denim"), ("牛仔裤", "material", "denim"),
    ("tank top", "category", "tshirt"), ("tank top", "sleeve", "sleeveless"), ("背心", "sleeve", "sleeveless"),
    ("miniskirt", "length", "short"), ("短裙", "category", "skirt"), ("短裙", "length", "short"),
    ("turtleneck sweater", "neckline", "turtleneck"), ("button-down", "category", "shirt"),
    ("衬衫", "category", "shirt"), ("hoodie", "category", "hoodie"), ("卫衣", "category", "hoodie"),
    ("连帽衫", "category", "hoodie"), ("trench coat", "category", "coat"), ("风衣", "category", "coat"),
    ("羽绒服", "category", "coat"), ("parka", "category", "coat"), ("大衣", "category", "coat"),
    ("suit jacket", "category", "blazer"), ("西装", "category", "blazer"), ("tee", "category", "tshirt"),
    ("T恤", "category", "tshirt"), ("短T", "category", "tshirt"), ("slip dress", "sleeve", "sleeveless"),
    ("吊带裙", "category", "dress"), ("cardigan", "category", "sweater"), ("jumper", "category", "sweater"),
    ("pullover", "category", "sweater"), ("开衫", "category", "sweater"), ("毛衣", "category", "sweater"),
    ("针织衫", "category", "sweater"), ("chinos", "category", "trousers"), ("slacks", "category", "trousers"),
    ("pants", "category", "trousers"), ("裤子", "category", "trousers"), ("长裤", "category", "trousers"),
    ("satin", "material", "silk"), ("真丝", "material", "silk"), ("丝绸", "material", "silk"),
    ("elbow-length sleeves", "sleeve", "medium"), ("七分袖", "sleeve", "medium"),
    ("中袖", "sleeve", "medium"), ("no sleeves", "sleeve", "sleeveless"), ("无袖", "sleeve", "sleeveless"),
    ("mini", "length", "short"), ("knee-length", "length", "knee"), ("及膝", "length", "knee"),
    ("mid-calf", "length", "midi"), ("中长", "length", "midi"), ("九分裤", "length", "midi"),
    ("cropped", "length", "midi"), ("maxi", "length", "long"), ("floor-length", "length", "long"),
    ("长款", "length", "long"), ("长裙", "length", "long"), ("fitted", "fit", "slim"), ("skinny", "fit", "slim"),
    ("bodycon", "fit", "slim"), ("修身", "fit", "slim"), ("紧身", "fit", "slim"), ("classic fit", "fit", "regular"),
    ("常规", "fit", "regular"), ("oversized", "fit", "loose"), ("baggy", "fit", "loose"), ("wide-leg", "fit", "loose"),
    ("宽松", "fit", "loose"), ("oversize", "fit", "loose"), ("small", "size", "s"), ("小号", "size", "s"),
    ("中号", "size", "m"), ("M号", "size", "m"), ("大号", "size", "l"), ("extra large", "size", "xl"),
    ("XL", "size", "xl"), ("加大码", "size", "xl"), ("2XL", "size", "xxl"), ("XXL", "size", "xxl"),
    ("extra small", "size", "xs"), ("plain", "pattern", "solid"), ("纯色", "pattern", "solid"),
    ("pinstripe", "pattern", "striped"), ("条纹", "pattern", "striped"), ("tartan", "pattern", "plaid"),
    ("checked", "pattern", "plaid"), ("格子", "pattern", "plaid"), ("polka dots", "pattern", "polka_dot"),
    ("波点", "pattern", "polka_dot"), ("碎花", "pattern", "floral"), ("floral print", "pattern", "floral"),
    ("印花", "pattern", "graphic"), ("graphic tee", "pattern", "graphic"), ("logo print", "pattern", "graphic"),
    ("color-block", "pattern", "color_block"), ("撞色", "pattern", "color_block"), ("crew neck", "neckline", "round"),
    ("圆领", "neckline", "round"), ("V领", "neckline", "v_neck"), ("方领", "neckline", "square"),
    ("翻领", "neckline", "collared"), ("collared", "neckline", "collared"), ("polo collar", "neckline", "collared"),
    ("高领", "neckline", "turtleneck"), ("mock neck", "neckline", "turtleneck"), ("一字肩", "neckline", "off_shoulder"),
    ("off the shoulder", "neckline", "off_shoulder"), ("真皮", "material", "leather"), ("针织", "material", "knit"),
    ("雪纺", "material", "chiffon"), ("亚麻", "material", "linen"), ("羊毛", "material", "wool"),
    ("纯棉", "material", "cotton"), ("牛仔", "material", "denim"), ("navy", "color", "navy"), ("藏青", "color", "navy"),
]


@pytest.mark.parametrize(("words", "slot", "value"), RULES)
def test_lexicon_reads_the_labelling_rules(words, slot, value):
    forms = {f.lower().removeprefix("a ").removeprefix("an ") for f in surface_forms(slot, value)}
    assert words.lower() in forms


@pytest.fixture(scope="module")
def readings():
    """Lexicon form (lower case) -> the frames it can mean; a compound means all its slots at once ("jeans")."""
    figures = {f for nouns in lexicon.TWO_COLOUR_ZH.values() for f in nouns if len(f) == 1}  # 红底白点's 点
    table: dict[str, list[frozenset]] = {}
    for slot in SLOTS[1:]:
        key = "color" if slot == "secondary_color" else slot
        for value in VALUES[slot]:
            for form in surface_forms(slot, value) - figures:
                if not (form.isascii() and len(form) == 1):  # one-letter sizes read as words too ("I'm")
                    table.setdefault(form.lower(), []).append(frozenset({(key, value)}))
    for compounds in (lexicon.COMPOUND_EN, lexicon.COMPOUND_ZH):
        for form, partial in compounds.items():
            table[form.lower()] = [frozenset(partial.items())]
    return table


@pytest.fixture(scope="module")
def find_forms(readings):
    """text -> lexicon forms in it, leftmost-longest; Latin forms only as whole words."""
    forms = sorted(readings, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<![a-z]){re.escape(f)}(?![a-z])" if f.isascii() else re.escape(f)
                                  for f in forms))
    return lambda text: pattern.findall(re.sub(r"\s+", " ", text.lower()))


def test_text_says_nothing_beyond_the_label(examples, readings, find_forms):
    """Every slot word in an utterance agrees with its frame: no unlabelled value, no half-read compound."""
    for ex in examples:
        if ex.typo or ex.corrected:  # a correction keeps the word it takes back
            continue
        labels = {("color" if k == "secondary_color" else k, v) for k, v in ex.frame.items() if v and k != "intent"}
        text = re.sub(r"\s+", " ", ex.text.lower()).replace("dress me in", "")  # "dress" the verb
        for form in find_forms(text):
            assert any(reading <= labels for reading in readings[form]), (ex.text, form, ex.frame)


def test_carriers_fillers_and_distractors_set_no_slot(find_forms):
    tables = [phrases.NEW_EN, phrases.NEW_ZH, phrases.MODIFY_ZH, phrases.UNDO_EN, phrases.UNDO_ZH,
              phrases.UNDO_MIXED, phrases.RESET_EN, phrases.RESET_ZH, phrases.RESET_MIXED, phrases.PREFIX_EN,
              phrases.SUFFIX_EN, phrases.PREFIX_ZH, phrases.SUFFIX_ZH, phrases.DISTRACTORS_EN,
              phrases.DISTRACTORS_ZH, phrases.CORRECT_EN, phrases.CORRECT_ZH, *phrases.MODIFY_EN.values(),
              *phrases.MODIFY_ZH_SLOT.values(), [t for t, _ in sum(phrases.MODIFY_EN_SLOT.values(), ())]]
    verb_uses = {"dress me in {np}"}  # "dress" as a verb: the garment is the one in {np}
    for table in tables:
        for phrase in set(table) - verb_uses:
            assert not find_forms(phrase.replace("{np}", "").replace("{x}", "")), (phrase, find_forms(phrase))


def test_sampled_frames_respect_the_garment():
    import random

    rng = random.Random(3)
    for _ in range(2000):
        frame = sample_frame("new", rng)
        if frame["category"] in ("skirt", "trousers", "shorts"):
            assert frame["sleeve"] is None and frame["neckline"] is None
        if frame["category"] == "trousers":
            assert frame["length"] in (None, "midi", "long")
        if frame["secondary_color"]:
            assert frame["color"] and frame["color"] != frame["secondary_color"] and frame["pattern"] != "solid"


def test_write_corpus_writes_the_generated_rows(tmp_path):
    calls = []
    path = tmp_path / "corpus.jsonl"
    assert write_corpus(path, 1200, 5, progress=lambda done, total: calls.append((done, total))) == 1200
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert rows == generate_corpus(1200, 5)
    assert calls == [(1000, 1200), (1200, 1200)]
    assert any(not line.isascii() for line in path.read_text(encoding="utf-8").splitlines())  # not \\u-escaped


def test_off_topic_text_is_a_no_op_modify(examples):
    off = [ex for ex in examples if ex.lang == "other"]
    assert 0.015 < len(off) / len(examples) < 0.05
    assert all(ex.frame == Frame(intent="modify").to_dict() for ex in off)
    assert len({ex.text for ex in off}) > 20
