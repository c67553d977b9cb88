"""Build the shipped default bundle from a fixed seed, so a fresh clone runs without training.

Trains the parser (teacher, then distilled student) into trainer/default_run/parser and the garment generator
(GAN teacher, then distilled student) into trainer/default_run/generator, and exports both students in every
format into edge_app/default_bundle. On a 2-core CPU: about 20 minutes for the parser; for the generator about
25 for its attribute classifier (12,000 sprites), then about 42 and 27 for teacher and student as `drape train
generator --nproc 2` ran them in sessions 15 and 16 (this script trains in one process: slower). The shipped pair is
such a build from scratch (its run.json records both stages), with this code's premultiplied L1, predictors fitted
before the loop and the silhouette cut (models.renderer_lookups.SilhouetteCut) in place while training.

    .venv/bin/python tools/build_default_bundle.py [--only parser|generator] [--seed 0] [--skip-train]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from edge_app.parser import DEFAULT_BUNDLE
from export.formats import FORMATS
from trainer.paths import DEFAULT_GENERATOR_RUN, DEFAULT_PARSER_RUN, PARSER_DEV_SET

# What is not shipped: optimizer checkpoints, cached soft labels (rebuilt by --resume), TensorBoard logs.
NOT_SHIPPED = ("checkpoints", "soft_labels.pt", "tb")


def build_parser(seed: int, train: bool) -> None:
    from export.parser import export_parser
    from trainer.train_parser import ParserTrainConfig, train_parser

    if train:
        metrics = train_parser(ParserTrainConfig(seed=seed), DEFAULT_PARSER_RUN)
        print(f"parser dev set: teacher {metrics['teacher']}, student {metrics['student']}")
    export_parser(DEFAULT_PARSER_RUN, DEFAULT_BUNDLE, list(FORMATS.values()), PARSER_DEV_SET)


def build_generator(seed: int, train: bool) -> None:
    from export.generator import export_generator
    from trainer.train_generator import GeneratorTrainConfig, train_generator

    if train:
        for stage in ("teacher", "student"):
            metrics = train_generator(GeneratorTrainConfig(seed=seed), stage, DEFAULT_GENERATOR_RUN)
            print(f"generator {stage}: {metrics}")
    export_generator(DEFAULT_GENERATOR_RUN, DEFAULT_BUNDLE, list(FORMATS.values()))


BUILDS = {"parser": (build_parser, DEFAULT_PARSER_RUN), "generator": (build_generator, DEFAULT_GENERATOR_RUN)}


def prune(run: Path) -> None:
    for name in NOT_SHIPPED:
        path = run / name
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--only", choices=tuple(BUILDS), help="build one model (default: all, in order)")
    args.add_argument("--seed", type=int, default=0)
    args.add_argument("--skip-train", action="store_true", help="export the existing runs again")
    opts = args.parse_args(argv)
    for name in [opts.only] if opts.only else list(BUILDS):
        build, run = BUILDS[name]
        build(opts.seed, not opts.skip_train)
        prune(run)
    print(f"default bundle: {DEFAULT_BUNDLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
