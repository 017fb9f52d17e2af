"""Articles as validated data: front matter, links to known ids, and no broken internal link."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bumpwise.domain.articles import TAGS_FILE, default_library, load_library
from bumpwise.domain.errors import DataError
from bumpwise.domain.knowledge import default_knowledge, knowledge_dir
from bumpwise.domain.vocab import StageKind

GOOD = (
    """---
title: A test article about walking
summary: A short article used by the tests, long enough to pass the checks.
tags: [pregnancy]
stages: [pregnant]
exercises: [walking]
sources: [CAN19]
reviewed_on: 2026-11-01
---
Walking counts. {extra}
"""
    + "More words to make the body long enough for the check. " * 4
)


def library_with(tmp_path: Path, text: str) -> Path:
    shutil.copy(knowledge_dir() / TAGS_FILE, tmp_path / TAGS_FILE)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "test-article.md").write_text(text)
    return tmp_path


def test_the_shipped_articles_are_valid_and_cover_the_questions() -> None:
    library = default_library()
    assert len(library.articles) >= 12
    for slug in (
        "posterior-chain-in-pregnancy",
        "pelvic-girdle-pain",
        "diastasis-and-doming",
        "pelvic-floor-and-leaking",
        "warning-signs",
        "exercise-after-caesarean",
        "return-to-running",
        "lifting-and-breath",
        "lying-on-your-back",
        "first-six-weeks",
        "intensity-and-the-talk-test",
        "gestational-diabetes",
    ):
        assert slug in library.articles
    assert library.articles["exercise-after-caesarean"].meta.stages == [StageKind.POSTPARTUM]
    assert library.articles["lying-on-your-back"].meta.stages == [StageKind.PREGNANT]


def test_the_founding_post_links_its_four_moves() -> None:
    article = default_library().articles["posterior-chain-in-pregnancy"]
    assert len(article.meta.exercises) == 4
    for exercise in article.meta.exercises:
        assert f"/exercises/{exercise}" in article.internal_links()


def test_a_valid_article_loads(tmp_path: Path) -> None:
    library = load_library(library_with(tmp_path, GOOD.format(extra="")), default_knowledge())
    assert list(library.articles) == ["test-article"]
    assert library.for_exercise("walking")[0].slug == "test-article"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (("exercises: [walking]", "exercises: [moonwalk]"), "exercises[0]", "'moonwalk' is not known"),
        (("sources: [CAN19]", "sources: [DESIGN]"), "sources[0]", "'DESIGN' is not known"),
        (("tags: [pregnancy]", "tags: [gossip]"), "tags[0]", "'gossip' is not known"),
        (("stages: [pregnant]", "stages: [toddler]"), "stages[0]", "allowed"),
        (("reviewed_on: 2026-11-01\n", ""), "reviewed_on", "required"),
        (("Walking counts.", "See [this](/learn/nowhere)."), "body", "'/learn/nowhere' leads nowhere"),
        (("Walking counts.", "See [this](/exercises/moonwalk)."), "body", "leads nowhere"),
        (("Walking counts.", "Hello <b>there</b>."), "body", "HTML"),
    ],
)
def test_a_broken_article_is_refused_naming_file_and_field(
    tmp_path: Path, change: tuple[str, str], field: str, message: str
) -> None:
    text = GOOD.format(extra="").replace(*change)
    with pytest.raises(DataError) as caught:
        load_library(library_with(tmp_path, text), default_knowledge())
    assert "test-article.md" in caught.value.file
    assert caught.value.field == field
    assert message in caught.value.message


def test_an_article_without_front_matter_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="front matter"):
        load_library(library_with(tmp_path, "Just text " * 40), default_knowledge())
