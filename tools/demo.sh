#!/usr/bin/env bash
# Sets up (tools/setup.sh) and runs Drape's main job on the shipped default bundle, on the device runtime
# (no torch involved): parse shoppers' sentences into garment frames, paint garments for some of them, then
# wear them on the sample clip of real people (out/tryon.mp4).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
echo "== drape parse --input tools/sample_utterances.txt   (parser student, ONNX int8)"
.venv/bin/drape parse --input tools/sample_utterances.txt --pretty
echo "== drape generate ...   (generator student, TFLite int8) -> out/"
mkdir -p out
n=0
while IFS= read -r sentence; do
  n=$((n + 1))
  # drape generate and tryon use TFLite int8 by default (edge_app/commands.py says why)
  .venv/bin/drape generate "$sentence" --seed "$n" -o "out/garment_$n.png"
done <<'SENTENCES'
a navy polka-dot dress, knee length
an oversized black hoodie
red and white striped shorts
a cream linen shirt with long sleeves
SENTENCES
echo "== drape tryon on the sample clip (scikit-image's astronaut and cameraman, moved) -> out/tryon.mp4"
[ -f out/sample_clip.mp4 ] || .venv/bin/python tools/sample_clip.py -o out/sample_clip.mp4
.venv/bin/drape tryon --input out/sample_clip.mp4 --text "a red and white striped shirt" \
  --say 1.5:"make it navy" --say 3.0:"a yellow polka-dot dress" --say 4.5:"undo" -o out/tryon.mp4
echo "Done: garments in out/garment_*.png, the try-on video in out/tryon.mp4"
