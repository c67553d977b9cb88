"""Build the shipped default bundle from a fixed seed, so a fresh clone parses without training.

Trains the parser (teacher, then the distilled student) into trainer/default_run/parser and exports the
student in every format into edge_app/default_bundle. About 20 minutes on a 2-core CPU.

    .venv/bin/python tools/build_default_bundle.py [--seed 0] [--corpus-size 40000] [--skip-train]
"""

from __future__ import annotations

import argparse
import shutil
import sys

from edge_app.parser import DEFAULT_BUNDLE
from export.formats import FORMATS
from export.parser import export_parser
from trainer.paths import DEFAULT_PARSER_RUN, PARSER_DEV_SET
from trainer.train_parser import ParserTrainConfig, train_parser

# What is not shipped: optimizer checkpoints, cached soft labels (rebuilt by --resume), TensorBoard logs.
NOT_SHIPPED = ("checkpoints", "soft_labels.pt", "tb")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--seed", type=int, default=0)
    args.add_argument("--corpus-size", type=int, default=ParserTrainConfig.corpus_size)
    args.add_argument("--skip-train", action="store_true", help="export the existing run again")
    opts = args.parse_args(argv)
    if not opts.skip_train:
        metrics = train_parser(ParserTrainConfig(seed=opts.seed, corpus_size=opts.corpus_size), DEFAULT_PARSER_RUN)
        print(f"dev set: teacher {metrics['teacher']}, student {metrics['student']}")
    export_parser(DEFAULT_PARSER_RUN, DEFAULT_BUNDLE, list(FORMATS.values()), PARSER_DEV_SET)
    for name in NOT_SHIPPED:
        path = DEFAULT_PARSER_RUN / name
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    print(f"default bundle: {DEFAULT_BUNDLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
