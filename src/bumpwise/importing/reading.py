"""Read an import file: size checked before reading, UTF-8, JSON without NaN or Infinity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bumpwise.domain.catalog import N_
from bumpwise.domain.errors import ImportFormatError

MAX_BYTES = 20 * 1024 * 1024
"""The largest file we read. free-exercise-db is 1 MB for 873 exercises; a full wger dump is a few MB."""


def read_json_file(path: Path, max_bytes: int = MAX_BYTES) -> Any:
    """The parsed JSON of ``path``; any problem is one ``ImportFormatError`` naming FILE."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    if not path.is_file():
        raise ImportFormatError("FILE", N_("%(file)s is not a regular file"), values={"file": str(path)})
    if size > max_bytes:
        message = N_("%(file)s is %(size)s MB; the limit is %(limit)s MB")
        raise _too_large(message, size, max_bytes, file=str(path))
    try:
        # read at most one byte past the limit, in case the file grew since stat()
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    if len(raw) > max_bytes:
        raise ImportFormatError(
            "FILE",
            N_("%(file)s is larger than the %(limit)s MB limit"),
            values={"file": str(path), "limit": max_bytes // 1_048_576},
        )
    return parse_json_bytes(raw)


def _too_large(message: str, size: int, max_bytes: int, **names: str) -> ImportFormatError:
    megabytes = {"size": f"{size / 1_048_576:.1f}", "limit": f"{max_bytes / 1_048_576:.0f}"}
    return ImportFormatError("FILE", message, values={**names, **megabytes})


def _unreadable(path: Path, exc: OSError) -> ImportFormatError:
    # The reason is the operating system's words (English).
    return ImportFormatError(
        "FILE",
        N_("cannot read %(file)s: %(reason)s"),
        values={"file": str(path), "reason": exc.strerror or exc},
    )


def read_json_folder(folder: Path, max_bytes: int = MAX_BYTES) -> list[Any]:
    """Every ``*.json`` file of a folder (an export split into files, as the wger fixtures are),
    each a JSON list, joined in name order; ``max_bytes`` bounds them together."""
    paths = sorted(p for p in folder.glob("*.json") if p.is_file())
    if not paths:
        raise ImportFormatError("FILE", N_("%(folder)s holds no .json files"), values={"folder": str(folder)})
    total = sum(p.stat().st_size for p in paths)
    if total > max_bytes:
        message = N_("%(folder)s holds %(size)s MB of JSON; the limit is %(limit)s MB")
        raise _too_large(message, total, max_bytes, folder=str(folder))
    return joined_lists([(p.name, read_json_file(p, max_bytes)) for p in paths])


def joined_lists(documents: list[tuple[str, Any]]) -> list[Any]:
    joined: list[Any] = []
    for name, data in documents:
        if not isinstance(data, list):
            raise ImportFormatError(
                "FILE", N_("%(name)s: each file of a split export must be a JSON list"), values={"name": name}
            )
        joined.extend(data)
    return joined


def parse_json_bytes(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            "FILE", N_("is not UTF-8 text (bad byte at offset %(offset)s)"), values={"offset": exc.start}
        ) from exc
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            "FILE",
            N_("is not valid JSON: %(problem)s at line %(line)s column %(column)s"),
            values={"problem": exc.msg, "line": exc.lineno, "column": exc.colno},
        ) from exc
    except RecursionError as exc:
        raise ImportFormatError("FILE", N_("is not valid JSON: nested too deeply")) from exc


def _reject_constant(name: str) -> Any:
    raise ImportFormatError(
        "FILE", N_("is not valid JSON: %(name)s is not a JSON number"), values={"name": name}
    )
