"""Device-side commands (`drape parse`): registration only, and nothing here may import torch."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from edge_app.errors import DrapeError


def register(sub: argparse._SubParsersAction) -> None:
    parse = sub.add_parser("parse", help="text -> garment frame (JSON), on the device runtime")
    parse.add_argument("text", nargs="?", help="one utterance, e.g. \"a navy polka-dot dress, knee length\"")
    parse.add_argument("--input", type=Path, help="a UTF-8 file with one utterance a line ('-' reads stdin); "
                                                  "prints one frame a line, in order")
    add_runtime_arguments(parse)
    parse.add_argument("--pretty", action="store_true", help="print 'text -> set slots' for people to read")
    parse.set_defaults(handler=run_parse)

    generate = sub.add_parser("generate", help="text or frame -> garment sprite (RGBA PNG), on the device runtime")
    generate.add_argument("text", nargs="?", help="what to wear, e.g. \"a navy polka-dot dress\"")
    generate.add_argument("--frame", help="a frame as JSON instead of text, e.g. '{\"category\": \"dress\"}'")
    generate.add_argument("--seed", type=int, default=0, help="picks the variation (stripe angle, dot size, folds)")
    generate.add_argument("-o", "--output", type=Path, required=True, help="PNG file to write")
    add_runtime_arguments(generate, GENERATOR_BACKEND)
    generate.set_defaults(handler=run_generate)

    tryon = sub.add_parser("tryon", help="wear a garment in a photo or a video, headless: pose, fit, composite")
    tryon.add_argument("--text", help="what to wear from the start, e.g. \"a red striped shirt\"")
    tryon.add_argument("--say", action="append", default=[], metavar="SECONDS:TEXT",
                       help="in a video, say TEXT at SECONDS, e.g. --say 2.0:\"make it red\" (repeatable)")
    tryon.add_argument("--input", type=Path, required=True, help="a photo (png, jpg) or a video (mp4, avi, mov)")
    tryon.add_argument("-o", "--output", type=Path, required=True, help="where to write: an image for a photo, "
                                                                       "an .mp4 for a video")
    tryon.add_argument("--mirror", action="store_true", help="flip left and right, as a mirror shows you")
    tryon.add_argument("--seed", type=int, default=0, help="picks the garment's variation")
    add_runtime_arguments(tryon, GENERATOR_BACKEND)
    tryon.set_defaults(handler=run_tryon)

    app = sub.add_parser("app", help="the Kivy mirror: live try-on from a camera, a file or the sample clip")
    app.add_argument("--mode", default="phone", choices=("phone", "kiosk"))
    app.add_argument("--source", default="sample", help="camera:N, a video or photo file, or sample (the sample clip)")
    app.add_argument("--say", action="append", default=[], metavar="SECONDS:TEXT",
                     help="type TEXT at SECONDS after start, for demos and tests (repeatable)")
    app.add_argument("--screenshot", type=Path, help="save the window here just before --exit-after ends it")
    app.add_argument("--exit-after", type=float, help="close the app after SECONDS")
    app.add_argument("--snapshots", type=Path, default=Path.home() / "Pictures" / "Drape",
                     help="where the snapshot button saves (nothing else is ever written)")
    add_runtime_arguments(app, GENERATOR_BACKEND)
    app.set_defaults(handler=run_app)


# Commands that draw garments default to LiteRT, the runtime a phone has: the shipped generator's int8 files draw a
# sprite in 12.1 ms (TFLite) and 11.8 ms (ONNX) on one thread, with the same quality (docs/BENCHMARKS.md, session
# 14; session 11's pair: 7.1 and 7.4). Said in --help.
GENERATOR_BACKEND = "tflite"


def add_runtime_arguments(parser: argparse.ArgumentParser, backend: str = "auto") -> None:
    parser.add_argument("--bundle", type=Path, help="bundle folder (default: the shipped edge_app/default_bundle)")
    why = "" if backend == "auto" else "; tflite here: the runtime a phone has"
    parser.add_argument("--backend", default=backend, choices=("auto", "onnx", "tflite", "coreml"),
                        help=f"inference runtime (auto: the first installed of onnx, tflite, coreml){why}")
    parser.add_argument("--precision", default="int8", choices=("int8", "fp32", "fp16"))
    parser.add_argument("--threads", type=int, default=1)


def read_lines(path: Path) -> list[str]:
    """One utterance a line. Invalid UTF-8 bytes become U+FFFD with a warning naming the line, so every
    line still gets its frame, in order."""
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as err:
        raise DrapeError(f"cannot read {path}: {err.strerror or err}; give a readable UTF-8 text file") from None
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = []
    for n, raw in enumerate(lines, 1):
        try:
            out.append(raw.decode("utf-8").rstrip("\r"))
        except UnicodeDecodeError:
            print(f"drape: {path}:{n}: invalid UTF-8, undecodable bytes replaced", file=sys.stderr)
            out.append(raw.decode("utf-8", errors="replace").rstrip("\r"))
    return out


def run_parse(args: argparse.Namespace) -> int:
    from edge_app.parser import TextParser

    if (args.text is None) == (args.input is None):
        raise DrapeError('give one utterance (drape parse "make it red") or --input FILE, not both or neither')
    texts = read_lines(args.input) if args.input else [args.text]
    parser = TextParser.from_bundle(args.bundle, args.backend, args.precision, args.threads)
    for text in texts:
        frame = parser.parse(text)
        if args.pretty:
            said = ", ".join(f"{k}={v}" for k, v in frame.items() if v is not None)
            print(f"{text!r:<48} -> {said}")
        else:
            print(json.dumps(frame, ensure_ascii=False))
    return 0


def run_generate(args: argparse.Namespace) -> int:
    from PIL import Image

    from edge_app.bundle import load_bundle
    from edge_app.frames import frame_from_json
    from edge_app.generator import GarmentGenerator
    from edge_app.parser import DEFAULT_BUNDLE, TextParser

    if (args.text is None) == (args.frame is None):
        raise DrapeError('give what to wear as text (drape generate "a red dress" -o out.png) or --frame JSON')
    bundle = load_bundle(args.bundle or DEFAULT_BUNDLE)
    if args.frame is not None:
        frame = frame_from_json(args.frame, bundle.taxonomy)
    else:
        frame = TextParser.from_bundle(bundle, args.backend, args.precision, args.threads).parse(args.text)
    sprite = GarmentGenerator.from_bundle(bundle, args.backend, args.precision, args.threads).generate(frame, args.seed)
    for note in sprite.dropped:
        print(f"drape: {note}", file=sys.stderr)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(sprite.rgba, "RGBA").save(args.output)
    drawn = ", ".join(f"{k}={v}" for k, v in sprite.garment.items() if v is not None)
    print(f"wrote {args.output} ({sprite.rgba.shape[1]}x{sprite.rgba.shape[0]} {sprite.family}): {drawn}")
    return 0


def run_tryon(args: argparse.Namespace) -> int:
    from edge_app.media import IMAGE_SUFFIXES, is_video
    from edge_app.tryon import parse_say

    says = [parse_say(spec) for spec in args.say]
    if args.text:
        says.insert(0, (0.0, args.text))
    if not says:
        raise DrapeError("nothing to wear: give --text \"a red shirt\" (and, for a video, --say SECONDS:TEXT)")
    if is_video(args.input):
        if args.output.suffix.lower() != ".mp4":
            raise DrapeError(f"a video makes a video: give -o ending in .mp4, not {args.output.name}")
        return _tryon_video(args, says)
    if args.output.suffix.lower() not in IMAGE_SUFFIXES:
        raise DrapeError(f"a photo makes a photo: give -o ending in {', '.join(IMAGE_SUFFIXES)}, "
                         f"not {args.output.name}")
    if args.say:
        raise DrapeError("--say times sentences in a video; for a photo give one --text")
    return _tryon_photo(args, says[0][1])


def _tryon_photo(args: argparse.Namespace, text: str) -> int:
    from edge_app.media import read_image, write_image
    from edge_app.tryon import build_tryon

    image = read_image(args.input)
    tryon = build_tryon(args.bundle, args.backend, args.precision, args.threads, args.mirror, args.seed, video=False)
    print(f"{text!r} -> {tryon.say(text)}", file=sys.stderr)
    out, reason = tryon.render(image)
    write_image(args.output, out)
    print(f"wrote {args.output}" + (f" unchanged: {reason}" if reason else ""), file=sys.stderr)
    return 0


def _tryon_video(args: argparse.Namespace, says: list[tuple[float, str]]) -> int:
    from tqdm import tqdm

    from edge_app.media import VideoWriter, open_video, read_video
    from edge_app.tryon import build_tryon, tryon_video

    capture, info = open_video(args.input)
    tryon = build_tryon(args.bundle, args.backend, args.precision, args.threads, args.mirror, args.seed, video=True)
    with VideoWriter(args.output, info.fps) as writer, tqdm(total=info.frames or None, unit="frame",
                                                             desc="try-on", mininterval=0.5) as bar:
        skipped = tryon_video(tryon, read_video(capture), info.fps, says, writer.write,
                              on_note=lambda at, note: bar.write(f"{at:5.2f} s: {note}"), on_frame=bar.update)
        done = bar.n
    if info.frames and done < info.frames:
        print(f"drape: {args.input} ended after {done} of {info.frames} frames (truncated?); wrote what it had",
              file=sys.stderr)
    for reason, count in skipped.items():
        print(f"{count} frames unchanged: {reason}", file=sys.stderr)
    print(f"wrote {args.output} ({done} frames, {info.fps:g} fps)", file=sys.stderr)
    return 0


def run_app(args: argparse.Namespace) -> int:
    from edge_app.app.main import run_app as run
    from edge_app.tryon import parse_say

    says = [parse_say(spec) for spec in args.say]
    options = {"bundle": args.bundle, "backend": args.backend, "precision": args.precision, "threads": args.threads}
    return run(args.mode, args.source, says, args.screenshot, args.exit_after, options, args.snapshots)
