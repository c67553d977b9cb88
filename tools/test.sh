#!/usr/bin/env bash
# Sets up (tools/setup.sh) and runs the whole default test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
.venv/bin/python -m pytest -q "$@"
