"""Knowledge in another language: per-language overlay files merged onto the English ones (issue 19).

A translation of ``knowledge/<path>`` lives at ``knowledge/locales/<lang>/<path>`` and holds the
English file's shape with only its text, translated (docs/i18n.md; the format is fixed with the
translators). Which leaves of a file are text is data, not guessed: ``knowledge/translatable.yaml``
names them per file by a path of keys, ``*`` (any mapping key) and ``[]`` (each list item).

The merge, applied to the parsed English document:
- a mapping merges key by key; a key the English file lacks, or a key under which no text lives, is
  an error;
- a list of mappings carrying ``id`` (or ``key``) merges item by item by that identity, in any order;
  a list of mappings without one merges by position and must be as long as the English one;
- a list of strings is replaced, one translation per English line (the same length);
- a string is replaced, keeping exactly the same ``{placeholders}``.
Every problem names the overlay file and the path in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any

from pydantic import Field

from bumpwise.domain.errors import DataError
from bumpwise.domain.exercise import Strict

LOCALES_DIR = "locales"
LANGUAGE_FILE = "language.yaml"
TEXT_PATHS_FILE = "translatable.yaml"
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")
IDENTITY_KEYS = ("id", "key")
HEADING = re.compile(r"^## ", re.MULTILINE)


class LanguageInfo(Strict):
    """``knowledge/locales/<code>/language.yaml``."""

    code: str = Field(pattern=r"^[a-z]{2,3}$")
    name: str = Field(min_length=2, max_length=40)
    """The language's name in itself ("Español"), as a language picker shows it."""
    english_name: str = Field(min_length=2, max_length=40)
    complete: bool = False
    """Complete: every text leaf of every knowledge file must be translated (validate-data)."""


class TextPaths(Strict):
    """``knowledge/translatable.yaml``: file pattern → the paths of its text leaves."""

    files: dict[str, list[str]] = Field(min_length=1)

    def patterns(self, rel: str) -> list[tuple[str, ...]]:
        """The text paths of one file (its path relative to the knowledge folder), as tokens."""
        found: list[tuple[str, ...]] = []
        for glob, paths in self.files.items():
            if fnmatch(rel, glob):
                found.extend(tokens(p) for p in paths)
        return found


def tokens(path: str) -> tuple[str, ...]:
    """``variants[].cues.*`` → ("variants", "[]", "cues", "*")."""
    return tuple(re.findall(r"\[\]|[^.\[\]]+", path))


def _matches(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    return len(pattern) == len(path) and all(p in ("*", q) for p, q in zip(pattern, path, strict=True))


def _leads_to_text(patterns: list[tuple[str, ...]], path: tuple[str, ...]) -> bool:
    return any(len(p) > len(path) and _matches(p[: len(path)], path) for p in patterns)


def _is_text(patterns: list[tuple[str, ...]], path: tuple[str, ...]) -> bool:
    return any(_matches(p, path) for p in patterns)


def _show(path: list[str]) -> str:
    return "".join(part if part.startswith("[") else f".{part}" for part in path).lstrip(".")


def identity_of(items: list[Any]) -> str | None:
    """The key that names the items of a list of mappings (``id`` or ``key``), if they carry one."""
    for name in IDENTITY_KEYS:
        if items and all(isinstance(i, dict) and name in i for i in items):
            return name
    return None


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@dataclass
class _Merge:
    file: str
    patterns: list[tuple[str, ...]]
    problems: list[DataError]

    def fail(self, path: list[str], message: str) -> None:
        self.problems.append(DataError(self.file, _show(path), message))

    def merge(self, english: Any, overlay: Any, path: list[str], shape: tuple[str, ...]) -> Any:
        if isinstance(english, dict):
            return self._mapping(english, overlay, path, shape)
        if isinstance(english, list):
            return self._list(english, overlay, path, shape)
        line_of_text = shape[-1:] == ("[]",) and _is_text(self.patterns, shape[:-1])
        if isinstance(english, str) and (_is_text(self.patterns, shape) or line_of_text):
            if not isinstance(overlay, str):
                self.fail(path, "must be a string, as in the English file")
                return english
            if placeholders(overlay) != placeholders(english):
                wanted = ", ".join(sorted(placeholders(english))) or "none"
                self.fail(path, f"must keep exactly the English placeholders ({wanted})")
                return english
            return overlay
        self.fail(path, "is not text to translate (ids, values from a list, numbers and links stay English)")
        return english

    def _mapping(self, english: dict[str, Any], overlay: Any, path: list[str], shape: tuple[str, ...]) -> Any:
        if not isinstance(overlay, dict):
            self.fail(path, "must be a mapping, as in the English file")
            return english
        merged = dict(english)
        for key, value in overlay.items():
            here, inner = [*path, str(key)], (*shape, str(key))
            if key not in english:
                self.fail(here, "is not in the English file")
            elif key in IDENTITY_KEYS and not _is_text(self.patterns, inner):
                if value != english[key]:
                    self.fail(here, f"{value!r} must be the English {key} {english[key]!r}")
            elif not (_is_text(self.patterns, inner) or _leads_to_text(self.patterns, inner)):
                self.fail(
                    here, "is not text to translate (ids, values from a list, numbers and links stay English)"
                )
            else:
                merged[key] = self.merge(english[key], value, here, inner)
        return merged

    def _list(self, english: list[Any], overlay: Any, path: list[str], shape: tuple[str, ...]) -> Any:
        if not isinstance(overlay, list):
            self.fail(path, "must be a list, as in the English file")
            return english
        inner = (*shape, "[]")
        ident = identity_of(english)
        if ident is not None:
            position = {item[ident]: i for i, item in enumerate(english)}
            merged = list(english)
            for item in overlay:
                name = item.get(ident) if isinstance(item, dict) else None
                if name not in position:
                    self.fail(path, f"the item {name!r} is not in the English list (by {ident})")
                    continue
                i = position[name]
                merged[i] = self.merge(english[i], item, [*path, f"[{name}]"], inner)
            return merged
        if len(overlay) != len(english):
            self.fail(path, f"must have {len(english)} items, one per English item in the same order")
            return english
        return [
            self.merge(e, o, [*path, f"[{i}]"], inner)
            for i, (e, o) in enumerate(zip(english, overlay, strict=True))
        ]


def merge_overlay(
    english: Any, overlay: Any, file: str, patterns: list[tuple[str, ...]]
) -> tuple[Any, list[DataError]]:
    """The English document with the overlay's text in it, and every problem found (file and path)."""
    if overlay is None:
        return english, []
    job = _Merge(file, patterns, [])
    return job.merge(english, overlay, [], ()), job.problems


def text_leaves(english: Any, patterns: list[tuple[str, ...]]) -> Iterator[tuple[list[str], Any]]:
    """(path, value) of every text leaf of an English document: a string or a list of strings."""

    def walk(node: Any, path: list[str], shape: tuple[str, ...]) -> Iterator[tuple[list[str], Any]]:
        if _is_text(patterns, shape) and (isinstance(node, str) or _strings(node)):
            yield path, node
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, [*path, str(key)], (*shape, str(key)))
        elif isinstance(node, list) and _leads_to_text(patterns, shape):
            ident = identity_of(node)
            for i, item in enumerate(node):
                label = f"[{item[ident]}]" if ident else f"[{i}]"
                yield from walk(item, [*path, label], (*shape, "[]"))

    yield from walk(english, [], ())


def _strings(node: Any) -> bool:
    return isinstance(node, list) and all(isinstance(i, str) for i in node)


def untranslated(english: Any, overlay: Any, patterns: list[tuple[str, ...]]) -> list[str]:
    """The paths of the English text leaves the overlay leaves out."""
    missing: list[str] = []
    for path, _ in text_leaves(english, patterns):
        if _lookup(english, overlay, path) is None:
            missing.append(_show(path))
    return missing


def _lookup(english: Any, overlay: Any, path: list[str]) -> Any:
    """The overlay's node at an English path (items found by id/key or position), or None."""
    node_en, node = english, overlay
    for part in path:
        if node is None:
            return None
        if part.startswith("["):
            if not isinstance(node, list) or not isinstance(node_en, list):
                return None
            ident, label = identity_of(node_en), part[1:-1]
            if ident:
                node_en = next(i for i in node_en if str(i[ident]) == label)
                node = next((i for i in node if isinstance(i, dict) and str(i.get(ident)) == label), None)
            else:
                index = int(label)
                node_en, node = node_en[index], node[index] if index < len(node) else None
        else:
            if not isinstance(node, dict):
                return None
            node_en, node = node_en[part], node.get(part)
    return node


def split_article(text: str) -> tuple[str, str] | None:
    """(front matter, body) of a Markdown article, or None without a front matter."""
    match = re.match(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", text.replace("\r\n", "\n"), re.DOTALL)
    return (match.group("meta"), match.group("body")) if match else None


ARTICLE_TEXT = frozenset({"title", "summary"})
LINK = re.compile(r"\]\(([^)\s]+)\)")


def check_article_overlay(
    english_body: str, meta: Mapping[str, Any], body: str, file: str
) -> list[DataError]:
    """A translated article: only title and summary in its front matter, the same number of ``##``
    headings and the same links as the English one."""
    problems: list[DataError] = []
    for key in sorted(set(meta) - ARTICLE_TEXT):
        problems.append(
            DataError(file, f"front matter.{key}", "is inherited from English; only title and summary")
        )
    for key in sorted(ARTICLE_TEXT - set(meta)):
        problems.append(DataError(file, f"front matter.{key}", "is missing"))
    for key in sorted(ARTICLE_TEXT & set(meta)):
        if not isinstance(meta[key], str):
            problems.append(DataError(file, f"front matter.{key}", "must be a string"))
    wanted, given = len(HEADING.findall(english_body)), len(HEADING.findall(body))
    if wanted != given:
        problems.append(
            DataError(file, "body", f"has {given} '##' headings; the English article has {wanted}")
        )
    if sorted(LINK.findall(english_body)) != sorted(LINK.findall(body)):
        problems.append(DataError(file, "body", "must hold the same links as the English article"))
    return problems


def translate_leaves(english: Any, patterns: list[tuple[str, ...]], translate: Callable[[str], str]) -> Any:
    """An overlay holding every text leaf of an English document, passed through ``translate``
    (with the ids and keys that place each item): a pseudo-translation for tests, or a start for a
    translator."""

    def walk(node: Any, shape: tuple[str, ...]) -> Any:
        if _is_text(patterns, shape):
            if isinstance(node, str):
                return translate(node)
            if _strings(node):
                return [translate(line) for line in node]
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                inner = (*shape, str(key))
                if _is_text(patterns, inner) or _leads_to_text(patterns, inner):
                    found = walk(value, inner)
                    if found not in (None, {}, []):
                        out[key] = found
            return out
        if isinstance(node, list) and _leads_to_text(patterns, shape):
            ident = identity_of(node)
            items = [walk(item, (*shape, "[]")) for item in node]
            if ident:
                return [{ident: e[ident], **i} for e, i in zip(node, items, strict=True) if i]
            return items
        return None

    return walk(english, ())
