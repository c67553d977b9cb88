"""Utterances that say nothing about a garment: emoji, greetings, other languages, keyboard noise.

Their gold frame is `modify` with every slot null, which the session applies as a no-op, so the parser
learns to answer "nothing understood" instead of guessing a garment from noise.
"""

from __future__ import annotations

import random
import string

from models.schema import Frame

NOTHING = Frame(intent="modify").to_dict()

_PHRASES = (
    "hello", "hi there", "what time is it", "thanks", "ok", "cool", "nice", "wow", "lol", "hmm", "test", "testing 123",
    "how does this work", "who are you", "is this thing on", "where is the fitting room", "how much", "good morning",
    "你好", "谢谢", "好的", "嗯", "哈哈", "这个怎么用", "多少钱", "在吗", "试衣间在哪", "早上好", "随便看看",
    "bonjour", "merci beaucoup", "hola que tal", "gracias", "danke schön", "guten tag", "ciao", "obrigado",
    "こんにちは", "ありがとう", "안녕하세요", "감사합니다", "привет", "спасибо", "مرحبا", "नमस्ते", "xin chào",
)
_EMOJI = "😀😂🥰😎🤔👍👎🙏✨🔥💯🎉❤️💙🌈☀️🌙⭐🍕🐱🐶👀🙈"


def _keyboard_noise(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase + "  ") for _ in range(rng.randint(2, 14))).strip() or "x"


def _symbols(rng: random.Random) -> str:
    return "".join(rng.choice("?!.,;:-_*#@$%&()[]~…。，！？") for _ in range(rng.randint(1, 6)))


def off_topic_utterance(rng: random.Random) -> str:
    kind = rng.choice(("phrase", "phrase", "emoji", "noise", "symbols", "digits", "blank"))
    if kind == "phrase":
        text = rng.choice(_PHRASES)
        return text.upper() if rng.random() < 0.15 else text + rng.choice(("", "", "?", "!", " 🙂"))
    if kind == "emoji":
        return "".join(rng.choice(_EMOJI) for _ in range(rng.randint(1, 5)))
    if kind == "noise":
        return _keyboard_noise(rng)
    if kind == "symbols":
        return _symbols(rng)
    if kind == "digits":
        return str(rng.randint(0, 10**rng.randint(1, 8)))
    return rng.choice(("", " ", "\t", "  \n "))


def off_topic_examples(n: int, rng: random.Random) -> list[dict]:
    return [{"text": off_topic_utterance(rng), "frame": dict(NOTHING)} for _ in range(n)]
