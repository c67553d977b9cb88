"""Text to token features for the parser, in plain Python: the device needs no tokenizer library.

A token is a Latin word (letters and digits) or one CJK character or one other symbol. Each token
becomes `FEATURES` integer ids: its own vocabulary id, then hashed character n-grams, so a typo
("dres", "stripped") still shares most of its features with the word meant, and a CJK character
carries the bigrams it forms with its neighbours (藏青, 长袖). Id 0 is padding, id 1 unknown.
The vocabulary and these settings travel in the bundle's manifest; the trainer uses this same code.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

PAD, UNK = 0, 1
MAX_CHARS = 1000  # text past this is cut before tokenizing, which bounds the time of any input

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[\u3400-\u9fff\uf900-\ufaff]|[^\sa-z0-9]", re.UNICODE)


def is_cjk(token: str) -> bool:
    return len(token) == 1 and ("\u3400" <= token <= "\u9fff" or "\uf900" <= token <= "\ufaff")


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), lower case, control characters dropped, length bounded."""
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2])[:MAX_CHARS].lower()
    return "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)


def split_tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalize(text))


def _ngrams(token: str, prev: str | None, nxt: str | None) -> list[str]:
    if is_cjk(token):
        return [g for g in (prev and prev + token, nxt and token + nxt) if g]
    padded = f"<{token}>"
    return [padded[i : i + 3] for i in range(len(padded) - 2)] if token.isalnum() or "'" in token else []


@dataclass(frozen=True)
class Tokenizer:
    """Maps text to a (max_tokens, features) grid of ids; `vocab` lists tokens from id 2 on."""

    vocab: tuple[str, ...]
    buckets: int = 4096
    max_tokens: int = 48
    features: int = 10
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {tok: i + 2 for i, tok in enumerate(self.vocab)})

    @property
    def size(self) -> int:
        """Rows of the embedding table: pad, unknown, vocabulary, hash buckets."""
        return 2 + len(self.vocab) + self.buckets

    def _bucket(self, gram: str) -> int:
        return 2 + len(self.vocab) + zlib.crc32(gram.encode("utf-8")) % self.buckets

    def token_features(self, tokens: list[str]) -> list[list[int]]:
        rows = []
        for i, tok in enumerate(tokens[: self.max_tokens]):
            prev = tokens[i - 1] if i > 0 and is_cjk(tokens[i - 1]) else None
            nxt = tokens[i + 1] if i + 1 < len(tokens) and is_cjk(tokens[i + 1]) else None
            ids = [self._index.get(tok, UNK)] + [self._bucket(g) for g in _ngrams(tok, prev, nxt)]
            rows.append((ids + [PAD] * self.features)[: self.features])
        return rows

    def encode(self, text: str) -> list[list[int]]:
        """The (max_tokens, features) id grid for one utterance, padded with PAD rows."""
        rows = self.token_features(split_tokens(text))
        return rows + [[PAD] * self.features for _ in range(self.max_tokens - len(rows))]

    def to_dict(self) -> dict:
        return {"vocab": list(self.vocab), "buckets": self.buckets, "max_tokens": self.max_tokens,
                "features": self.features}

    @classmethod
    def from_dict(cls, data: dict) -> Tokenizer:
        return cls(tuple(data["vocab"]), data["buckets"], data["max_tokens"], data["features"])


def build_vocab(texts: Iterable[str], min_count: int = 2, max_size: int = 4000) -> tuple[str, ...]:
    """The most frequent tokens of a corpus (ties broken alphabetically, so a seed gives one vocab)."""
    counts = Counter(tok for text in texts for tok in split_tokens(text))
    ranked = sorted((t for t, c in counts.items() if c >= min_count), key=lambda t: (-counts[t], t))
    return tuple(ranked[:max_size])
