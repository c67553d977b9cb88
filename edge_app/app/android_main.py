"""Entry point for the Android package (buildozer.spec): the phone mirror on the front camera, LiteRT runtime.

The same `run_app` the desktop tests drive under xvfb; only the source and the runtime differ.
"""

from pathlib import Path

from edge_app.app.main import run_app

if __name__ == "__main__":
    run_app("phone", "camera:1", [], None, None, {"backend": "tflite", "precision": "int8"},
            Path.home() / "Pictures" / "Drape")
