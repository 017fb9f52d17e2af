"""The knowledge cache: keyed by the knowledge files and the domain code, rebuilt when unreadable."""

from __future__ import annotations

from pathlib import Path

from bumpwise.domain.knowledge_cache import fingerprint, load_cached


def tree(tmp_path: Path) -> tuple[Path, Path]:
    knowledge, code = tmp_path / "knowledge", tmp_path / "code"
    (knowledge / "rules").mkdir(parents=True)
    code.mkdir()
    (knowledge / "rules" / "a.yaml").write_text("rules: []\n", encoding="utf-8")
    (code / "exercise.py").write_text("class Variant: ...\n", encoding="utf-8")
    return knowledge, code


def test_the_fingerprint_follows_the_knowledge_files_and_the_domain_code(tmp_path: Path) -> None:
    knowledge, code = tree(tmp_path)
    first = fingerprint(knowledge, code)
    assert fingerprint(knowledge, code) == first
    (code / "exercise.py").write_text("class Variant:\n    cues = None\n", encoding="utf-8")
    second = fingerprint(knowledge, code)
    assert second != first
    (knowledge / "rules" / "a.yaml").write_text("rules: [x]\n", encoding="utf-8")
    assert fingerprint(knowledge, code) not in (first, second)


def test_a_cached_value_is_read_back_and_a_broken_cache_rebuilt(tmp_path: Path) -> None:
    knowledge, _ = tree(tmp_path)
    builds: list[Path] = []

    def build(directory: Path, lang: str) -> dict[str, int]:
        builds.append(directory)
        return {"rules": 1}

    cache = tmp_path / "cache"
    assert load_cached(knowledge, cache, build) == {"rules": 1}
    assert load_cached(knowledge, cache, build) == {"rules": 1}
    assert len(builds) == 1
    [pickled] = cache.glob("knowledge-*.pickle")
    pickled.write_bytes(b"not a pickle")
    assert load_cached(knowledge, cache, build) == {"rules": 1}
    assert len(builds) == 2
