"""`drape`: one console command; each package registers its own subcommands.

Registration modules import nothing heavy: a subcommand imports its work only when it runs, so
`drape parse` starts without torch, as on a phone.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from edge_app.errors import DrapeError
from models.schema import FrameError

COMMAND_MODULES = ("trainer.commands", "export.commands", "edge_app.commands")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="drape", description="Drape: say what to wear, see it on you, on the device.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and hasattr(args, "overrides") and not any(e.startswith("-") for e in extra):
        args.overrides += extra  # key=value overrides written after an option (argparse takes one run of them)
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args.handler(args) or 0
    except (DrapeError, FrameError) as err:
        print(f"drape: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("drape: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
