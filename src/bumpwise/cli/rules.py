"""`bumpwise rules list|show` and `validate-data`: the knowledge the decisions come from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from bumpwise.cli.options import Format, emit_json
from bumpwise.domain.catalog import N_, _
from bumpwise.domain.errors import DataError, InputError
from bumpwise.domain.knowledge import KnowledgeBase, default_knowledge, knowledge_dir, load_knowledge

app = typer.Typer(help="The safety and planning rules, with their sources.", no_args_is_help=True)


@app.command("list")
def rules_list(
    fmt: Annotated[
        Literal[Format.TEXT, Format.JSON, Format.MARKDOWN],
        typer.Option("--format", "-f", help="text, json or markdown"),
    ] = Format.TEXT,
) -> None:
    """Every rule: id, effect, plain reason, sources, and where sources disagree."""
    kb = default_knowledge()
    if fmt is Format.JSON:
        emit_json([rule.model_dump(mode="json", exclude_none=True) for rule in kb.rules])
        return
    from bumpwise.rules_doc import rules_markdown

    typer.echo(rules_markdown(kb))


@app.command("show")
def rules_show(rule_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """One rule in full (JSON)."""
    kb = default_knowledge()
    rule = next((r for r in kb.rules if r.id == rule_id), None)
    if rule is None:
        raise InputError(
            "ID",
            N_("%(value)s is not a rule"),
            sorted(r.id for r in kb.rules),
            values={"value": repr(rule_id)},
        )
    emit_json(rule.model_dump(mode="json", exclude_none=True))


def validate_data(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="a knowledge folder to check instead of the shipped one"),
    ] = None,
) -> None:
    """Validate every knowledge file; names the file and field of the first problem."""
    folder = directory or knowledge_dir()
    kb = load_knowledge(folder)
    from bumpwise.importing.vocabulary import load_vocabulary

    vocabulary_file = folder / "import_vocabulary.yaml"
    if vocabulary_file.exists() or directory is None:
        load_vocabulary(vocabulary_file)
    from bumpwise.domain.articles import TAGS_FILE, load_library
    from bumpwise.figures.library import load_figures

    articles = load_library(folder, kb).articles if (folder / TAGS_FILE).exists() or directory is None else {}
    figures = load_figures(folder, kb.exercises)
    from bumpwise.domain.plain_words import PLAIN_WORDS_FILE, load_plain_words
    from bumpwise.domain.search import SYNONYMS_FILE, load_synonyms

    if (folder / PLAIN_WORDS_FILE).exists() or directory is None:
        load_plain_words(folder)
    if (folder / SYNONYMS_FILE).exists() or directory is None:
        load_synonyms(folder)
    from bumpwise.domain.purposes import PURPOSES_FILE, load_purposes

    if (folder / PURPOSES_FILE).exists() or directory is None:
        load_purposes(folder).check_covers(kb.exercises)
    drawn = sum(1 + len(e.variants) for e in kb.exercises.values() if e.id in figures.figures)
    languages = check_languages(folder, kb)
    typer.echo(
        _(
            "ok: %(exercises)s exercises, %(rules)s rules, %(conditions)s conditions, %(signs)s warning "
            "signs, %(symptoms)s symptoms, %(sources)s sources, %(articles)s articles, %(figures)s figures",
            exercises=len(kb.exercises),
            rules=len(kb.rules),
            conditions=len(kb.conditions),
            signs=len(kb.warning_signs),
            symptoms=len(kb.symptoms),
            sources=len(kb.sources),
            articles=len(articles),
            figures=drawn,
        )
    )
    if languages:
        typer.echo(
            _("languages: en; ")
            + "; ".join(
                _("%(lang)s %(count)s overlay files", lang=lang, count=count)
                for lang, count in languages.items()
            )
        )


def check_languages(folder: Path, kb: KnowledgeBase) -> dict[str, int]:
    """Every language overlay of the folder (bumpwise.domain.loader.language_problems); then, when
    its overlays are sound, the knowledge, articles, plain words and purposes loaded in that
    language, validated as the English ones. Every problem is printed; any fails the command."""
    from bumpwise.domain.articles import TAGS_FILE, load_library
    from bumpwise.domain.loader import language_problems, overlay_languages
    from bumpwise.domain.overlay import LOCALES_DIR
    from bumpwise.domain.plain_words import PLAIN_WORDS_FILE, load_plain_words
    from bumpwise.domain.purposes import PURPOSES_FILE, load_purposes

    counts: dict[str, int] = {}
    problems: list[DataError] = []
    for lang in overlay_languages(folder):
        found = language_problems(folder, lang)
        if not found:
            try:
                translated = load_knowledge(folder, lang)
                if (folder / TAGS_FILE).exists():
                    load_library(folder, translated, lang)
                if (folder / PLAIN_WORDS_FILE).exists():
                    load_plain_words(folder, lang)
                from bumpwise.figures.library import load_figures as figures_in

                figures_in(folder, translated.exercises, lang)
                if (folder / PURPOSES_FILE).exists():
                    load_purposes(folder, lang).check_covers(kb.exercises)
            except DataError as exc:
                found.append(exc)
        problems.extend(found)
        counts[lang] = sum(1 for p in (folder / LOCALES_DIR / lang).rglob("*") if p.is_file()) - 1
    for problem in problems[1:]:
        typer.echo(
            _("error: %(problem)s", problem=_("knowledge data: %(problem)s", problem=problem)), err=True
        )
    if problems:
        more = _(" (and %(count)s more problems above)", count=len(problems) - 1) if len(problems) > 1 else ""
        raise DataError(problems[0].file, problems[0].field, problems[0].message + more)
    return counts
