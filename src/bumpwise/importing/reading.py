"""Read an import file: size checked before reading, UTF-8, JSON without NaN or Infinity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bumpwise.domain.errors import ImportFormatError

MAX_BYTES = 20 * 1024 * 1024
"""The largest file we read. free-exercise-db is 1 MB for 873 exercises; a full wger dump is a few MB."""


def read_json_file(path: Path, max_bytes: int = MAX_BYTES) -> Any:
    """The parsed JSON of ``path``; any problem is one ``ImportFormatError`` naming FILE."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFormatError("FILE", f"cannot read {path}: {exc.strerror or exc}") from exc
    if not path.is_file():
        raise ImportFormatError("FILE", f"{path} is not a regular file")
    if size > max_bytes:
        raise ImportFormatError(
            "FILE", f"{path} is {size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB"
        )
    try:
        # read at most one byte past the limit, in case the file grew since stat()
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ImportFormatError("FILE", f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise ImportFormatError("FILE", f"{path} is larger than the {max_bytes // 1_048_576} MB limit")
    return parse_json_bytes(raw)


def read_json_folder(folder: Path, max_bytes: int = MAX_BYTES) -> list[Any]:
    """Every ``*.json`` file of a folder (an export split into files, as the wger fixtures are),
    each a JSON list, joined in name order; ``max_bytes`` bounds them together."""
    paths = sorted(p for p in folder.glob("*.json") if p.is_file())
    if not paths:
        raise ImportFormatError("FILE", f"{folder} holds no .json files")
    total = sum(p.stat().st_size for p in paths)
    if total > max_bytes:
        raise ImportFormatError(
            "FILE",
            f"{folder} holds {total / 1_048_576:.1f} MB of JSON; the limit is {max_bytes / 1_048_576:.0f} MB",
        )
    return joined_lists([(p.name, read_json_file(p, max_bytes)) for p in paths])


def joined_lists(documents: list[tuple[str, Any]]) -> list[Any]:
    joined: list[Any] = []
    for name, data in documents:
        if not isinstance(data, list):
            raise ImportFormatError("FILE", f"{name}: each file of a split export must be a JSON list")
        joined.extend(data)
    return joined


def parse_json_bytes(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError("FILE", f"is not UTF-8 text (bad byte at offset {exc.start})") from exc
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            "FILE", f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except RecursionError as exc:
        raise ImportFormatError("FILE", "is not valid JSON: nested too deeply") from exc


def _reject_constant(name: str) -> Any:
    raise ImportFormatError("FILE", f"is not valid JSON: {name} is not a JSON number")
