"""`drape export ...` and `drape bench ...`: registration only; the work is imported when a command runs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from edge_app.parser import DEFAULT_BUNDLE
from trainer.paths import DEFAULT_GENERATOR_RUN
from trainer.paths import DEFAULT_PARSER_RUN as DEFAULT_RUN
from trainer.paths import PARSER_DEV_SET as DEV_SET


def register(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="export, quantize and validate models into a bundle")
    export_models = export.add_subparsers(dest="model", required=True)
    parser = export_models.add_parser("parser", help="the parser student of a training run")
    parser.add_argument("--run", type=Path, default=DEFAULT_RUN, help="training run folder (default: shipped run)")
    parser.add_argument("--formats", default="onnx,tflite,coreml",
                        help="comma-separated: onnx, tflite, coreml (with --int8 each also gets its int8 file), "
                             "or exact names like onnx_int8; 'all' for every one")
    parser.add_argument("--int8", action="store_true", help="also write the int8 quantized file of each format")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_BUNDLE, help="bundle folder to write")
    parser.add_argument("--dev", type=Path, default=DEV_SET, help="utterances to validate on (JSON Lines)")
    parser.set_defaults(handler=run_export_parser)
    generator = export_models.add_parser("generator", help="the generator student of a training run")
    generator.add_argument("--run", type=Path, default=DEFAULT_GENERATOR_RUN, help="training run folder")
    generator.add_argument("--formats", default="onnx,tflite,coreml", help="as for the parser")
    generator.add_argument("--int8", action="store_true", help="also write the int8 file of each format")
    generator.add_argument("-o", "--out", type=Path, default=DEFAULT_BUNDLE, help="bundle folder (its parser is kept)")
    generator.set_defaults(handler=run_export_generator)

    bench = sub.add_parser("bench", help="measure size, accuracy and speed of every format")
    bench_models = bench.add_subparsers(dest="model", required=True)
    bparser = bench_models.add_parser("parser", help="teacher and student, every format, dev set, one thread")
    bparser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    bparser.add_argument("--run", type=Path, default=DEFAULT_RUN, help="run folder holding teacher.pt")
    bparser.add_argument("--dev", type=Path, default=DEV_SET)
    bparser.add_argument("--json", action="store_true", help="print the rows as JSON")
    bparser.set_defaults(handler=run_bench_parser)
    bgen = bench_models.add_parser("generator", help="teacher and student, every format, held-out garments, one thread")
    bgen.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    bgen.add_argument("--run", type=Path, default=DEFAULT_GENERATOR_RUN, help="run folder with teacher.pt, student.pt")
    bgen.add_argument("--json", action="store_true", help="print the rows as JSON")
    bgen.set_defaults(handler=run_bench_generator)
    blive = bench_models.add_parser("live", help="the live try-on on the sample clip: fps, latency, ms per stage")
    blive.add_argument("--input", type=Path, default=Path("out/sample_clip.mp4"),
                       help="the clip (made by: python tools/sample_clip.py)")
    blive.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    blive.add_argument("--backend", default="tflite", choices=("onnx", "tflite", "coreml"),
                       help="tflite by default, as the device commands (edge_app/commands.py says why)")
    blive.add_argument("--precision", default="int8", choices=("int8", "fp32", "fp16"))
    blive.add_argument("--threads", type=int, default=1, help="inference threads of the parser and generator")
    blive.add_argument("--json", action="store_true", help="print the results as JSON")
    blive.set_defaults(handler=run_bench_live)
    btrain = bench_models.add_parser("train", help="training samples per second of both trainings, 1 and 2 "
                                                   "processes (torchrun, gloo on CPU)")
    btrain.add_argument("--nproc", default="1,2", help="comma-separated process counts (default 1,2)")
    btrain.add_argument("--steps", type=int, default=30, help="steps timed per loop (default 30)")
    btrain.add_argument("--models", default="parser,generator", help="comma-separated: parser, generator")
    btrain.add_argument("--json", action="store_true", help="print the rows as JSON")
    btrain.set_defaults(handler=run_bench_train)


def selected_formats(spec: str, int8: bool) -> list:
    from export.formats import FORMATS, parse_formats

    formats = parse_formats(spec)
    if int8:
        formats += [FORMATS[f"{f.name}_int8"] for f in formats if f"{f.name}_int8" in FORMATS]
    return sorted(set(formats), key=list(FORMATS.values()).index)


def run_export_parser(args: argparse.Namespace) -> int:
    from edge_app.errors import DrapeError
    from export.parser import export_parser

    if not (args.run / "student.pt").exists():
        raise DrapeError(f"no student.pt in {args.run}; train one with: drape train parser --out {args.run}")
    export_parser(args.run, args.out, selected_formats(args.formats, args.int8), args.dev)
    print(f"bundle written: {args.out}/manifest.json")
    return 0


def run_export_generator(args: argparse.Namespace) -> int:
    from edge_app.errors import DrapeError
    from export.generator import export_generator

    if not (args.run / "student.pt").exists():
        raise DrapeError(f"no student.pt in {args.run}; train one with: drape train generator --stage teacher "
                         f"--out {args.run}, then --stage student")
    export_generator(args.run, args.out, selected_formats(args.formats, args.int8))
    print(f"bundle written: {args.out}/manifest.json")
    return 0


def run_bench_parser(args: argparse.Namespace) -> int:
    from export.bench import bench_parser, format_table, rows_as_json, target_report
    from trainer.parser_data import read_utterances

    rows = bench_parser(args.bundle, args.run, read_utterances(args.dev))
    return print_report(args.json, rows_as_json(rows), format_table(rows), target_report(rows))


def run_bench_generator(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from export.bench_generator import bench_generator, format_generator_table, generator_targets

    rows = bench_generator(args.bundle, args.run)
    return print_report(args.json, [asdict(r) for r in rows], format_generator_table(rows), generator_targets(rows))


def run_bench_live(args: argparse.Namespace) -> int:
    from edge_app.errors import DrapeError
    from export.bench_live import bench_live, format_live_table, live_targets

    if not args.input.is_file():
        raise DrapeError(f"no clip at {args.input}; make the sample clip with: python tools/sample_clip.py")
    results = bench_live(args.input, bundle=args.bundle, backend=args.backend, precision=args.precision,
                         threads=args.threads)
    return print_report(args.json, results, format_live_table(results), live_targets(results))


def run_bench_train(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from edge_app.errors import DrapeError
    from export.bench_train import RUNS, bench_train, format_train_table, train_notes

    try:
        counts = [int(n) for n in args.nproc.split(",")]
    except ValueError:
        raise DrapeError(f"--nproc is comma-separated process counts, e.g. 1,2; got {args.nproc!r}") from None
    models = tuple(m.strip() for m in args.models.split(","))
    unknown = [m for m in models if m not in RUNS]
    if unknown or min(counts) < 1 or args.steps < 2:
        raise DrapeError(f"bench train takes --models from {', '.join(RUNS)}, --nproc of at least 1 and --steps of "
                         f"at least 2; got {args.models!r}, {args.nproc!r}, {args.steps}")
    rows = bench_train(counts, args.steps, models)
    return print_report(args.json, [asdict(r) for r in rows], format_train_table(rows), train_notes(rows),
                        heading="Scaling (no target set):")


def print_report(as_json: bool, data, table: str, targets: list[str], heading: str = "Targets (DESIGN.md):") -> int:
    """What every bench command prints: its results as JSON, or its table then its targets."""
    if as_json:
        print(json.dumps(data, indent=2))
        return 0
    print(table)
    print(f"\n{heading}")
    print("\n".join(targets))
    return 0
