"""Articles: Markdown with a YAML front matter, validated against the knowledge base.

An article answers one question a pregnant or postpartum person asks. Its front matter ties it to
what the rest of bumpwise knows (stages, conditions, exercises, rules, warning signs, sources), so
plan items, exercise pages, rule explanations and stop pages can link to it, and so a pregnancy
article never reaches a postpartum reader as if written for her. The body is plain Markdown; no
HTML is taken from the files (the renderer escapes it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from bumpwise.domain.errors import DataError
from bumpwise.domain.exercise import Strict, Text
from bumpwise.domain.knowledge import KnowledgeBase, knowledge_dir
from bumpwise.domain.rule import DESIGN_SOURCE
from bumpwise.domain.vocab import Delivery, StageKind

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)
INTERNAL_LINK = re.compile(r"\]\((?P<target>/[^)\s]*)\)")
RAW_HTML = re.compile(r"<[a-zA-Z/!]")
ARTICLE_DIR = "articles"
TAGS_FILE = "article_tags.yaml"


class ArticleMeta(Strict):
    title: Annotated[str, Field(min_length=5, max_length=120)]
    summary: Text
    tags: list[Slug] = Field(min_length=1)
    stages: list[StageKind] = Field(min_length=1)
    births: list[Delivery] = Field(default_factory=lambda: list(Delivery), min_length=1)
    """After the birth, the kinds of birth it is written for (default both)."""
    conditions: list[str] = Field(default_factory=list)
    exercises: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    warning_signs: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)
    reviewed_on: date


class Tag(Strict):
    id: Slug
    name: Annotated[str, Field(min_length=3, max_length=60)]
    description: Text


@dataclass(frozen=True)
class Article:
    slug: str
    meta: ArticleMeta
    body: str

    def is_for(self, stage: StageKind) -> bool:
        return stage in self.meta.stages

    def is_for_reader(self, stage: StageKind, delivery: Delivery | None = None) -> bool:
        """Written for this stage and, after the birth, this kind of birth (when known)."""
        if not self.is_for(stage):
            return False
        return stage is not StageKind.POSTPARTUM or delivery is None or delivery in self.meta.births

    def internal_links(self) -> list[str]:
        return [m.group("target").split("#")[0] for m in INTERNAL_LINK.finditer(self.body)]


@dataclass(frozen=True)
class Library:
    articles: dict[str, Article]
    tags: dict[str, Tag]
    by_exercise: dict[str, list[Article]] = field(default_factory=dict)
    by_rule: dict[str, list[Article]] = field(default_factory=dict)
    by_warning_sign: dict[str, list[Article]] = field(default_factory=dict)

    @classmethod
    def of(cls, articles: dict[str, Article], tags: dict[str, Tag]) -> Library:
        def index(key: str) -> dict[str, list[Article]]:
            result: dict[str, list[Article]] = {}
            for article in articles.values():
                for item in getattr(article.meta, key):
                    result.setdefault(item, []).append(article)
            return result

        return cls(articles, tags, index("exercises"), index("rules"), index("warning_signs"))

    def newest_first(self) -> list[Article]:
        return sorted(self.articles.values(), key=lambda a: (a.meta.reviewed_on, a.slug), reverse=True)

    def tagged(self, tag: str) -> list[Article]:
        return [a for a in self.newest_first() if tag in a.meta.tags]

    def for_exercise(self, exercise_id: str) -> list[Article]:
        return self.by_exercise.get(exercise_id, [])

    def for_rule(self, rule_id: str) -> list[Article]:
        return self.by_rule.get(rule_id, [])

    def for_warning_sign(self, sign_id: str) -> list[Article]:
        return self.by_warning_sign.get(sign_id, [])

    def for_warning_signs(self, sign_ids: list[str]) -> list[Article]:
        found = {a.slug: a for sid in sign_ids for a in self.for_warning_sign(sid)}
        return list(found.values())


def parse_article(text: str, slug: str, file: str) -> Article:
    import yaml

    from bumpwise.domain.loader import validate

    match = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if match is None:
        raise DataError(file, "", "must start with a front matter between two '---' lines")
    try:
        data: Any = yaml.safe_load(match.group("meta"))
    except yaml.YAMLError as exc:
        raise DataError(file, "front matter", f"is not valid YAML: {exc}") from exc
    meta = validate(ArticleMeta, data, file)
    body = match.group("body").strip()
    if len(body) < 200:
        raise DataError(file, "body", "is too short to answer a question (at least 200 characters)")
    if RAW_HTML.search(body):
        raise DataError(file, "body", "holds HTML; write Markdown only")
    return Article(slug=slug, meta=meta, body=body)


def load_library(directory: Path, kb: KnowledgeBase, lang: str | None = None) -> Library:
    """The articles and tags of a folder in a language (the knowledge base's by default): a
    translated article (``locales/<lang>/articles/<slug>.md``) takes its title, summary and body
    from the translation and everything else from the English front matter."""
    from bumpwise.domain.loader import KnowledgeFiles

    files = KnowledgeFiles(directory, lang or kb.lang)
    tags = {t.id: t for t in files.load_list(Tag, TAGS_FILE, "tags")}
    articles: dict[str, Article] = {}
    for path in sorted((directory / ARTICLE_DIR).glob("*.md")):
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem):
            raise DataError(path.name, "", "the file name must be a lower-case slug")
        article = parse_article(path.read_text(encoding="utf-8"), path.stem, path.name)
        translated = files.overlay_dir / ARTICLE_DIR / path.name
        if files.lang != "en" and translated.exists():
            article = translate_article(
                article, path, translated, f"{files.label(f'{ARTICLE_DIR}/{path.name}')}"
            )
        articles[path.stem] = article
    library = Library.of(articles, tags)
    for article in articles.values():
        check_article(article, kb, library)
    return library


def translate_article(article: Article, english: Path, translated: Path, file: str) -> Article:
    """The English article with the translation's title, summary and body (checked against the
    English one: bumpwise.domain.overlay.check_article_overlay)."""
    import yaml

    from bumpwise.domain.overlay import check_article_overlay, split_article

    parts = split_article(translated.read_text(encoding="utf-8"))
    if parts is None:
        raise DataError(file, "", "must start with a front matter between two '---' lines")
    try:
        meta: Any = yaml.safe_load(parts[0])
    except yaml.YAMLError as exc:
        raise DataError(file, "front matter", f"is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise DataError(file, "front matter", "must be a mapping with title and summary")
    body = parts[1].strip()
    problems = check_article_overlay(article.body, meta, body, file)
    if problems:
        raise problems[0]
    merged = {**article.meta.model_dump(), "title": meta["title"], "summary": meta["summary"]}
    from bumpwise.domain.loader import validate

    if RAW_HTML.search(body):
        raise DataError(file, "body", "holds HTML; write Markdown only")
    return Article(slug=article.slug, meta=validate(ArticleMeta, merged, file), body=body)


def check_article(article: Article, kb: KnowledgeBase, library: Library) -> None:
    """Every id in the front matter is known, and every internal link leads somewhere."""
    file, meta = f"{ARTICLE_DIR}/{article.slug}.md", article.meta
    known: list[tuple[str, list[str], set[str]]] = [
        ("tags", meta.tags, set(library.tags)),
        ("conditions", meta.conditions, set(kb.conditions)),
        ("exercises", meta.exercises, set(kb.exercises)),
        ("rules", meta.rules, {r.id for r in kb.rules}),
        ("warning_signs", meta.warning_signs, set(kb.warning_signs)),
        ("sources", meta.sources, set(kb.sources) - {DESIGN_SOURCE}),
    ]
    for name, given, allowed in known:
        for index, item in enumerate(given):
            if item not in allowed:
                raise DataError(file, f"{name}[{index}]", f"{item!r} is not known")
    for target in article.internal_links():
        if not link_exists(target, kb, library):
            raise DataError(file, "body", f"the link {target!r} leads nowhere")


STATIC_PAGES = frozenset({"/learn", "/free-workout", "/exercises", "/signup"})


def link_exists(target: str, kb: KnowledgeBase, library: Library) -> bool:
    target = target.rstrip("/") or "/"
    if target in STATIC_PAGES:
        return True
    for prefix, ids in (
        ("/learn/tags/", library.tags),
        ("/learn/", library.articles),
        ("/exercises/", kb.exercises),
    ):
        if target.startswith(prefix):
            return target.removeprefix(prefix) in ids
    return False


def default_library(lang: str | None = None) -> Library:
    """The shipped articles in a language (by default the one in force), once per process and language."""
    from bumpwise.domain.locale import current_language

    return _default_library(lang or current_language())


@cache
def _default_library(lang: str) -> Library:
    from bumpwise.domain.knowledge import default_knowledge

    return load_library(knowledge_dir(), default_knowledge(lang), lang)
