#!/usr/bin/env bash
# Sets up (tools/setup.sh) and runs Drape's main job on the shipped default bundle: for now, parsing
# shoppers' sentences into garment frames on the device runtime (no torch involved).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
echo "drape parse --input tools/sample_utterances.txt   (ONNX int8 student from edge_app/default_bundle)"
.venv/bin/drape parse --input tools/sample_utterances.txt --pretty
