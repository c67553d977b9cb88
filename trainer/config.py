"""Training configs: frozen dataclasses hold every key, its default and its comment (the one place a key is
documented); a YAML file and `key=value` arguments override some of them, checked against the field types.

    drape train generator --stage teacher --config big.yaml pairs=20000 loop.epochs=12 gan.auxiliary=4

Nested configs take dotted keys (`loop.epochs`, `teacher_loop.lr`); a YAML file may nest them as mappings or
write them dotted. `to_yaml` writes a resolved config that `--config` reads back to the same value.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml

from edge_app.errors import DrapeError

T = TypeVar("T")


class ConfigError(DrapeError):
    """A config key that does not exist or a value of the wrong type; the message names it."""


def resolve_config(default: T, path: Path | str | None = None, overrides: Sequence[str] = ()) -> T:
    """`default` with the YAML file at `path`, then each `key=value` of `overrides`, applied in that order."""
    flat = _flatten(_read_yaml(Path(path)), "") if path is not None else {}
    for item in overrides:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{item!r} is not a key=value override (e.g. loop.epochs=3)")
        flat[key.strip()] = text
    return _apply(default, flat, "")


def to_yaml(config: object) -> str:
    return yaml.safe_dump(_plain(dataclasses.asdict(config)), sort_keys=False, allow_unicode=True)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _read_yaml(path: Path) -> dict:
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ConfigError(f"config file {path} is not valid YAML: {str(err).splitlines()[0]}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a mapping of keys to values, not {type(data).__name__}")
    return data


def _flatten(data: Mapping, prefix: str) -> dict[str, Any]:
    flat = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        flat |= _flatten(value, name + ".") if isinstance(value, Mapping) else {name: value}
    return flat


def _apply(config: T, flat: dict[str, Any], prefix: str) -> T:
    fields = {f.name: f for f in dataclasses.fields(config)}
    hints = typing.get_type_hints(type(config))
    changes, nested = {}, {}
    for key, value in flat.items():
        head, _, rest = key.partition(".")
        if head not in fields:
            raise ConfigError(f"unknown config key {prefix + key!r}; {_where(prefix)} has: {', '.join(fields)}")
        if rest:
            if not dataclasses.is_dataclass(getattr(config, head)):
                raise ConfigError(f"config key {prefix + head!r} has no sub-keys (got {prefix + key!r})")
            nested.setdefault(head, {})[rest] = value
        elif dataclasses.is_dataclass(getattr(config, head)):
            raise ConfigError(f"config key {prefix + head!r} is a group; set its keys, e.g. {prefix + head}."
                              f"{dataclasses.fields(getattr(config, head))[0].name}=...")
        else:
            changes[head] = _coerce(value, hints[head], prefix + head)
    for head, sub in nested.items():
        changes[head] = _apply(getattr(config, head), sub, f"{prefix}{head}.")
    try:
        return dataclasses.replace(config, **changes)
    except ValueError as err:  # a config's own check (__post_init__)
        raise ConfigError(f"config {_where(prefix)}: {err}") from None


def _where(prefix: str) -> str:
    return f"group {prefix[:-1]!r}" if prefix else "the config"


def _coerce(value: Any, hint: Any, key: str) -> Any:
    """`value` (from YAML, or the text of an override) as the field's type, or a ConfigError naming the key."""
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union \
        else (hint,)
    if isinstance(value, str) and value.strip().lower() in ("null", "none", "~") and type(None) in options:
        return None
    if value is None and type(None) in options:
        return None
    for option in options:
        if option is type(None):
            continue
        try:
            return _as(value, option)
        except (TypeError, ValueError):
            continue
    wanted = " or ".join("null" if o is type(None) else _type_name(o) for o in options)
    raise ConfigError(f"config key {key!r} must be {wanted}, got {value!r}")


def _type_name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint)


def _as(value: Any, hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is tuple:
        items = yaml.safe_load(value) if isinstance(value, str) else value
        if isinstance(items, str | int | float):
            items = [items]
        if not isinstance(items, list | tuple):
            raise TypeError(hint)
        args = typing.get_args(hint)
        kinds = [args[0]] * len(items) if len(args) == 2 and args[1] is Ellipsis else list(args)
        if len(kinds) != len(items):
            raise ValueError(hint)
        return tuple(_as(v, k) for v, k in zip(items, kinds, strict=True))
    if hint is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise TypeError(hint)
    if hint is int:
        if isinstance(value, bool) or isinstance(value, float):
            raise TypeError(hint)
        return int(value)  # an int, or the text of one
    if hint is float:
        if isinstance(value, bool):
            raise TypeError(hint)
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise TypeError(hint)
        return value
    raise TypeError(hint)
