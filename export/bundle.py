"""Write a bundle: the model files under <out_dir>/<model>/ and a manifest.json that edge_app.bundle reads.

The bundle is assembled in a temporary sibling directory and renamed into place, so a reader never sees half a
bundle and an interrupted export leaves the previous one whole.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import torch

from edge_app.bundle import BUNDLE_SCHEMA_VERSION, MANIFEST_NAME, RESERVED_MODEL_KEYS, load_bundle, sha256_of, size_of
from edge_app.errors import DrapeError
from export.formats import get_format
from export.named_io import tensor_specs
from models.schema import taxonomy

_FIXED_KEYS = ("schema_version", "created", "taxonomy", "models")


class BundleWriteError(DrapeError, ValueError):
    """The models or extras passed to write_bundle cannot make a valid bundle."""


def _copy_model_file(source: Path, target: Path) -> None:
    if not source.exists():
        raise BundleWriteError(f"exported file {source} does not exist")
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)


def _specs(model: str, key: str, value: Mapping[str, np.ndarray | torch.Tensor] | list[dict]) -> list[dict]:
    if isinstance(value, Mapping):
        return tensor_specs(value)
    if isinstance(value, list) and all({"name", "shape", "dtype"} <= set(spec) for spec in value):
        return [dict(spec) for spec in value]
    raise BundleWriteError(f"model {model!r}: {key} must map names to sample arrays or list name/shape/dtype specs")


def _place_model(staging: Path, name: str, spec: dict) -> dict:
    """Copy one model's files into `staging`/<name>/ and return its manifest entry."""
    missing = [key for key in RESERVED_MODEL_KEYS if key not in spec]
    if missing:
        raise BundleWriteError(f"model {name!r} lacks {', '.join(missing)}")
    stem = spec.get("stem", "student")
    files = {}
    for format_name, source in spec["files"].items():
        fmt = get_format(format_name)
        relative = f"{name}/{stem}{fmt.suffix}"
        target = staging / relative
        _copy_model_file(Path(source), target)
        files[format_name] = {
            "path": relative,
            "sha256": sha256_of(target),
            "size_bytes": size_of(target),
            "precision": fmt.precision,
            "backend": fmt.backend,
        }
    entry = {"inputs": _specs(name, "inputs", spec["inputs"]), "outputs": _specs(name, "outputs", spec["outputs"]),
             "files": files}
    entry.update({k: v for k, v in spec.items() if k not in (*RESERVED_MODEL_KEYS, "stem")})
    return entry


def _replace_dir(staging: Path, out_dir: Path) -> None:
    """Rename `staging` to `out_dir`, moving an existing bundle aside first and deleting it after."""
    old = None
    if out_dir.exists():
        if any(out_dir.iterdir()) and not (out_dir / MANIFEST_NAME).exists():
            raise BundleWriteError(f"{out_dir} exists and is not a bundle; choose an empty or new directory")
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        out_dir.rename(old)
    staging.rename(out_dir)
    if old is not None:
        shutil.rmtree(old)


def _keep_others(out_dir: Path, staging: Path, replaced: set[str]) -> tuple[dict, dict]:
    """Models (files and entries) and bundle-level keys of an existing bundle that this write does not replace,
    so exporting the generator keeps the parser. The old bundle is verified first: a tampered file is not kept."""
    if not (out_dir / MANIFEST_NAME).exists():
        return {}, {}
    old = load_bundle(out_dir)
    manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    kept = {name: entry for name, entry in manifest["models"].items() if name not in replaced}
    for entry in kept.values():
        for file in entry["files"].values():
            _copy_model_file(old.root / file["path"], staging / file["path"])
    return kept, {k: v for k, v in manifest.items() if k not in _FIXED_KEYS}


def write_bundle(out_dir: str | Path, models: dict[str, dict], extra: dict | None = None) -> Path:
    """Write a bundle to `out_dir` and return the manifest's path. Models of a bundle already there that are
    not in `models` are kept, files and entries, with its bundle-level extras (new `extra` keys win).

    `models[name]` holds:
      files   – {format name: path of the exported file or .mlpackage}, formats as in export.formats.FORMATS
      inputs  – {input name: sample array}, in forward's order (or a list of {"name", "shape", "dtype"})
      outputs – {output name: sample array}, in the exported order (or a list of specs)
      stem    – optional file stem, default "student" (parser/student.int8.onnx)
      anything else (vocabulary, tokenizer settings, slot layout, metrics measured at export) is copied as is.
    `extra` adds bundle-level keys (e.g. garment templates). Everything must be JSON-serialisable.
    """
    out_dir = Path(out_dir)
    extra = dict(extra or {})
    clash = sorted(set(extra) & set(_FIXED_KEYS))
    if clash:
        raise BundleWriteError(f"extra keys {clash} are reserved for the manifest itself")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a bundle is meant to be read by others
    try:
        kept_models, kept_extra = _keep_others(out_dir, staging, set(models))
        manifest = {
            "schema_version": BUNDLE_SCHEMA_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "taxonomy": taxonomy(),
            **kept_extra,
            **extra,
            "models": kept_models | {name: _place_model(staging, name, spec) for name, spec in models.items()},
        }
        try:
            text = json.dumps(manifest, ensure_ascii=False, indent=2)
        except TypeError as err:
            raise BundleWriteError(f"the manifest must be JSON-serialisable: {err}") from None
        (staging / MANIFEST_NAME).write_text(text + "\n", encoding="utf-8")
        _replace_dir(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir / MANIFEST_NAME
