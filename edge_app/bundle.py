"""Read a model bundle: manifest.json plus the model files it lists, every file checked against its sha256.

The manifest (written by export/bundle.py, which imports `BUNDLE_SCHEMA_VERSION`, `MANIFEST_NAME`, `sha256_of` and
`size_of` from here so both sides agree) looks like:

    {"schema_version": 1, "created": "2026-11-24T10:00:00+00:00", "taxonomy": {...}, <bundle extras>,
     "models": {"parser": {
         "inputs":  [{"name": "ids", "shape": [1, 48, 8], "dtype": "int32"}],
         "outputs": [{"name": "logits", "shape": [1, 40], "dtype": "float32"}],
         "files": {"onnx_int8": {"path": "parser/student.int8.onnx", "sha256": "…", "size_bytes": 43996,
                                 "precision": "int8", "backend": "onnx"}, …},
         <model extras: vocabulary, tokenizer settings, slot layout, metrics, …>}}}

Imports no torch: the app runs this before it loads any model.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from edge_app.errors import DrapeError
from edge_app.runtime import LoadedModel, load_model

BUNDLE_SCHEMA_VERSION = 1
MANIFEST_NAME = "manifest.json"
REBUILD_HINT = "rebuild the bundle with `drape export`"
RESERVED_MODEL_KEYS = ("inputs", "outputs", "files")
_CHUNK = 1 << 20


class BundleError(DrapeError):
    """A bundle the app must refuse: missing or unreadable manifest, wrong schema, a file that fails its hash."""


def _files_under(path: Path) -> list[Path]:
    """Every file of a directory model (a Core ML .mlpackage), sorted by relative POSIX path."""
    return sorted((p for p in path.rglob("*") if p.is_file()), key=lambda p: p.relative_to(path).as_posix())


def sha256_of(path: Path) -> str:
    """Hex sha256 of a model file, or of a directory model (a Core ML .mlpackage).

    A directory hashes, for each file in sorted relative-path order, its relative POSIX path, a NUL, its size in
    decimal, a NUL, then its bytes; so renaming, moving or editing any file inside changes the hash.
    """
    path = Path(path)
    digest = hashlib.sha256()
    if path.is_file():
        _hash_file_into(digest, path)
        return digest.hexdigest()
    for file in _files_under(path):
        digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        digest.update(str(file.stat().st_size).encode() + b"\0")
        _hash_file_into(digest, file)
    return digest.hexdigest()


def _hash_file_into(digest: hashlib._Hash, file: Path) -> None:
    with open(file, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)


def size_of(path: Path) -> int:
    """Bytes of a model file, or the sum over the files of a directory model."""
    path = Path(path)
    return path.stat().st_size if path.is_file() else sum(f.stat().st_size for f in _files_under(path))


@dataclass(frozen=True)
class TensorSpec:
    name: str
    shape: tuple[int | str, ...]
    dtype: str


@dataclass(frozen=True)
class ModelFile:
    """One exported file of a model; `path` is relative to the bundle directory."""

    format: str
    path: str
    sha256: str
    size_bytes: int
    precision: str
    backend: str


@dataclass(frozen=True)
class ModelEntry:
    name: str
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]
    files: dict[str, ModelFile]
    extras: dict = field(default_factory=dict)  # vocabulary, tokenizer settings, slot layout, metrics, …

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.inputs)

    @property
    def output_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.outputs)

    def __getitem__(self, key: str):
        """A model extra by name (entry["vocabulary"]); a missing one is a bundle to rebuild."""
        if key not in self.extras:
            raise BundleError(f"{MANIFEST_NAME}: model {self.name!r} has no {key!r} (it has: "
                              f"{', '.join(self.extras) or 'no extras'}); {REBUILD_HINT}")
        return self.extras[key]

    def __contains__(self, key: object) -> bool:
        return key in self.extras

    def get(self, key: str, default=None):
        return self.extras.get(key, default)

    def file(self, format_name: str) -> ModelFile:
        if format_name not in self.files:
            raise BundleError(f"model {self.name!r} has no {format_name!r} file; it has: {', '.join(self.files)}")
        return self.files[format_name]


@dataclass(frozen=True)
class Bundle:
    root: Path
    schema_version: int
    created: str
    taxonomy: dict
    models: dict[str, ModelEntry]
    extras: dict = field(default_factory=dict)  # bundle-level keys beyond the fixed ones, e.g. templates

    def model(self, name: str) -> ModelEntry:
        if name not in self.models:
            raise BundleError(f"the bundle has no model {name!r}; it has: {', '.join(self.models)}")
        return self.models[name]

    def model_path(self, model: str, format_name: str) -> Path:
        return self.root / self.model(model).file(format_name).path

    def load_model(self, model: str, format_name: str, threads: int = 1) -> LoadedModel:
        """The model's `format_name` file loaded on the backend the manifest names, with the manifest's I/O names."""
        entry = self.model(model)
        file = entry.file(format_name)
        return load_model(self.root / file.path, file.backend, threads,
                          input_names=entry.input_names, output_names=entry.output_names)


def _tensor_specs(model: str, specs: list[dict]) -> tuple[TensorSpec, ...]:
    try:
        return tuple(TensorSpec(s["name"], tuple(s["shape"]), s["dtype"]) for s in specs)
    except (KeyError, TypeError) as err:
        raise BundleError(f"{MANIFEST_NAME}: model {model!r} has a malformed tensor spec; {REBUILD_HINT}") from err


def _model_entry(name: str, data: dict) -> ModelEntry:
    missing = [key for key in RESERVED_MODEL_KEYS if key not in data]
    if missing:
        raise BundleError(f"{MANIFEST_NAME}: model {name!r} lacks {', '.join(missing)}; {REBUILD_HINT}")
    try:
        files = {fmt: ModelFile(format=fmt, **entry) for fmt, entry in data["files"].items()}
    except TypeError as err:
        raise BundleError(f"{MANIFEST_NAME}: model {name!r} has a malformed file entry; {REBUILD_HINT}") from err
    extras = {k: v for k, v in data.items() if k not in RESERVED_MODEL_KEYS}
    return ModelEntry(name, _tensor_specs(name, data["inputs"]), _tensor_specs(name, data["outputs"]), files, extras)


def _read_manifest(root: Path) -> dict:
    manifest = root / MANIFEST_NAME
    if not manifest.is_file():
        raise BundleError(f"{root} is not a bundle: it has no {MANIFEST_NAME}; {REBUILD_HINT}")
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise BundleError(f"{manifest} is not valid JSON ({err}); {REBUILD_HINT}") from None
    if not isinstance(data, dict):
        raise BundleError(f"{manifest} is not a JSON object; {REBUILD_HINT}")
    version = data.get("schema_version")
    if version != BUNDLE_SCHEMA_VERSION:
        raise BundleError(
            f"{manifest} has schema version {version!r}, this app reads version {BUNDLE_SCHEMA_VERSION}; {REBUILD_HINT}"
        )
    return data


def verify_files(bundle: Bundle) -> None:
    """Refuse the bundle unless every listed file is present and matches its sha256."""
    for entry in bundle.models.values():
        for file in entry.files.values():
            path = bundle.root / file.path
            if not path.exists():
                raise BundleError(f"model file {file.path} listed in {MANIFEST_NAME} is missing; {REBUILD_HINT}")
            if sha256_of(path) != file.sha256:
                raise BundleError(
                    f"model file {file.path} does not match its sha256 in {MANIFEST_NAME}; {REBUILD_HINT}"
                )


def load_bundle(directory: str | Path, verify: bool = True) -> Bundle:
    """Read `directory`/manifest.json and, unless `verify` is False, check the sha256 of every model file."""
    root = Path(directory)
    data = _read_manifest(root)
    for key in ("taxonomy", "models"):
        if not isinstance(data.get(key), dict):
            raise BundleError(f"{root / MANIFEST_NAME} has no {key!r} object; {REBUILD_HINT}")
    fixed = ("schema_version", "created", "taxonomy", "models")
    bundle = Bundle(
        root=root,
        schema_version=data["schema_version"],
        created=str(data.get("created", "")),
        taxonomy=data["taxonomy"],
        models={name: _model_entry(name, entry) for name, entry in data["models"].items()},
        extras={k: v for k, v in data.items() if k not in fixed},
    )
    if verify:
        verify_files(bundle)
    return bundle
