"""`drape data ...` and `drape train ...`: registration only; the work is imported when a command runs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    data = sub.add_parser("data", help="make synthetic training data").add_subparsers(dest="kind", required=True)
    text = data.add_parser("text", help="utterances with gold frames, JSON Lines (English, Chinese, mixed)")
    text.add_argument("-n", type=int, default=10_000, help="number of utterances (default 10000)")
    text.add_argument("--seed", type=int, default=0)
    text.add_argument("-o", "--output", type=Path, required=True, help="JSON Lines file to write")
    text.set_defaults(handler=run_data_text)
    garments = data.add_parser("garments", help="rendered garment sprites: PNG (RGBA) + JSON per sprite")
    garments.add_argument("-n", type=int, default=1000, help="number of sprites (default 1000)")
    garments.add_argument("--seed", type=int, default=0)
    garments.add_argument("--size", default="256x192", help="HEIGHTxWIDTH, 4:3 (default 256x192)")
    garments.add_argument("-o", "--output", type=Path, required=True, help="folder to write")
    garments.set_defaults(handler=run_data_garments)

    train = sub.add_parser("train", help="train a teacher and distil its student").add_subparsers(dest="model",
                                                                                                  required=True)
    parser = train.add_parser("parser", help="text -> garment frame")
    parser.add_argument("--teacher", default="scratch",
                        help="scratch | encoder:PATH | causal-lm:PATH (default scratch)")
    parser.add_argument("--data", help="JSON Lines corpus to train on (default: generate --corpus-size utterances)")
    parser.add_argument("--corpus-size", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--teacher-epochs", type=int, default=4)
    parser.add_argument("--student-epochs", type=int, default=8)
    parser.add_argument("--out", type=Path, default=Path("runs/parser"), help="run folder (default runs/parser)")
    parser.add_argument("--resume", action="store_true", help="continue the run in --out from its checkpoints")
    parser.set_defaults(handler=run_train_parser)

    generator = train.add_parser("generator", help="garment frame -> sprite: GAN teacher, then distilled student")
    generator.add_argument("--stage", required=True, choices=("teacher", "student"),
                           help="teacher first; the student distils the teacher.pt of the same --out folder")
    generator.add_argument("--pairs", type=int, default=6000, help="rendered training pairs (default 6000)")
    generator.add_argument("--epochs", type=int, default=6)
    generator.add_argument("--seed", type=int, default=0)
    generator.add_argument("--out", type=Path, default=Path("runs/generator"), help="run folder")
    generator.add_argument("--resume", action="store_true", help="continue the stage from its checkpoint")
    generator.add_argument("--real", help="NAME:ROOT of real catalogue garments to add unpaired "
                                          "(viton-hd, dresscode, deepfashion-mm)")
    generator.add_argument("--real-labels", help="labels file (JSON Lines) for --real; default: the shipped parser "
                                                 "reads the dataset's product text")
    generator.set_defaults(handler=run_train_generator)


def run_data_text(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from edge_app.errors import DrapeError
    from trainer.data.text_corpus import write_corpus

    if args.n < 1:
        raise DrapeError(f"-n must be at least 1, got {args.n}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with tqdm(total=args.n, desc="utterances", unit="row") as bar:
        write_corpus(args.output, args.n, args.seed, progress=lambda done, _: bar.update(done - bar.n))
    print(f"wrote {args.n} utterances to {args.output}")
    return 0


def run_data_garments(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from edge_app.errors import DrapeError
    from trainer.data.garments import write_garments

    height, width = _sprite_size(args.size)
    if args.n < 1:
        raise DrapeError(f"-n must be at least 1, got {args.n}")
    with tqdm(total=args.n, desc="garments", unit="sprite") as bar:
        write_garments(args.output, args.n, args.seed, (height, width),
                       progress=lambda done, _: bar.update(done - bar.n))
    print(f"wrote {args.n} sprites (PNG + JSON) to {args.output}")
    return 0


def _sprite_size(text: str) -> tuple[int, int]:
    from edge_app.errors import DrapeError

    try:
        height, width = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise DrapeError(f"--size is HEIGHTxWIDTH, e.g. 256x192, got {text!r}") from None
    if height < 32 or height * 3 != width * 4:
        raise DrapeError(f"--size must be 4:3 (height:width) and at least 32x24, e.g. 256x192, got {text!r}")
    return height, width


def run_train_parser(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from trainer.train_parser import ParserTrainConfig, train_parser

    base = ParserTrainConfig()
    cfg = ParserTrainConfig(teacher=args.teacher, data=args.data, corpus_size=args.corpus_size, seed=args.seed,
                            teacher_loop=replace(base.teacher_loop, epochs=args.teacher_epochs),
                            student_loop=replace(base.student_loop, epochs=args.student_epochs))
    metrics = train_parser(cfg, args.out, resume=args.resume)
    print(json.dumps(metrics, indent=2))
    print(f"run folder: {args.out}  (export it with: drape export parser --run {args.out})")
    return 0


def run_train_generator(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from trainer.train_generator import GeneratorTrainConfig, train_generator

    base = GeneratorTrainConfig()
    cfg = replace(base, pairs=args.pairs, seed=args.seed, loop=replace(base.loop, epochs=args.epochs),
                  real=args.real, real_labels=args.real_labels)
    print(json.dumps(train_generator(cfg, args.stage, args.out, resume=args.resume), indent=2))
    print(f"samples: {args.out}/samples_{args.stage}.png  (TensorBoard: tensorboard --logdir {args.out}/tb)")
    return 0
