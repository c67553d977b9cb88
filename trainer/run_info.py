"""What a run folder records so the run can be made again: config.yaml (the resolved config, which `--config`
reads back) and run.json (the git revision, package versions, the data's fingerprints, processes, command, host).

The bundle's manifest copies run.json into its model's "run" entry (export/), so a shipped model names its run.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import torch
import yaml

from edge_app.errors import DrapeError
from trainer import distributed
from trainer.config import to_yaml
from trainer.paths import REPO

RUN_INFO = "run.json"
CONFIG = "config.yaml"
PACKAGES = ("torch", "numpy", "transformers", "tokenizers", "scikit-image", "opencv-contrib-python", "pillow",
            "pyyaml", "onnx", "onnxruntime", "litert-torch", "coremltools")


def git_state(repo: Path = REPO) -> dict:
    """{"revision", "dirty": the tracked files changed since it} of the checkout, or None for both outside one
    (an installed package)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout

    try:
        changed = [line[3:] for line in git("status", "--porcelain", "-uno").splitlines()]
        return {"revision": git("rev-parse", "HEAD").strip(), "dirty": changed}
    except (OSError, subprocess.CalledProcessError):
        return {"revision": None, "dirty": None}


# The checkout as this process found it: a long build keeps running the code it started with while the tree moves
# on, so a stage that starts later must not read the revision again.
GIT_AT_START = git_state()


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str | None]:
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def fingerprint(tensors: tuple[torch.Tensor, ...] | list[torch.Tensor]) -> str:
    """sha256 over the tensors' shapes, dtypes and bytes: equal exactly when the training data is."""
    digest = hashlib.sha256()
    for t in tensors:
        digest.update(f"{tuple(t.shape)}{t.dtype}".encode())
        digest.update(t.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def write_run_info(run: Path, config: object, data: dict[str, str], stage: str | None = None) -> dict:
    """Write config.yaml and run.json into `run` (rank 0 only) and return the run.json content.

    `data` names each training set's fingerprint. A stage (the generator's teacher, student) adds its own entry
    under "stages", so one folder records both runs that filled it.
    """
    info = {"git": GIT_AT_START, "python": platform.python_version(), "packages": package_versions(),
            "processes": distributed.world_size(), "device": str(distributed.device()), "host": platform.node(),
            "command": sys.argv, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "data": data}
    if not distributed.is_main():
        return info
    run.mkdir(parents=True, exist_ok=True)
    (run / CONFIG).write_text(to_yaml(config), encoding="utf-8")
    path = run / RUN_INFO
    record = json.loads(path.read_text(encoding="utf-8")) if path.exists() and stage else {}
    record = {**record, "stages": {**record.get("stages", {}), stage: info}} if stage else info
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return info


def run_record(run: Path) -> dict:
    """The manifest's "run" entry for a model exported from `run`: its folder, the export's git state, and the
    run's run.json and config.yaml. A folder trained before run.json existed has its config.json only, and says so.
    """
    record = {"folder": _relative_to_repo(run), "exported_at": git_state()}
    if (run / RUN_INFO).is_file():
        record |= json.loads((run / RUN_INFO).read_text(encoding="utf-8"))
        record["config"] = yaml.safe_load((run / CONFIG).read_text(encoding="utf-8"))
    elif (run / "config.json").is_file():
        record |= {"config": json.loads((run / "config.json").read_text(encoding="utf-8")),
                   "provenance": "config only: this run was trained before run folders recorded run.json"}
    else:
        raise DrapeError(f"{run} has neither {RUN_INFO} nor config.json: is it a run folder of drape train?")
    return record


def _relative_to_repo(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)
