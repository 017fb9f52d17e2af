"""Knowledge in another language (issue 19): overlay files merged onto the English knowledge,
and every overlay problem found with its file and path. Fixtures are small overlays written into
a copy of the shipped knowledge folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bumpwise.domain.articles import load_library
from bumpwise.domain.knowledge import knowledge_dir, load_knowledge
from bumpwise.domain.knowledge_cache import fingerprint
from bumpwise.domain.loader import language_problems, overlay_languages
from bumpwise.domain.overlay import merge_overlay, tokens, untranslated


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("en") / "knowledge"
    shutil.copytree(knowledge_dir(), copy, ignore=shutil.ignore_patterns("locales"))
    return copy


def with_overlay(english: Path, tmp_path: Path, files: dict[str, object], complete: bool = False) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(english, copy)
    base = copy / "locales" / "xx"
    base.mkdir(parents=True)
    info = {"code": "xx", "name": "Ekspo", "english_name": "Test", "complete": complete}
    (base / "language.yaml").write_text(yaml.safe_dump(info), encoding="utf-8")
    for rel, content in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
    return copy


BRIDGE = {
    "id": "glute-bridge",
    "name": "Puente de glúteos",
    "cues": {"breath": ["Suelta el aire al subir y toma aire al bajar."]},
    "variants": [{"key": "shoulders_elevated", "name": "Puente de glúteos con los hombros elevados"}],
}


def test_an_overlay_translates_its_text_and_leaves_english_and_every_id_as_they_were(english, tmp_path):
    folder = with_overlay(english, tmp_path, {"exercises/glute-bridge.yaml": BRIDGE})
    translated, plain = load_knowledge(folder, "xx"), load_knowledge(folder)
    bridge, original = translated.exercises["glute-bridge"], plain.exercises["glute-bridge"]
    assert bridge.name == "Puente de glúteos" and original.name == "Glute bridge"
    assert bridge.cues.breath == ["Suelta el aire al subir y toma aire al bajar."]
    assert bridge.cues.setup == original.cues.setup  # not in the overlay: English
    variant = bridge.variant("shoulders_elevated")
    assert variant is not None and variant.name == "Puente de glúteos con los hombros elevados"
    assert bridge.model_dump(exclude={"name", "cues", "variants"}) == original.model_dump(
        exclude={"name", "cues", "variants"}
    )
    assert translated.lang == "xx" and plain.lang == "en"
    assert language_problems(folder, "xx") == []
    assert overlay_languages(folder) == ["xx"]


def test_a_translation_never_changes_the_english_fingerprint(english, tmp_path):
    folder = with_overlay(english, tmp_path, {"exercises/glute-bridge.yaml": BRIDGE})
    assert fingerprint(folder) == fingerprint(english)
    before = fingerprint(folder, lang="xx")
    (folder / "locales/xx/exercises/glute-bridge.yaml").write_text("name: Otro puente\n", encoding="utf-8")
    assert fingerprint(folder, lang="xx") != before


def messages(problems: list) -> list[str]:
    return [str(p) for p in problems]


@pytest.mark.parametrize(
    ("rel", "overlay", "expected"),
    [
        (
            "rules/plan.yaml",
            {"rules": [{"id": "no-such-rule", "summary": "Resumen"}]},
            "locales/xx/rules/plan.yaml: rules: the item 'no-such-rule' is not in the English list (by id)",
        ),
        (
            "exercises/glute-bridge.yaml",
            {"cues": {"movement": ["Solo una línea"]}},
            "locales/xx/exercises/glute-bridge.yaml: cues.movement: must have 2 items",
        ),
        (
            "exercises/glute-bridge.yaml",
            {"pattern": "bisagra"},
            "locales/xx/exercises/glute-bridge.yaml: pattern: is not text to translate",
        ),
        (
            "exercises/glute-bridge.yaml",
            {"nombre": "Puente"},
            "locales/xx/exercises/glute-bridge.yaml: nombre: is not in the English file",
        ),
        (
            "exercises/glute-bridge.yaml",
            {"id": "puente"},
            "locales/xx/exercises/glute-bridge.yaml: id: 'puente' must be the English id 'glute-bridge'",
        ),
        (
            "rules/plan.yaml",
            {"rules": [{"id": "pelvic-floor-every-day", "sources": ["otra"]}]},
            "rules[pelvic-floor-every-day].sources: is not text to translate",
        ),
    ],
    ids=["unknown-id", "list-length", "enum-value", "unknown-key", "changed-id", "non-text-in-item"],
)
def test_each_overlay_problem_names_the_file_and_the_path(english, tmp_path, rel, overlay, expected):
    folder = with_overlay(english, tmp_path, {rel: overlay})
    found = messages(language_problems(folder, "xx"))
    assert any(expected in m for m in found), found


def test_a_changed_placeholder_is_an_error_and_the_same_set_in_another_order_is_not():
    english = {"rules": [{"id": "a", "summary": "Wait {weeks} weeks after {event}."}]}
    patterns = [tokens("rules[].summary")]
    ok = {"rules": [{"id": "a", "summary": "Tras {event}, espera {weeks} semanas."}]}
    merged, problems = merge_overlay(english, ok, "x.yaml", patterns)
    assert problems == [] and merged["rules"][0]["summary"].startswith("Tras {event}")
    broken = {"rules": [{"id": "a", "summary": "Espera {semanas} semanas tras {event}."}]}
    merged, problems = merge_overlay(english, broken, "x.yaml", patterns)
    assert messages(problems) == [
        "x.yaml: rules[a].summary: must keep exactly the English placeholders ({event}, {weeks})"
    ]
    assert merged == english


def test_a_complete_language_must_translate_every_text_leaf(english, tmp_path):
    folder = with_overlay(english, tmp_path, {"exercises/glute-bridge.yaml": BRIDGE}, complete=True)
    found = messages(language_problems(folder, "xx"))
    assert "locales/xx/exercises/glute-bridge.yaml: summary: is not translated" in found
    assert "locales/xx/exercises/glute-bridge.yaml: cues.setup: is not translated" in found
    assert "locales/xx/messages.yaml: disclaimer: is not translated" in found
    assert any(m.startswith("locales/xx/articles/") and m.endswith("is missing") for m in found)
    assert "locales/xx/exercises/glute-bridge.yaml: cues.breath: is not translated" not in found
    # an incomplete language may leave anything in English
    incomplete = with_overlay(english, tmp_path / "b", {"exercises/glute-bridge.yaml": BRIDGE})
    assert language_problems(incomplete, "xx") == []


def test_what_counts_as_text_is_the_data_file_and_leaves_ids_enums_and_numbers_out(english):
    from bumpwise.domain.loader import KnowledgeFiles

    files = KnowledgeFiles(english, "xx")
    data = yaml.safe_load((english / "exercises/glute-bridge.yaml").read_text(encoding="utf-8"))
    missing = untranslated(data, None, files.text_paths.patterns("exercises/glute-bridge.yaml"))
    assert "name" in missing and "cues.setup" in missing and "variants[shoulders_elevated].name" in missing
    assert not any(p.split(".")[-1] in {"id", "pattern", "position", "sources", "dose"} for p in missing)


ARTICLE = "articles/first-six-weeks.md"


def test_a_translated_article_keeps_the_english_front_matter_and_its_headings_and_links(english, tmp_path):
    text = (english / ARTICLE).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    translated = f"---\ntitle: Las primeras seis semanas\nsummary: Lo que conviene saber.\n---\n{body}"
    folder = with_overlay(english, tmp_path, {ARTICLE: translated})
    assert language_problems(folder, "xx") == []
    kb = load_knowledge(folder, "xx")
    article = load_library(folder, kb).articles["first-six-weeks"]
    assert article.meta.title == "Las primeras seis semanas"
    assert (
        article.meta.tags
        == load_library(folder, load_knowledge(folder)).articles["first-six-weeks"].meta.tags
    )

    headless = translated.replace("\n## ", "\n### ", 1)
    extra = translated.replace("title:", "tags: [otra]\ntitle:")
    folder = with_overlay(english, tmp_path / "b", {ARTICLE: headless})
    assert any("'##' headings" in m for m in messages(language_problems(folder, "xx")))
    folder = with_overlay(english, tmp_path / "c", {ARTICLE: extra})
    assert any("front matter.tags: is inherited" in m for m in messages(language_problems(folder, "xx")))


def pseudo(text: str) -> str:
    return f"⟦{text}⟧"


def pseudo_language(english: Path, target: Path) -> Path:
    """Every text leaf of every shipped file, wrapped in markers: a complete pseudo-language."""
    from bumpwise.domain.loader import KnowledgeFiles
    from bumpwise.domain.overlay import translate_leaves

    shutil.copytree(english, target)
    files = KnowledgeFiles(target, "xx")
    base = target / "locales" / "xx"
    for path in sorted(english.rglob("*.yaml")):
        rel = path.relative_to(english).as_posix()
        patterns = files.text_paths.patterns(rel)
        if patterns:
            overlay = translate_leaves(yaml.safe_load(path.read_text(encoding="utf-8")), patterns, pseudo)
            (base / rel).parent.mkdir(parents=True, exist_ok=True)
            (base / rel).write_text(yaml.safe_dump(overlay, allow_unicode=True), encoding="utf-8")
    for path in sorted((english / "articles").glob("*.md")):
        _, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
        (base / "articles").mkdir(exist_ok=True)
        (base / "articles" / path.name).write_text(
            f"---\ntitle: ⟦title⟧\nsummary: ⟦summary⟧\n---\n{body}", encoding="utf-8"
        )
    info = {"code": "xx", "name": "Pseudo", "english_name": "Pseudo", "complete": True}
    (base / "language.yaml").write_text(yaml.safe_dump(info), encoding="utf-8")
    return target


def text_fields(node: object, path: str = "") -> list[tuple[str, str]]:
    """(path, value) of every string the models type as ``Text`` (a person reads it), except the
    titles and publishers of sources, which stay as published."""
    from pydantic import BaseModel

    found: list[tuple[str, str]] = []
    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            value = getattr(node, name)
            is_text = "max_length=600" in repr(info.annotation) or "max_length=600" in repr(info.metadata)
            if is_text:
                found.extend((f"{path}.{name}", s) for s in strings(value))
            else:
                found.extend(text_fields(value, f"{path}.{name}"))
    elif isinstance(node, dict):
        for key, value in node.items():
            found.extend(text_fields(value, f"{path}.{key}"))
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            found.extend(text_fields(value, f"{path}[{i}]"))
    return found


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings(v)]
    if hasattr(value, "model_dump"):
        return strings(value.model_dump())
    return []


def test_translatable_yaml_names_every_text_field_of_the_models(english, tmp_path):
    """A complete pseudo-language made from translatable.yaml translates every string the models
    type as Text: the data file leaves no text out (and validate-data accepts it as complete)."""
    folder = pseudo_language(english, tmp_path / "knowledge")
    assert language_problems(folder, "xx") == []
    kb = load_knowledge(folder, "xx")
    fields = [
        (path, value)
        for name in ("conditions", "warning_signs", "symptoms", "equipment", "running_tests", "exercises")
        for path, value in text_fields(getattr(kb, name), name)
    ]
    fields += text_fields(list(kb.rules), "rules") + text_fields(kb.messages, "messages")
    fields += text_fields(kb.planning, "planning")
    english_only = [(p, v) for p, v in fields if not v.startswith("⟦")]
    assert len(fields) > 2000 and english_only == []
