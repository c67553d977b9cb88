#!/usr/bin/env bash
# Sets up everything Drape needs on a fresh Debian machine with Python 3.11: Debian packages (only those
# missing), then .venv with the project and its extras. Safe to run twice: a second run checks and moves on.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libgl1 libglib2.0-0  # OpenCV and MediaPipe load these
              xvfb libgl1-mesa-dri  # the Kivy app runs headless in tests, under xvfb-run
              libmtdev1 xclip  # Kivy's Linux touch and cut-buffer providers (missing, it logs tracebacks at start)
              fonts-wqy-microhei)  # a CJK font for the app (Kivy's own has no Chinese glyphs)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "setup: Drape needs Python 3.11 (found $(python3 --version 2>&1)); install python3.11 and rerun" >&2
  exit 1
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=.venv/.drape-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv (first time: a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q "torch==2.13.0"  # the CPU build; pinned before anything can pull a newer one
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$stamp"
fi
echo "setup: .venv ready"
