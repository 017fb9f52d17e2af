"""The command line in Spanish (issue 19): every command run through the real console script with
``--lang es`` (and once with ``BUMPWISE_LANG=es``) on a pregnant and a postpartum (caesarean)
profile prints no sentence of its own in English. What is left after taking out the knowledge text
(which the knowledge overlays translate), the ids and values a person types, dates and the
person's data must hold no English message id marked in the code and none of a few common
English words. English stays the default (tests/e2e/test_cli*.py keep passing unchanged)."""

from __future__ import annotations

import importlib
import json
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from builders import PGP_26_WEEKS
from bumpwise.domain.knowledge import default_knowledge
from cli_support import flat, run, write

# The pseudo-locale test's reading of the knowledge text and the localised dates (imported by name
# at run time: tests/e2e is on pytest's path, not on mypy's).
PSEUDO = importlib.import_module("test_pages_pseudo_locale")
knowledge_words, localised_dates = PSEUDO.knowledge_words, PSEUDO.localised_dates
ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "src" / "bumpwise" / "locales" / "es" / "LC_MESSAGES"
START = "2026-03-02"
PREGNANT = PGP_26_WEEKS
CAESAREAN = {
    "stage": {"kind": "postpartum", "week": 10, "delivery": "caesarean"},
    "activity_level": "active",
    "equipment": ["dumbbells", "chair", "mat"],
    "days_per_week": 4,
}
LOG: dict[str, Any] = {
    "due_date": "2026-06-08",
    "sessions": [
        {"date": "2026-03-02", "kind": "strength", "minutes": 30, "rpe": 13, "items": ["goblet-squat"]},
        {"date": "2026-03-10", "kind": "cardio", "minutes": 150, "rpe": 12},
        {"date": "2026-03-17", "kind": "pelvic_floor", "minutes": 5},
        {"date": "2026-03-24", "kind": "cardio", "minutes": 40, "rpe": 15, "notes": "hot day"},
    ],
    "symptoms": [{"date": "2026-03-18", "symptoms": ["back_pain"]}],
}
COMMON_ENGLISH = (" the ", " and ", " your ", " you ", " with ", " is not ", " not ", " for ", " of ")


@cache
def english_ids() -> list[re.Pattern[str]]:
    """The English message ids with a Spanish translation of their own and at least three words,
    as patterns (a placeholder matches anything)."""
    patterns = []
    for path in sorted(LOCALES.glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="es"):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in ids:
                    parts = [" ".join(p.split()) for p in re.split(r"%\(\w+\)[sd]", str(text))]
                    parts = [p for p in parts if p.strip()]
                    words = re.findall(r"[A-Za-z]{2,}", " ".join(parts))
                    if not text or text in strings or len(words) < 3:
                        continue
                    patterns.append(re.compile(r".{0,60}?".join(map(re.escape, parts))))
    return patterns


@cache
def removable() -> list[str]:
    """Knowledge text (English: the overlays are the translators'), then ids a person types."""
    kb = default_knowledge("en")
    ids = [*kb.exercises, *(r.id for r in kb.rules), *kb.conditions, *kb.sources, *kb.warning_signs]
    ids += [*kb.symptoms, *(v.key for e in kb.exercises.values() for v in e.variants)]
    return sorted({*knowledge_words(), *ids, *[flat(kb.disclaimer)]}, key=len, reverse=True)


DATES = localised_dates("es")


def leftover(text: str, *data: str) -> str:
    """The output without knowledge text, ids, file names, dates and the person's own data."""
    text = flat(text)
    for word in [*data, *removable()]:
        text = text.replace(word, " ")
    text = re.sub(r"\S*/\S*", " ", text)  # paths, "back/front", id lists in brackets
    return DATES.sub(" ", text)


def english_in(text: str, *data: str) -> list[str]:
    left = " " + " ".join(leftover(text, *data).split()) + " "
    found = [p.pattern for p in english_ids() if p.search(left)]
    found += [word for word in COMMON_ENGLISH if word in left.lower()]
    return found


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("es")
    write(folder, PREGNANT, "pregnant.json")
    write(folder, CAESAREAN, "caesarean.json")
    write(folder, LOG, "log.json")
    shutil.copy(ROOT / "tests" / "data" / "wger_sample.json", folder / "wger.json")
    return folder


def commands(folder: Path) -> list[list[str]]:
    """Every command a person reads, on both profiles where it takes one."""
    each = []
    for name in ("pregnant", "caesarean"):
        profile = str(folder / f"{name}.json")
        each += [
            ["screen", profile],
            ["plan", profile, "--weeks", "2", "--start", START],
            ["exercises", "list", "--safe-for", profile],
            ["exercises", "check", "goblet-squat", profile],
            ["exercises", "check", "crunch", profile],
            ["readiness", "running", profile],
            ["export", "pdf", profile, "--out", str(folder / f"{name}.pdf")],
            ["export", "ical", profile, "--out", str(folder / f"{name}.ics")],
        ]
    log = str(folder / "log.json")
    return [
        *each,
        ["demo"],
        ["exercises", "list"],
        ["exercises", "show", "goblet-squat"],
        ["exercises", "import", str(folder / "wger.json"), "--from", "wger"],
        ["exercises", "import", str(folder / "wger.json"), "--from", "wger", "--report"],
        ["rules", "list"],
        ["report", log],
        ["report", log, "--out", str(folder / "summary.pdf")],
        ["export", "logs", log, "--out", str(folder / "sessions.csv")],
        ["validate-data"],
    ]


def test_every_command_speaks_spanish_with_lang_es(files: Path) -> None:
    problems = {}
    for args in commands(files):
        result = run("--lang", "es", *args)
        assert result.returncode == 0, (args, result.stderr)
        found = english_in(result.stdout + "\n" + result.stderr, str(files), "hot day")
        if found:
            problems[" ".join(args).replace(str(files), "")] = found
    assert problems == {}


@pytest.mark.parametrize(
    ("args", "spanish"),
    [
        (["plan", "{dir}/missing.json"], "error: PROFILE: no existe el archivo: {dir}/missing.json"),
        (
            ["plan", "{dir}/caesarean.json", "--weeks", "60"],
            "error: weeks: 60 está fuera del intervalo: de 1 a 52",
        ),
        (["plan", "{dir}/caesarean.json", "--start", "soon"], "error: --start: 'soon' no es una fecha"),
        (
            ["export", "pdf", "{dir}/caesarean.json", "--out", "{dir}/plan.txt"],
            "error: --out: 'plan.txt' es un tipo de archivo desconocido (valores admitidos: .pdf)",
        ),
        (["rules", "show", "nope"], "error: ID: 'nope' no es una regla (valores admitidos: "),
        (
            ["screen", "{dir}/bad-stage.json"],
            "error: stage.kind: 'pregnent' no es uno de los valores admitidos",
        ),
        (
            ["screen", "{dir}/extra.json"],
            "error: colour: no es un campo conocido (valores admitidos: activity_level",
        ),
    ],
)
def test_errors_are_spanish_sentences_around_the_fields_and_values_typed(
    files: Path, args: list[str], spanish: str
) -> None:
    write(files, {**CAESAREAN, "stage": {"kind": "pregnent", "week": 3}}, "bad-stage.json")
    write(files, {**CAESAREAN, "colour": "blue"}, "extra.json")
    result = run("--lang", "es", *(a.replace("{dir}", str(files)) for a in args))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().startswith(spanish.replace("{dir}", str(files))), result.stderr
    assert english_in(result.stderr, str(files)) == []


def test_bumpwise_lang_does_the_same_as_lang(files: Path) -> None:
    profile = str(files / "caesarean.json")
    by_option = run("--lang", "es", "plan", profile, "--start", START)
    by_setting = run("plan", profile, "--start", START, env={"BUMPWISE_LANG": "es"})
    assert by_setting.returncode == 0, by_setting.stderr
    assert by_setting.stdout == by_option.stdout
    assert "Semana 1" in by_setting.stdout and english_in(by_setting.stdout) == []
    report = run("report", str(files / "log.json"), env={"BUMPWISE_LANG": "es"}).stdout
    assert report.startswith("Resumen semanal, del 2 de marzo de 2026 al 29 de marzo de 2026")


def test_english_is_the_default_and_reads_as_before(files: Path) -> None:
    profile = str(files / "caesarean.json")
    english = run("plan", profile, "--start", START, env={})
    assert english.stdout == run("--lang", "en", "plan", profile, "--start", START).stdout
    assert "Week 1" in english.stdout and "clearance: cleared" in english.stdout
    report = run("report", str(files / "log.json"), env={}).stdout
    assert report.startswith("Weekly summary, 02 Mar 2026 to 29 Mar 2026")
    assert (
        "week of     stage     moderate min  strength  PF days  balance  RPE    done/planned  reported"
        in report
    )


def test_the_cli_reads_the_knowledge_of_the_language_in_force(files: Path) -> None:
    """The commands take the knowledge base of the language in force (default_knowledge()): the
    JSON of a Spanish run carries the Spanish knowledge where the overlays translate it."""
    from bumpwise.domain.knowledge import default_knowledge as knowledge

    spanish, english = knowledge("es"), knowledge("en")
    data = json.loads(run("--lang", "es", "exercises", "show", "goblet-squat", "--format", "json").stdout)
    assert data["name"] == spanish.exercises["goblet-squat"].name
    screen = json.loads(run("--lang", "es", "screen", str(files / "caesarean.json"), "-f", "json").stdout)
    assert screen["disclaimer"] == spanish.disclaimer
    if spanish.disclaimer != english.disclaimer:  # once the overlays translate it
        assert flat(spanish.disclaimer) in flat(run("--lang", "es", "demo").stdout)


def help_paths() -> list[tuple[str, ...]]:
    """The root and every visible command and group, as docs/cli.md lists them."""
    from typer.main import get_command

    from bumpwise.cli import app
    from bumpwise.cli.reference import command_paths

    root = get_command(app)
    return [(), *command_paths(root)]  # type: ignore[arg-type]


def test_every_help_page_is_spanish_with_lang_es() -> None:
    problems = {}
    for path in help_paths():
        result = run("--lang", "es", *path, "--help")
        assert result.returncode == 0, (path, result.stderr)
        text = result.stdout
        assert "Uso: bumpwise" in text and "Muestra este mensaje y sale." in text, text
        assert "Usage" not in text and "Options" not in text and "[default:" not in text, text
        found = english_in(text)
        if found:
            problems[" ".join(path)] = found
    assert problems == {}


def test_help_follows_bumpwise_lang_and_english_help_is_unchanged() -> None:
    spanish = run("--help", env={"BUMPWISE_LANG": "es"}).stdout
    assert "Comandos" in spanish and "Ejercicio seguro y equilibrado" in flat(spanish)
    assert run("--help", env={"BUMPWISE_LANG": "es"}).stdout == run("--lang", "es", "--help").stdout
    plan = flat(run("--lang=es", "plan", "--help").stdout)
    assert "[obligatorio]" in plan and "[por defecto: 1]" in plan and "primer día del plan" in plan
    english = run("plan", "--help", env={}).stdout
    assert "Usage: bumpwise plan" in english and "[default: 1]" in english
    assert "first day of the plan" in flat(english)
    # An unknown language still gets the refusal naming the allowed values, not help in English.
    refused = run("--lang", "xx", "plan", "--help")
    assert refused.returncode == 2 and "xx" in refused.stderr


@pytest.mark.parametrize(
    ("args", "spanish"),
    [
        (
            ["screen", "{dir}/symptom.json"],
            "error: symptoms[0]: 'nope' no es ningún síntoma ni señal de alarma conocido (valores admitidos:",
        ),
        (["screen", "{dir}/broken.json"], "error: el perfil no es un JSON válido: "),
        (["report", "{dir}/broken.json"], "error: el registro de actividad no es un JSON válido: "),
        (
            ["screen", "{dir}/week-text.json"],
            "error: stage.week: debe ser un número entero",
        ),
        (
            ["exercises", "import", "{dir}/broken.json", "--from", "wger"],
            "error: FILE: no es un JSON válido: ",
        ),
        (
            ["exercises", "import", "{dir}/caesarean.json", "--from", "free-exercise-db"],
            "error: FILE: un archivo de free-exercise-db es una lista JSON de ejercicios, no un objeto",
        ),
        (
            ["exercises", "import", "{dir}/empty-list.json", "--from", "wger"],
            "error: FILE: no contiene ningún ejercicio",
        ),
        (
            ["export", "pdf", "{dir}/caesarean.json", "--logo", "{dir}/logo.gif", "--out", "{dir}/b.pdf"],
            "error: logo: 'logo.gif' no es un tipo de archivo de logotipo (valores admitidos: .jpeg",
        ),
        (
            ["export", "pdf", "{dir}/caesarean.json", "--logo", "{dir}/fake.png", "--out", "{dir}/b.pdf"],
            "error: logo: no es una imagen image/png válida",
        ),
        (
            ["export", "pdf", "{dir}/caesarean.json", "--accent", "pink", "--out", "{dir}/b.pdf"],
            "error: accent: 'pink' no es un color con la forma #rgb o #rrggbb",
        ),
    ],
)
def test_import_branding_and_validation_errors_are_spanish(
    files: Path, args: list[str], spanish: str
) -> None:
    write(files, {**CAESAREAN, "symptoms": ["nope"]}, "symptom.json")
    write(
        files,
        {**CAESAREAN, "stage": {"kind": "postpartum", "week": "ten", "delivery": "vaginal"}},
        "week-text.json",
    )
    write(files, [], "empty-list.json")
    (files / "broken.json").write_text('{"stage": ', encoding="utf-8")
    (files / "logo.gif").write_bytes(b"GIF89a")
    (files / "fake.png").write_bytes(b"not a png at all")
    result = run("--lang", "es", *(a.replace("{dir}", str(files)) for a in args))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().startswith(spanish.replace("{dir}", str(files))), result.stderr
    assert english_in(result.stderr, str(files), "Expecting value", "Expecting", "image/png") == []


def test_settings_errors_are_spanish() -> None:
    result = run("db", "upgrade", env={"BUMPWISE_ENV": "production", "BUMPWISE_LANG": "es"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: settings: fuera de desarrollo, BUMPWISE_SECRET_KEY debe tener"), (
        result.stderr
    )
    proxies = run(
        "db",
        "upgrade",
        env={"BUMPWISE_ENV": "development", "BUMPWISE_LANG": "es", "BUMPWISE_TRUSTED_PROXIES": "nope"},
    )
    assert "'nope' no es una dirección IP ni una red" in proxies.stderr, proxies.stderr
    assert english_in(result.stderr + proxies.stderr) == []
    english = run("db", "upgrade", env={"BUMPWISE_ENV": "production"})
    assert "BUMPWISE_SECRET_KEY must be set to a random value of at least 32 characters" in english.stderr
