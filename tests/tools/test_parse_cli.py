"""`drape parse` as a user runs it: on the shipped bundle, without torch, with bad input of every kind."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edge_app.parser import DEFAULT_BUNDLE, TextParser
from models.schema import SLOTS, Frame
from tools.cli import main

REPO = Path(__file__).resolve().parents[2]

# Runs `drape` in a fresh interpreter where importing torch fails, as on a phone.
NO_TORCH = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "torch":
            raise ImportError(f"{name} is not on a phone")
sys.meta_path.insert(0, Refuse())
from tools.cli import main
code = main(sys.argv[1:])
assert "torch" not in sys.modules
sys.exit(code)
"""


def drape_without_torch(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", NO_TORCH, *args], cwd=REPO, input=stdin, capture_output=True,
                          timeout=120)


@pytest.fixture(scope="module")
def parser() -> TextParser:
    return TextParser.from_bundle()


def test_parse_runs_without_torch_and_prints_a_frame():
    done = drape_without_torch("parse", "a navy polka-dot dress, knee length")
    assert done.returncode == 0, done.stderr.decode()
    frame = json.loads(done.stdout)
    assert list(frame) == list(SLOTS)
    assert frame["intent"] == "new" and frame["category"] == "dress" and frame["color"] == "navy"


def test_parse_input_file_gives_one_frame_a_line_in_order(tmp_path):
    lines = [b"make it red", "换成长袖".encode(), b"", b"undo", b"bad \xff\xfe bytes"]
    path = tmp_path / "in.txt"
    path.write_bytes(b"\n".join(lines) + b"\n")
    done = drape_without_torch("parse", "--input", str(path), "--backend", "tflite")
    assert done.returncode == 0, done.stderr.decode()
    frames = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(frames) == len(lines)
    assert frames[0]["color"] == "red" and frames[1]["sleeve"] == "long" and frames[3]["intent"] == "undo"
    assert "in.txt:5: invalid UTF-8" in done.stderr.decode()


def test_stdin_input():
    done = drape_without_torch("parse", "--input", "-", stdin=b"start over\n")
    assert done.returncode == 0 and json.loads(done.stdout)["intent"] == "reset"


@pytest.mark.parametrize("args, message", [
    (["parse", "--input", "/no/such/file.txt"], "cannot read /no/such/file.txt"),
    (["parse"], "give one utterance"),
    (["parse", "x", "--bundle", "/no/such/bundle"], "/no/such/bundle"),
    (["parse", "x", "--backend", "coreml"], "macOS"),
])
def test_user_errors_are_one_line(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_tampered_bundle_is_refused_naming_the_file(tmp_path, capsys):
    bundle = shutil.copytree(DEFAULT_BUNDLE, tmp_path / "bundle")
    target = bundle / "parser" / "student.int8.onnx"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    assert main(["parse", "red", "--bundle", str(bundle)]) == 2
    assert "parser/student.int8.onnx" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["", "   \t ", "👗✨🙏", "\x00\x01\x02 red \x7f", "Wie spät ist es?", "x" * 100_000,
                                  "红色 " * 30_000])
def test_odd_text_gives_a_valid_frame_quickly(parser, text):
    start = time.perf_counter()
    frame = parser.parse(text)
    assert time.perf_counter() - start < 1.0
    Frame.from_dict(frame)


def test_nothing_understood_is_a_no_op(parser):
    for text in ("", "   ", "👍👍"):
        assert parser.parse(text) == Frame(intent="modify").to_dict()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_valid_frame(parser, text):
    Frame.from_dict(parser.parse(text))


def test_generate_from_text_on_the_shipped_bundle_without_torch(tmp_path):
    out = tmp_path / "dress.png"
    done = drape_without_torch("generate", "a navy polka-dot dress, knee length", "-o", str(out), "--seed", "2")
    assert done.returncode == 0, done.stderr.decode()
    assert "category=dress" in done.stdout.decode() and "color=navy" in done.stdout.decode()
    from PIL import Image

    image = Image.open(out)
    assert image.mode == "RGBA" and image.getchannel("A").getextrema()[1] == 255
