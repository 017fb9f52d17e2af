"""A validated knowledge base, cached on disk under a fingerprint of every knowledge file.

Validating 100+ YAML files costs most of the CLI's start-up time; the cache brings it back to a
file read. Any change to any knowledge file, or to the domain code whose classes are pickled,
changes the fingerprint, so a stale cache is never used, and an unreadable cache is ignored and
rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bumpwise import __version__

CACHE_FORMAT = 1
DOMAIN_CODE = Path(__file__).parent
T = TypeVar("T")


def fingerprint(directory: Path, code: Path = DOMAIN_CODE, lang: str = "en") -> str:
    """Of the knowledge files and the domain modules: a model given a new field between two
    releases must not be read back from a pickle made without it. English is fingerprinted
    without the language overlays (``locales/``), so a translation never changes it; another
    language adds its own overlay folder."""
    digest = hashlib.sha256(f"{__version__}:{CACHE_FORMAT}:{lang}".encode())
    roots = [(directory, "*.yaml"), (code, "*.py")]
    if lang != "en":
        roots.append((directory / "locales" / lang, "*"))
    for root, pattern in roots:
        for path in sorted(root.rglob(pattern)):
            rel = path.relative_to(root).as_posix()
            if (root == directory and rel.startswith("locales/")) or not path.is_file():
                continue
            digest.update(rel.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def default_cache_dir() -> Path:
    configured = os.environ.get("BUMPWISE_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bumpwise"


def load_cached(directory: Path, cache_dir: Path, build: Callable[[Path, str], T], lang: str = "en") -> T:
    path = cache_dir / f"knowledge-{lang}-{fingerprint(directory, lang=lang)}.pickle"
    try:
        with path.open("rb") as handle:
            cached: T = pickle.load(handle)
            return cached
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = build(directory, lang)
    _write_atomically(path, value)
    return value


def _write_atomically(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home still works, only slower
