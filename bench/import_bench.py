"""Import speed: all free-exercise-db exercises, in-process and through the CLI end to end.

Usage: .venv/bin/python bench/import_bench.py [--runs 9] [--cli-runs 5] [--file PATH]
Prints median and p95 per way; the machines are shared and noisy, so compare medians.
In-process runs time read + strict parse + classification of the whole file (the vocabulary is
loaded once, as in a long-running process); "cold" also loads and compiles the vocabulary.

``--nlp`` compares the plain phrase matcher with NLP normalisation (Snowball stemming, spaCy's
lookup lemmatizer): start-up, install size, speed and accuracy on the labelled sets. It needs a
separate environment, so the project does not carry spaCy:

    python3 -m venv /tmp/nlp && /tmp/nlp/bin/pip install spacy spacy-lookups-data snowballstemmer \
        pyyaml typer rich && /tmp/nlp/bin/pip install --no-deps -e .
    /tmp/nlp/bin/python bench/import_bench.py --nlp
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bumpwise.importing import import_file
from bumpwise.importing.vocabulary import default_vocabulary, load_vocabulary, vocabulary_path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FILE = Path(os.environ.get("BUMPWISE_SHARED_DIR") or REPO / ".." / "shared") / (
    "data/free-exercise-db/exercises.json"
)
BUMPWISE = Path(sys.executable).parent / "bumpwise"


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Wall seconds per run. CPU seconds (ours and our children's) go to ``CPU`` for ``show``."""
    times = []
    CPU.clear()
    for _ in range(runs):
        start, cpu = time.perf_counter(), _cpu_seconds()
        action()
        times.append(time.perf_counter() - start)
        CPU.append(_cpu_seconds() - cpu)
    return times


CPU: list[float] = []


def _cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def show(label: str, values: list[float]) -> None:
    """Wall time, and CPU time, which the other jobs on a shared machine disturb less."""
    cpu = f"   cpu median {statistics.median(CPU) * 1000:6.0f} ms" if len(CPU) == len(values) else ""
    median, slow = statistics.median(values) * 1000, p95(values) * 1000
    print(f"{label:58} median {median:6.0f} ms   p95 {slow:6.0f} ms{cpu}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--cli-runs", type=int, default=5)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--nlp", action="store_true", help="compare with NLP normalisation (see above)")
    args = parser.parse_args()
    if args.nlp:
        compare_nlp(args.file, args.runs)
        return
    count = len(import_file(args.file, "free-exercise-db"))
    print(f"{count} exercises from {args.file.resolve()}")
    warm = default_vocabulary()
    show(
        "in-process, vocabulary loaded",
        timed(lambda: import_file(args.file, "free-exercise-db", warm), args.runs),
    )
    show(
        "in-process, cold (load + compile the vocabulary)",
        timed(
            lambda: import_file(args.file, "free-exercise-db", load_vocabulary(vocabulary_path())), args.runs
        ),
    )
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "BUMPWISE_DATA_DIR": data_dir}

        def cli(*extra: str) -> Callable[[], object]:
            command = [
                str(BUMPWISE),
                "exercises",
                "import",
                "--from",
                "free-exercise-db",
                str(args.file),
                *extra,
            ]
            return lambda: subprocess.run(command, env=env, capture_output=True, check=True)

        show("CLI --format json (end to end)", timed(cli("--format", "json"), args.cli_runs))
        show(
            "CLI --format json --save (merge into the library)",
            timed(cli("--format", "json", "--save"), args.cli_runs),
        )
        show("CLI --report (Rich text)", timed(cli("--report"), args.cli_runs))


# --- NLP comparison --------------------------------------------------------------------------

ATTRIBUTES = ("position", "asymmetric_lower_body", "wide_stance", "impact", "spinal_flexion")
LABELS = REPO / "tests" / "data" / "free_exercise_db_labels.yaml"


def compare_nlp(path: Path, runs: int) -> None:
    print("start-up in a fresh interpreter (median of 7):")
    for label, code in (
        ("python -c pass", "pass"),
        ("import the plain importer (bumpwise.importing)", "import bumpwise.importing.classify"),
        (
            "import snowballstemmer + English stemmer",
            "import snowballstemmer; snowballstemmer.stemmer('english')",
        ),
        ("import spacy + blank English", "import spacy; spacy.blank('en')"),
        ("  + lookup lemmatizer (spacy-lookups-data)", _SPACY_LEMMATIZER + "; nlp('x')"),
    ):
        show(f"  {label}", timed(lambda c=code: subprocess.run([sys.executable, "-c", c], check=True), 7))
    print("install size beyond what bumpwise already needs:")
    for names in (["snowballstemmer"], ["spacy"], ["spacy", "spacy-lookups-data"]):
        print(f"  {' + '.join(names):58} {install_size(names) / 1_048_576:7.1f} MB")
    variants = {"plain": None, "snowball stems": snowball_words(), "spaCy lookup lemmas": spacy_words()}
    print("accuracy on the labelled sets (development / held-out) and in-process import time:")
    for name, transform in variants.items():
        with normaliser(transform):
            vocabulary = load_vocabulary(vocabulary_path())
            exercises = {e.source_id: e for e in import_file(path, "free-exercise-db", vocabulary)}
            seconds = timed(lambda v=vocabulary: import_file(path, "free-exercise-db", v), max(3, runs // 3))
        scores = "  ".join(
            f"{attr[:10]} {accuracy(exercises, 'labels', attr):.1%}/{accuracy(exercises, 'holdout', attr):.1%}"  # noqa: E501
            for attr in ATTRIBUTES
        )
        print(f"  {name:20} {scores}   import {statistics.median(seconds) * 1000:.0f} ms")
    import spacy

    nlp = spacy.blank("en")
    texts = [step for e in __import__("json").loads(path.read_text()) for step in e["instructions"]]
    show("spaCy blank English tokenizer over every instruction step", timed(lambda: list(nlp.pipe(texts)), 3))


_LOOKUP_LEMMATIZER = "nlp.add_pipe('lemmatizer', config={'mode': 'lookup'}); nlp.initialize()"
_SPACY_LEMMATIZER = f"import spacy; nlp = spacy.blank('en'); {_LOOKUP_LEMMATIZER}"


def snowball_words() -> Callable[[str], str]:
    import snowballstemmer

    stem = snowballstemmer.stemmer("english").stemWord
    return lambda word: str(stem(word))


def spacy_words() -> Callable[[str], str]:
    namespace: dict[str, object] = {}
    exec(_SPACY_LEMMATIZER, namespace)  # the same set-up the start-up figure times
    table = namespace["nlp"].get_pipe("lemmatizer").lookups.get_table("lemma_lookup")  # type: ignore[attr-defined]
    return lambda word: str(table.get(word, word))


class normaliser:
    """Swap the importer's text normaliser for one that also maps every word (both in texts and phrases)."""

    def __init__(self, transform: Callable[[str], str] | None) -> None:
        self.transform = transform

    def __enter__(self) -> None:
        import re

        from bumpwise.importing import classify, matching

        self.saved = matching.normalise
        if self.transform is not None:
            plain, transform, word = matching.normalise, self.transform, re.compile(r"[a-z0-9]+")
            mapped = lambda text: word.sub(lambda m: transform(m.group()), plain(text))  # noqa: E731
            matching.normalise = classify.normalise = mapped
        matching.compile_phrase.cache_clear()

    def __exit__(self, *_: object) -> None:
        from bumpwise.importing import classify, matching

        matching.normalise = classify.normalise = self.saved
        matching.compile_phrase.cache_clear()


def accuracy(exercises: dict[str, object], which: str, attribute: str) -> float:
    import yaml

    labelled = yaml.safe_load(LABELS.read_text(encoding="utf-8"))[which]
    right = 0
    for label in labelled:
        got = getattr(exercises[label["id"]], attribute)
        right += label[attribute][0] == getattr(got, "value", got)
    return right / len(labelled)


def install_size(names: list[str]) -> int:
    """Bytes of ``names`` and every distribution they pull in that bumpwise does not already need."""
    from importlib import metadata

    def closure(roots: list[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            name = todo.pop().lower().replace("_", "-")
            if name in seen:
                continue
            try:
                requires = metadata.requires(name) or []
            except metadata.PackageNotFoundError:
                continue
            seen.add(name)
            todo.extend(r.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].split("~")[0]
                        .split("!")[0].strip() for r in requires if "extra ==" not in r)  # fmt: skip
        return seen

    extra = closure(names) - closure(["bumpwise"])
    total = 0
    for name in extra:
        for file in metadata.distribution(name).files or []:
            located = Path(str(file.locate()))
            if located.is_file():
                total += located.stat().st_size
    return total


if __name__ == "__main__":
    main()
