"""`drape data ...` and `drape train ...`: registration only; the work is imported when a command runs."""

from __future__ import annotations

import argparse
import json
import os
import sys
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
    for model, (summary, description) in TRAININGS.items():
        cmd = train.add_parser(model, help=summary, description=f"{summary}. {description}",
                               epilog=CONFIG_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
        if model == "generator":
            cmd.add_argument("--stage", required=True, choices=("teacher", "student", "predictors", "silhouette"),
                             help="teacher first; the student distils the teacher.pt of the same --out folder; "
                                  "predictors refits both's predictors of the print's waves, the folds and a "
                                  "graphic (minutes, the rest kept); silhouette gives a pair trained without it "
                                  "the renderer's silhouette cut (seconds, nothing trains)")
        cmd.add_argument("overrides", nargs="*", metavar="KEY=VALUE", help="config overrides, e.g. loop.epochs=3")
        cmd.add_argument("--config", type=Path, help="YAML file of config overrides (a run's config.yaml works)")
        cmd.add_argument("--show-config", action="store_true", help="print the resolved config as YAML and exit")
        cmd.add_argument("--out", type=Path, default=Path(f"runs/{model}"), help=f"run folder (default runs/{model})")
        cmd.add_argument("--resume", action="store_true", help="continue the run in --out from its checkpoints")
        cmd.add_argument("--nproc", type=int, default=1,
                         help="processes on this machine, under torchrun (gloo on CPU, nccl on GPU; default 1)")
        cmd.add_argument("--max-restarts", type=int, default=0,
                         help="with --nproc: restart failed workers this many times; they continue with --resume")
        cmd.add_argument("--max-steps", type=int, help="stop each training loop after N steps (checkpointed)")
        cmd.add_argument("--max-minutes", type=float, help="stop after M minutes in a loop, checkpointed; "
                                                           "--resume continues")
        cmd.set_defaults(handler=run_train)


TRAININGS = {
    "parser": ("text -> garment frame", "Corpus, teacher (scratch | encoder:PATH | causal-lm:PATH), soft labels "
               "and the distilled student, in one run folder."),
    "generator": ("garment frame -> sprite", "A teacher on rendered pairs, then a student distilled from it."),
}

MULTI_NODE = """  torchrun --nnodes 2 --nproc-per-node 8 --rdzv-backend c10d --rdzv-endpoint HOST:29500 \\
      -m trainer generator --stage teacher --out runs/generator --resume"""

CONFIG_HELP = f"""config keys: every field of the run's config dataclass (trainer/train_parser.py ParserTrainConfig,
trainer/train_generator.py GeneratorTrainConfig), documented there beside its default; nested groups take dotted
keys (loop.epochs, gan.l1, teacher_loop.lr). --show-config prints them all. Several processes:
  drape train generator --stage teacher --nproc 2
{MULTI_NODE}"""


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


def run_train(args: argparse.Namespace) -> int:
    from edge_app.errors import DrapeError
    from trainer.config import resolve_config, to_yaml

    if args.nproc < 1:
        raise DrapeError(f"--nproc must be at least 1, got {args.nproc}")
    for flag, value in (("--max-steps", args.max_steps), ("--max-minutes", args.max_minutes)):
        if value is not None and value <= 0:
            raise DrapeError(f"{flag} must be positive, got {value}")
    default, train = _training(args.model)
    cfg = _limit_loops(resolve_config(default, args.config, args.overrides), args.max_steps, args.max_minutes)
    if args.show_config:
        print(to_yaml(cfg), end="")
        return 0
    if args.nproc > 1 and "RANK" not in os.environ:
        return _torchrun(args)
    from trainer import distributed
    from trainer.loop import TimeLimit

    try:
        metrics = train(cfg, args)
    except TimeLimit as stop:
        print(f"drape: {stop}", file=sys.stderr)
        return 0
    finally:
        distributed.finish()
    if metrics:  # rank 0
        print(json.dumps(metrics, indent=2))
        staged = args.model == "generator" and args.stage not in ("predictors", "silhouette")
        after = f"samples: {args.out}/samples_{args.stage}.png" if staged else \
            f"export it with: drape export {args.model} --run {args.out}"
        print(f"run folder: {args.out}  ({after})")
    return 0


def _training(model: str):
    """The default config of `model` and a function (cfg, args) -> metrics that trains it."""
    if model == "parser":
        from trainer.train_parser import ParserTrainConfig, train_parser

        return ParserTrainConfig(), lambda cfg, args: train_parser(cfg, args.out, resume=args.resume)
    from trainer.train_generator import GeneratorTrainConfig, train_generator

    return GeneratorTrainConfig(), lambda cfg, args: train_generator(cfg, args.stage, args.out, resume=args.resume)


def _limit_loops(cfg, max_steps: int | None, max_minutes: float | None):
    """`cfg` with max_steps / max_minutes set in each of its loop configs (LoopConfig fields)."""
    from dataclasses import fields, replace

    from trainer.loop import LoopConfig

    limits = {k: v for k, v in (("max_steps", max_steps), ("max_minutes", max_minutes)) if v is not None}
    loops = {f.name: replace(getattr(cfg, f.name), **limits) for f in fields(cfg)
             if isinstance(getattr(cfg, f.name), LoopConfig)}
    return replace(cfg, **loops) if limits else cfg


def _torchrun(args: argparse.Namespace) -> int:
    """Start `args.nproc` processes of this command on this machine under torchrun and wait for them."""
    import subprocess

    argv = [args.model, *(["--stage", args.stage] if args.model == "generator" else []), *args.overrides,
            "--out", str(args.out)]
    argv += ["--config", str(args.config)] if args.config else []
    argv += ["--resume"] if args.resume or args.max_restarts else []
    argv += ["--max-steps", str(args.max_steps)] if args.max_steps else []
    argv += ["--max-minutes", str(args.max_minutes)] if args.max_minutes else []
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={args.nproc}",
               f"--max-restarts={args.max_restarts}", "-m", "trainer", *argv]
    print("drape: " + " ".join(command[1:]), file=sys.stderr)
    return subprocess.run(command, check=False).returncode
