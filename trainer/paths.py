"""Where the shipped data and runs live in the repository (torch-free, so command registration can read it)."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARSER_DEV_SET = REPO / "tests" / "data" / "parser_dev.jsonl"  # hand-written; the benchmark's yardstick
DEFAULT_PARSER_RUN = REPO / "trainer" / "default_run" / "parser"  # the run the shipped bundle was built from
DEFAULT_GENERATOR_RUN = REPO / "trainer" / "default_run" / "generator"
