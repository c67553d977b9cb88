"""The renderer's garment over the generator's, a pair of rows per pattern, for docs/: what a trained generator draws.

    .venv/bin/python tools/generator_pictures.py [--run trainer/default_run/generator] [--stage student]
                                                 [-o docs/generator_by_pattern.png]

The garments are the held-out pairs the training stages are scored on (train_generator.held_out_pairs); the
generator draws with its own predicted print waves, as on the device.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from torch.utils.data import TensorDataset

from models.schema import SPRITE_SIZE, VALUES
from trainer.paths import DEFAULT_GENERATOR_RUN
from trainer.train_generator import held_out_pairs, load_generator, sample_grid

PER_PATTERN = 8


def by_pattern(run: Path, stage: str, seed: int = 0, per_pattern: int = PER_PATTERN, pairs: int = 200) -> np.ndarray:
    """RGB uint8: for each pattern, up to `per_pattern` of the held-out garments of a run of `seed`, truth row over
    generated row."""
    generator = load_generator(run / f"{stage}.pt")
    data, garments = held_out_pairs(pairs, seed, generator.cfg.style_dim)
    rows = []
    for pattern in VALUES["pattern"]:
        chosen = [i for i, g in enumerate(garments) if g["pattern"] == pattern][:per_pattern]
        if chosen:
            subset = TensorDataset(*(t[chosen] for t in data.tensors))
            grid = sample_grid(generator, subset, len(chosen))
            missing = SPRITE_SIZE[1] * (per_pattern - len(chosen))  # white where a pattern has fewer garments
            rows.append(np.pad(grid, ((0, 0), (0, missing), (0, 0)), constant_values=255))
    return np.concatenate(rows, axis=0)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--run", type=Path, default=DEFAULT_GENERATOR_RUN)
    args.add_argument("--stage", choices=("teacher", "student"), default="student")
    args.add_argument("-o", "--out", type=Path, default=Path("docs/generator_by_pattern.png"))
    opts = args.parse_args(argv)
    Image.fromarray(by_pattern(opts.run, opts.stage)).save(opts.out)
    print(f"wrote {opts.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
