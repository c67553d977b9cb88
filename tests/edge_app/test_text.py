from edge_app.text import MAX_CHARS, PAD, UNK, Tokenizer, build_vocab, normalize, split_tokens


def test_split_words_cjk_and_symbols():
    assert split_tokens("A NAVY dress，换成长袖！") == ["a", "navy", "dress", ",", "换", "成", "长", "袖", "!"]
    assert split_tokens("I'd like it") == ["i'd", "like", "it"]


def test_normalize_drops_control_characters_and_bounds_length():
    assert normalize("red\x00\x07dress") == "red  dress"
    assert len(normalize("x" * 100_000)) == MAX_CHARS


def test_encode_shape_padding_and_unknown():
    tok = Tokenizer(build_vocab(["navy dress", "navy dress"]), buckets=64, max_tokens=6, features=5)
    grid = tok.encode("navy zzz")
    assert len(grid) == 6 and all(len(row) == 5 for row in grid)
    assert grid[0][0] == 2 + tok.vocab.index("navy") and grid[1][0] == UNK
    assert grid[2] == [PAD] * 5
    assert all(2 + len(tok.vocab) <= i < tok.size for i in grid[0][1:] if i != PAD)


def test_typo_shares_most_features_with_the_word():
    tok = Tokenizer(("dress",), buckets=4096)
    right, typo = set(tok.encode("dress")[0][1:]) - {PAD}, set(tok.encode("dres")[0][1:]) - {PAD}
    assert len(right & typo) >= 3


def test_cjk_characters_carry_neighbour_bigrams():
    tok = Tokenizer(("长", "袖"), buckets=4096)
    grid = tok.encode("长袖")
    assert grid[0][1] == grid[1][1] != PAD  # both carry the bigram 长袖


def test_vocab_is_deterministic_and_roundtrips():
    texts = ["b a", "a b", "c"]
    assert build_vocab(texts, min_count=1) == ("a", "b", "c")
    tok = Tokenizer(("a", "b"))
    assert Tokenizer.from_dict(tok.to_dict()) == tok
