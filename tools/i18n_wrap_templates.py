"""Wrap the visible text of Jinja HTML templates in _() for gettext (issue 19; docs/i18n.md).

A one-off converter, kept for templates written before issue 19 (the coach pages, which another
branch was changing when the others were converted): ``python tools/i18n_wrap_templates.py
src/bumpwise/web/templates/coach/*.html``, then ``make i18n-update``, translate, ``make i18n-check``.
It wraps text nodes (with their ``{{ expressions }}`` as ``%(name)s`` placeholders) and the alt,
title, placeholder and aria-label attributes; it skips files that already call ``_(``. Strings
passed to macros or in Jinja tuples need wrapping by hand (``tests/e2e/test_pages_pseudo_locale.py``
finds what is left).
"""
import re
import sys
from pathlib import Path

TOKEN = re.compile(r"(\{%.*?%\}|\{#.*?#\}|<!--.*?-->|<(?:[^<>{]|\{\{.*?\}\}|\{%.*?%\})*>)", re.S)
EXPR = re.compile(r"\{\{(.*?)\}\}", re.S)
LETTER = re.compile(r"[A-Za-z]")
ATTRS = re.compile(r'(\s(?:alt|title|placeholder|aria-label)=")([^"]*)(")')
SKIP_BLOCKS = ("script", "style", "pre", "code")


def literal(text: str) -> str:
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', '\\"') + '"'


def name_for(expr: str, used: set[str]) -> str:
    head = re.split(r"[|(\[]", expr.strip(), maxsplit=1)[0].strip()
    ids = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", head)
    name = ids[-1] if ids else "value"
    if name in {"loop", "self", "not", "and", "or", "if", "else", "in", "is"}:
        name = "value"
    base, i = name, 2
    while name in used:
        name, i = f"{base}{i}", i + 1
    used.add(name)
    return name


def wrap_run(run: str) -> str:
    stripped = run.strip()
    if not stripped:
        return run
    outside = EXPR.sub("", stripped)
    if not LETTER.search(outside):
        return run
    lead = run[: len(run) - len(run.lstrip())]
    trail = run[len(run.rstrip()):]
    used: set[str] = set()
    args: list[str] = []

    def placeholder(m: re.Match[str]) -> str:
        expr = m.group(1).strip()
        name = name_for(expr, used)
        args.append(f"{name}={expr}")
        return f"%({name})s"

    body = EXPR.split(stripped)
    message = ""
    for i, part in enumerate(body):
        if i % 2 == 0:
            message += part.replace("%", "%%")
        else:
            message += placeholder(re.match(r"(.*)", part, re.S))  # type: ignore[arg-type]
    message = re.sub(r"\s+", " ", message)
    call = f"_({literal(message)}" + "".join(f", {a}" for a in args) + ")"
    return f"{lead}{{{{ {call} }}}}{trail}"


def wrap_attr(tag: str) -> str:
    def one(m: re.Match[str]) -> str:
        value = m.group(2)
        if not LETTER.search(EXPR.sub("", value)) or value.startswith("{{ _("):
            return m.group(0)
        inner = wrap_run(value)
        return m.group(1) + inner + m.group(3)

    return ATTRS.sub(one, tag)


def convert(text: str) -> str:
    parts = TOKEN.split(text)
    out = []
    skip = None
    for i, part in enumerate(parts):
        if i % 2 == 1:  # a token
            low = part.lower()
            if skip is None:
                for b in SKIP_BLOCKS:
                    if low.startswith(f"<{b}") and not low.startswith(f"<{b}s"):
                        skip = b
            elif low.startswith(f"</{skip}"):
                skip = None
            if part.startswith("<") and not part.startswith("<!--"):
                part = wrap_attr(part)
            out.append(part)
        else:
            out.append(part if skip else wrap_run(part))
    return "".join(out)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        if "{{ _(" in text or "{% trans" in text:
            print("skip (done):", name)
            continue
        path.write_text(convert(text), encoding="utf-8")
