"""`python -m trainer ARGS` is `drape train ARGS`: the entry point torchrun starts in every process, e.g.

    torchrun --standalone --nproc-per-node 2 -m trainer generator --stage teacher loop.epochs=1
"""

import sys

from tools.cli import main

sys.exit(main(["train", *sys.argv[1:]]))
