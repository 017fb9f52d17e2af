"""bumpwise on PostgreSQL at scale: many members with stored plans, millions of log rows, coaches
with thousands of clients; then today, week, a log write and the coach's roster, measured.

Build (``--build``), in a PostgreSQL schema of its own, with the app's own migrations:
- ``--templates`` real members made through the services (sign-up, onboarding, a plan built and
  stored by the planner), with profiles spread over pregnancy and postpartum weeks;
- ``--members`` members cloned from them server-side (``INSERT ... SELECT generate_series``):
  user, profile and stored plan (a clone shares its template's profile, so the fingerprint its
  ``today`` computes matches the stored one and no read rebuilds it);
- ``--logs`` session logs and a tenth as many symptom check-ins spread over the members and the
  last 120 days, a few unresolved warning signs;
- ``--coaches`` coaches with ``--clients`` clients each; API tokens for ``--sample`` random
  members and for every coach. Then ``ANALYZE``.

Measure: in-process (the services, as a request runs them) the SQL statements and connection
checkouts per request and the time of today and of a roster page; ``EXPLAIN`` of every query
those run, checked for sequential scans over the big tables; table sizes; then over HTTP (one
uvicorn worker, or ``--workers N``; wrk) today, week and a log write for random members at 8
connections and roster pages at 1 and 8 connections.

Usage:
  .venv/bin/python bench/scale.py --build --members 100000 --logs 2000000   # build, then measure
  .venv/bin/python bench/scale.py                                          # measure what is built
Options: --url (default the local ``test`` database), --schema (default ``bw_scale``),
--rev REV to serve another revision's code over HTTP (``git archive``, as bench/hot_path.py),
--no-upgrade to measure an older revision's code (first on ``PYTHONPATH``) on a schema built by
a newer one, whose migrations it does not know, --tokens due|fresh to set every token's last use
before measuring over HTTP (a build sets it to the build's time, so within the hour after a build
no request records a use, and after it every member's first request does).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, text

HERE = Path(__file__).parent
BIG_TABLES = ("session_logs", "symptom_reports", "stored_plans", "users", "member_profiles", "coach_grants")


@dataclass(frozen=True)
class Sizes:
    templates: int = 48
    members: int = 100_000
    logs: int = 2_000_000
    coaches: int = 3
    clients: int = 2_000
    sample: int = 2_000


POSTGRES_URL = os.environ.get(
    "BUMPWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def state_file(schema: str) -> Path:
    """What ``--build`` made in ``schema``: sizes, tokens, the day it was built for."""
    return Path(tempfile.gettempdir()) / f"bumpwise-scale-{schema}.json"


def schema_url(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


def reset_schema(url: str, schema: str) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()


def drop_schema(url: str, schema: str) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


TOKEN_USE = {
    "due": "now() AT TIME ZONE 'utc' - interval '3 hours'",
    "fresh": "now() AT TIME ZONE 'utc'",
}
"""``--tokens``: every token last used 3 hours ago (each member's request is her first in an hour
and records the use, the worst case) or just now (no request records one)."""


def set_token_use(url: str, when: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"UPDATE api_tokens SET last_used_at = {TOKEN_USE[when]}"))
        connection.execute(text("VACUUM ANALYZE api_tokens"))
    engine.dispose()


# ---------------------------------------------------------------------------------------- build


def template_details(index: int, today: date) -> dict[str, Any]:
    """Profiles spread over the stages: pregnant weeks 8-38, postpartum weeks 1-40, two births."""
    equipment = [["dumbbells", "chair"], ["resistance_band"], [], ["dumbbells", "chair", "resistance_band"]]
    common = {
        "activity_level": ("inactive", "active", "vigorous")[index % 3],
        "equipment": equipment[index % 4],
        "days_per_week": 2 + index % 5,
        "minutes_per_session": (20, 30, 45)[index % 3],
    }
    if index % 2 == 0:
        weeks_left = 2 + (index * 7) % 30
        return {
            **common,
            "stage_kind": "pregnant",
            "due_date": (today + timedelta(weeks=weeks_left)).isoformat(),
        }
    weeks_since = 1 + (index * 5) % 40
    return {
        **common,
        "stage_kind": "postpartum",
        "birth_date": (today - timedelta(weeks=weeks_since)).isoformat(),
        "delivery": ("vaginal", "caesarean")[index % 4 // 2],
    }


def build(url: str, sizes: Sizes, today: date, log: Callable[[str], None]) -> dict[str, Any]:
    from bumpwise.config import Settings
    from bumpwise.persistence.migrate import upgrade
    from bumpwise.services import coaching, profiles, sessions
    from bumpwise.services.inputs import validated
    from bumpwise.web.app import build_context

    started = time.monotonic()
    upgrade(url)
    ctx = build_context(Settings(env="test", database_url=url, cheap_password_hashing=True))
    now = datetime.now(UTC)
    templates = []
    for index in range(sizes.templates):
        member = _account(ctx, f"template{index}@scale.example", f"Template {index:03d}", now)
        details = validated(profiles.DetailsInput, template_details(index, today))
        profiles.save_details(ctx.uow(), ctx.kb, member, details, now)
        profiles.save_screening(ctx.uow(), ctx.kb, member, validated(profiles.ScreeningInput, {}), now)
        sessions.today(ctx.uow(), ctx.kb, member, today, now)  # builds and stores the plan
        templates.append(member.user_id)
    log(f"{len(templates)} template members onboarded with stored plans ({time.monotonic() - started:.0f} s)")
    first, last = max(templates) + 1, max(templates) + sizes.members
    with ctx.engine.begin() as connection:
        clone = _cloner(connection, templates)
        clone(
            "users",
            "id",
            {"email": "'m' || g || '@scale.example'", "display_name": "'Member ' || lpad(g::text, 7, '0')"},
            first,
            last,
        )
        clone("member_profiles", "user_id", {}, first, last)
        clone("stored_plans", "user_id", {}, first, last)
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))")
        )
    log(
        f"{sizes.members:,} members cloned with profiles and stored plans "
        f"({time.monotonic() - started:.0f} s)"
    )
    with ctx.engine.begin() as connection:
        _logs(connection, first, sizes, today)
    log(
        f"{sizes.logs:,} session logs and {sizes.logs // 10:,} check-ins ({time.monotonic() - started:.0f} s)"
    )
    coaches = []
    for index in range(sizes.coaches):
        coach = _account(ctx, f"coach{index}@scale.example", f"Coach {index}", now)
        coaches.append(coach.user_id)
    with ctx.engine.begin() as connection:
        connection.execute(text("UPDATE users SET role = 'coach' WHERE id = ANY(:ids)"), {"ids": coaches})
        for index, coach_id in enumerate(coaches):
            low = first + index * sizes.clients
            connection.execute(
                text(
                    "INSERT INTO coach_grants (member_id, coach_id, granted_at) "
                    "SELECT g, :coach, now() "
                    "FROM generate_series(CAST(:low AS integer), CAST(:high AS integer)) g"
                ),
                {"coach": coach_id, "low": low, "high": min(low + sizes.clients - 1, last)},
            )
    del coaching  # grants go in by SQL: accept_invite would take a round trip each
    members = random.Random(18).sample(range(first, last + 1), min(sizes.sample, sizes.members))
    tokens = _tokens(ctx.engine, members + coaches, now)
    with ctx.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))
    ctx.engine.dispose()
    log(f"coaches, grants, tokens, ANALYZE ({time.monotonic() - started:.0f} s)")
    return {
        "members": {str(m): tokens[m] for m in members},
        "coaches": {str(c): tokens[c] for c in coaches},
        "sizes": sizes.__dict__,
        "built_on": today.isoformat(),
        "build_seconds": round(time.monotonic() - started),
    }


def _account(ctx: Any, email: str, name: str, now: datetime) -> Any:
    """A member account made through the service (coaches are made coaches by SQL afterwards)."""
    from bumpwise.services import accounts
    from bumpwise.services.principal import Role

    password = "scale password 1"
    return accounts.sign_up(
        ctx.uow(), ctx.rules, email=email, password=password, display_name=name, role=Role.MEMBER, now=now
    )


def _cloner(connection: Any, templates: list[int]) -> Callable[[str, str, dict[str, str], int, int], None]:
    """INSERT ... SELECT that copies template rows to ids ``first..last`` (template ``g mod K``)."""
    count, low = len(templates), min(templates)

    def clone(table: str, key: str, overrides: dict[str, str], first: int, last: int) -> None:
        columns = [
            row[0]
            for row in connection.execute(
                text(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = :table ORDER BY ordinal_position"
                ),
                {"table": table},
            )
        ]
        values = ["g" if c == key else overrides.get(c, f't."{c}"') for c in columns]
        connection.execute(
            text(
                f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
                f"SELECT {', '.join(values)} "
                "FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) g "
                f'JOIN {table} t ON t."{key}" = {low} + (g % {count})'
            ),
            {"first": first, "last": last},
        )

    return clone


def _logs(connection: Any, first: int, sizes: Sizes, today: date) -> None:
    members = sizes.members
    # The trigger bumping each member's view version (migration 0019) would update a member's row
    # once per log loaded; no page is kept while the bench builds, so the load goes without it.
    connection.execute(text("ALTER TABLE session_logs DISABLE TRIGGER USER"))
    connection.execute(
        text(
            "INSERT INTO session_logs "
            "(user_id, session_date, session_kind, items_done, rpe, minutes, notes, created_at) "
            "SELECT :first + g % :members, CAST(:today AS date) - ((g / :members) % 120)::int, "
            "(ARRAY['strength', 'cardio', 'pelvic_floor'])[1 + g % 3], '[\"glute-bridge\", \"bird-dog\"]', "
            "11 + g % 5, 15 + g % 30, '', now() FROM generate_series(0, CAST(:count AS integer) - 1) g"
        ),
        {"first": first, "members": members, "today": today, "count": sizes.logs},
    )
    connection.execute(text("ALTER TABLE session_logs ENABLE TRIGGER USER"))
    connection.execute(
        text(
            "INSERT INTO symptom_reports "
            "(user_id, reported_at, symptoms, warning_signs, has_warning, note, resolved_at) "
            "SELECT :first + g % :members, "
            "now() - make_interval(days => ((g / :members) % 120)::int, hours => 1), "
            "CASE WHEN g % 4 = 0 AND g >= :members THEN '[\"pelvic_pain_flare\"]' ELSE '[]' END::json, "
            "CASE WHEN g % 997 = 0 THEN '[\"vaginal_bleeding\"]' ELSE '[]' END::json, g % 997 = 0, '', "
            "CASE WHEN g % 997 = 0 AND g % 2 = 0 THEN now() ELSE NULL END "
            "FROM generate_series(0, CAST(:count AS integer) - 1) g"
        ),
        {"first": first, "members": members, "count": sizes.logs // 10},
    )


def _tokens(engine: Engine, user_ids: list[int], now: datetime) -> dict[int, str]:
    from bumpwise.adapters.security import digest

    raw = {user_id: "bw_" + secrets.token_urlsafe(32) for user_id in user_ids}
    rows = [
        {
            "user_id": u,
            "name": "scale",
            "token_hash": digest(t),
            "prefix": t[:10],
            "created_at": now.replace(tzinfo=None),
            "last_used_at": now.replace(tzinfo=None),
            "expires_at": (now + timedelta(days=30)).replace(tzinfo=None),
        }
        for u, t in raw.items()
    ]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO api_tokens "
                "(user_id, name, token_hash, prefix, created_at, last_used_at, expires_at) "
                "VALUES (:user_id, :name, :token_hash, :prefix, :created_at, :last_used_at, :expires_at)"
            ),
            rows,
        )
    return raw


# -------------------------------------------------------------------------------------- measure


@dataclass
class Counter:
    statements: int = 0
    checkouts: int = 0
    captured: list[tuple[str, Any]] | None = None


@contextmanager
def counting(engine: Engine) -> Iterator[Counter]:
    counter = Counter()

    def on_execute(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        counter.statements += 1
        if counter.captured is not None and not many:  # one statement a row (an audit trail) is not explained
            counter.captured.append((statement, parameters))

    def on_checkout(*_: Any) -> None:
        counter.checkouts += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine.pool, "checkout", on_checkout)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine.pool, "checkout", on_checkout)


def in_process(url: str, built: dict[str, Any], today: date, runs: int) -> dict[str, Any]:
    from bumpwise.config import Settings
    from bumpwise.services import accounts, clients, sessions
    from bumpwise.web.app import build_context, settle_garbage_collector

    ctx = build_context(Settings(env="test", database_url=url, cheap_password_hashing=True))
    settle_garbage_collector()  # as a serving worker does
    now = datetime.now(UTC)
    chooser = random.Random(7)
    members = list(built["members"].values())
    coaches = list(built["coaches"].values())

    def today_request(token: str) -> None:
        user = accounts.api_token_principal(ctx.uow(), token, now)
        assert user is not None
        sessions.today(ctx.uow(), ctx.kb, user, today, now)

    def roster_request(token: str, offset: int) -> None:
        user = accounts.api_token_principal(ctx.uow(), token, now)
        assert user is not None
        clients.roster(ctx.uow(), ctx.kb, user, today, now, offset=offset)

    pages = max(1, built["sizes"]["clients"] // 50)
    warm_up(coaches, pages, roster_request)
    results: dict[str, Any] = {}
    for name, request in (
        ("today, random member", lambda: today_request(chooser.choice(members))),
        (
            "roster page of 50, random page",
            lambda: roster_request(chooser.choice(coaches), 50 * chooser.randrange(pages)),
        ),
    ):
        request()
        times, statements, checkouts = [], [], []
        count = runs if name.startswith("today") else max(3, runs // 10)
        for _ in range(count):
            with counting(ctx.engine) as counter:
                started = time.perf_counter()
                request()
                times.append((time.perf_counter() - started) * 1000)
            statements.append(counter.statements)
            checkouts.append(counter.checkouts)
        results[name] = {
            "p50_ms": statistics.median(times),
            "p99_ms": sorted(times)[min(len(times) - 1, int(len(times) * 0.99))],
            "statements": statistics.median(statements),
            "checkouts": statistics.median(checkouts),
            "runs": count,
        }
    results["explain"] = explain(ctx, members[0], coaches[0], today, now)
    ctx.engine.dispose()
    return results


def warm_up(coaches: list[str], pages: int, roster_request: Callable[[str, int], None]) -> None:
    """Every roster page once, so the plans the build left stale (a clone whose latest check-in
    differs from its template's) are rebuilt before anything is timed, as the daily
    ``bumpwise db refresh-plans`` does in production; then the parsed-plan cache is emptied, so
    timed pages read as a worker that has not read these clients' plans."""
    from bumpwise.services import plans

    started = time.monotonic()
    for token in coaches:
        for page in range(pages):
            roster_request(token, 50 * page)
    plans.forget_read_plans()
    seconds = time.monotonic() - started
    print(f"warm-up: {len(coaches) * pages} roster pages in {seconds:.0f} s", file=sys.stderr)


EXPLAINED = ("SELECT", "INSERT", "UPDATE")
"""Statements explained (the rest are BEGIN, COMMIT and the like)."""


def explain(
    ctx: Any, member_token: str, coach_token: str, today: date, now: datetime
) -> list[dict[str, Any]]:
    """EXPLAIN (ANALYZE) of every statement a today request, a roster page, a log write and a
    check-in send. The log and the check-in are stored, as a member's would be (one each a run,
    for the first member); their statements then run again inside a transaction rolled back."""
    from bumpwise.services import accounts, clients, sessions, symptoms
    from bumpwise.services.inputs import validated

    captured: list[tuple[str, Any]] = []
    with counting(ctx.engine) as counter:
        counter.captured = captured
        member = accounts.api_token_principal(ctx.uow(), member_token, now)
        assert member is not None
        sessions.today(ctx.uow(), ctx.kb, member, today, now)
        coach = accounts.api_token_principal(ctx.uow(), coach_token, now)
        assert coach is not None
        clients.roster(ctx.uow(), ctx.kb, coach, today, now, offset=0)
        logged = {"session_date": today, "session_kind": "strength", "minutes": 20}
        entry = validated(sessions.LogInput, logged)
        sessions.log_session(ctx.uow(), ctx.kb, member, entry, today, now)
        checked = validated(symptoms.CheckInInput, {})  # feeling well: valid at every stage
        symptoms.check_in(ctx.uow(), ctx.kb, member, checked, now)
    plans = []
    seen = set()
    raw = ctx.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in captured:
            if not statement.lstrip().upper().startswith(EXPLAINED) or statement in seen:
                continue
            seen.add(statement)
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
            plan = cursor.fetchone()[0][0]
            scans = sorted(set(_seq_scans(plan["Plan"])))
            plans.append(
                {
                    "statement": " ".join(statement.split())[:140],
                    "ms": round(plan["Execution Time"], 3),
                    "seq_scans": scans,
                    "big_seq_scan": [s for s in scans if s in BIG_TABLES],
                }
            )
        raw.rollback()
    finally:
        raw.close()
    return plans


def _seq_scans(node: dict[str, Any]) -> Iterator[str]:
    if node.get("Node Type") == "Seq Scan":
        yield node.get("Relation Name", "?")
    for child in node.get("Plans", []):
        yield from _seq_scans(child)


def table_sizes(url: str, members: int) -> list[tuple[str, float, float]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 8"
            )
        ).all()
    engine.dispose()
    return [(name, size / 1e6, size / max(members, 1) / 1e3) for name, size in rows]


WARM_UP_SECONDS = 2
"""Before each target's measured rounds, not counted (a worker's first round had a p99 four
times the next ones')."""


def over_http(url: str, built: dict[str, Any], options: argparse.Namespace, folder: Path) -> dict[str, Any]:
    from api import Result, drain, free_port, parse, start, uvicorn

    env = {
        **os.environ,
        "BUMPWISE_ENV": "test",
        "BUMPWISE_DATABASE_URL": url,
        "BUMPWISE_MIGRATE_ON_START": "false",
        "XDG_CACHE_HOME": str(folder / "cache"),
        "BUMPWISE_CACHE_DIR": str(folder / "cache"),
    }
    if options.rev:
        from hot_path import extract

        env["PYTHONPATH"] = str(extract(options.rev, folder))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = uvicorn("bumpwise.web.app:app_from_environment", port, factory=True)
    command[command.index("--workers") + 1] = str(options.workers)
    server = start(command, env, base + "/api/v1/exercises")
    members = list(built["members"].values())
    coaches = list(built["coaches"].values())
    pages = max(1, built["sizes"]["clients"] // 50)
    log = json.dumps(
        {"session_date": date.today().isoformat(), "session_kind": "strength", "rpe": 13, "minutes": 20}
    )
    targets = [
        ("GET /api/v1/me/today, random member", "/api/v1/me/today", members, None, 8),
        ("GET /api/v1/me/week, random member", "/api/v1/me/week", members, None, 8),
        ("POST /api/v1/me/logs, random member", "/api/v1/me/logs", members, log, 8),
        ("GET /api/v1/coach/clients, random page of 50", "/api/v1/coach/clients", coaches, None, 1),
        (
            "GET /api/v1/coach/clients, random page of 50, 8 connections",
            "/api/v1/coach/clients",
            coaches,
            None,
            8,
        ),
    ]
    results: dict[str, Any] = {}
    try:
        for label, path, tokens, body, connections in [t for t in targets if options.only in t[0]]:
            script = folder / "random.lua"
            script.write_text(_lua(tokens, path, body, pages if "coach" in path else 0, options.gzip))
            rows: list[Result] = []
            for seconds in (WARM_UP_SECONDS, *[options.seconds] * options.rounds):
                drain(base + "/api/v1/exercises/glute-bridge", {})
                command = [
                    "wrk",
                    "-t1" if connections == 1 else "-t2",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    "--latency",
                    "--timeout",
                    "30s",
                    "-s",
                    str(script),
                    base + path,
                ]
                done = subprocess.run(command, capture_output=True, text=True)
                if done.returncode != 0:
                    sys.exit(f"wrk failed on {label}: {done.stdout}{done.stderr}")
                rows.append(parse(done.stdout))
            rows = rows[1:]  # the warm-up round: a fresh worker's first requests prepare its statements
            results[label] = {
                "rps": statistics.median(r.rps for r in rows),
                "p50_ms": statistics.median(r.p50_ms for r in rows),
                "p99_ms": statistics.median(r.p99_ms for r in rows),
                "non_2xx": sum(r.non_2xx for r in rows),
            }
            print(f"  {label}: {results[label]}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def _lua(tokens: list[str], path: str, body: str | None, pages: int, gzip: bool = False) -> str:
    listed = ",".join(json.dumps(t) for t in tokens)
    method = "POST" if body else "GET"
    query = f'"?offset=" .. 50 * math.random(0, {pages - 1})' if pages else '""'
    lua_body = json.dumps(body) if body else "nil"
    return (
        f"local tokens = {{{listed}}}\nmath.randomseed(os.time())\n"
        "request = function()\n"
        "  local headers = {}\n"
        '  headers["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]\n'
        '  headers["Content-Type"] = "application/json"\n'
        + ('  headers["Accept-Encoding"] = "gzip"\n' if gzip else "")
        + f'  return wrk.format("{method}", "{path}" .. {query}, headers, {lua_body})\n'
        "end\n"
    )


def report(
    built: dict[str, Any],
    measured: dict[str, Any],
    sizes: list[tuple[str, float, float]],
    http: dict[str, Any],
    workers: int = 1,
) -> None:
    s = built["sizes"]
    print(
        f"\nPostgreSQL scale bench: {s['members']:,} members ({s['templates']} template profiles), "
        f"{s['logs']:,} session logs, {s['logs'] // 10:,} check-ins, "
        f"{s['coaches']} coaches × {s['clients']:,} clients "
        f"(built in {built['build_seconds']} s)\n"
    )
    if not measured:  # --http-only
        _print_http(http, workers)
        return
    print(
        "| in-process, one request at a time | p50 ms | p99 ms | SQL statements "
        "| connection checkouts | runs |"
    )
    print("|---|---|---|---|---|---|")
    for name, row in measured.items():
        if name == "explain":
            continue
        print(
            f"| {name} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['statements']:.0f} "
            f"| {row['checkouts']:.0f} | {row['runs']} |"
        )
    print("\n| EXPLAIN ANALYZE of each statement (today, roster, log write, check-in) | ms | seq scans |")
    print("|---|---|---|")
    for plan in measured["explain"]:
        scans = ", ".join(plan["seq_scans"]) or "none"
        flag = " **over a big table**" if plan["big_seq_scan"] else ""
        print(f"| `{plan['statement']}` | {plan['ms']} | {scans}{flag} |")
    big = [p for p in measured["explain"] if p["big_seq_scan"]]
    print(f"\nsequential scans over {', '.join(BIG_TABLES)}: {len(big)} statement(s)")
    print("\n| table (with indexes and TOAST) | MB | kB per member |")
    print("|---|---|---|")
    for name, mb, per in sizes:
        print(f"| {name} | {mb:,.0f} | {per:.2f} |")
    _print_http(http, workers)


def _print_http(http: dict[str, Any], workers: int) -> None:
    if http:
        served = "one uvicorn worker" if workers == 1 else f"{workers} uvicorn workers"
        print(f"\n| over HTTP, {served}, wrk | req/s | p50 ms | p99 ms | non-2xx |")
        print("|---|---|---|---|---|")
        for name, row in http.items():
            print(
                f"| {name} | {row['rps']:,.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
                f"| {row['non_2xx']} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=POSTGRES_URL)
    parser.add_argument("--schema", default="bw_scale")
    parser.add_argument("--build", action="store_true", help="drop and build the schema first")
    parser.add_argument("--templates", type=int, default=Sizes.templates)
    parser.add_argument("--members", type=int, default=Sizes.members)
    parser.add_argument("--logs", type=int, default=Sizes.logs)
    parser.add_argument("--coaches", type=int, default=Sizes.coaches)
    parser.add_argument("--clients", type=int, default=Sizes.clients)
    parser.add_argument("--sample", type=int, default=Sizes.sample)
    parser.add_argument("--runs", type=int, default=300, help="in-process today requests (roster: a tenth)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--no-http", dest="http", action="store_false")
    parser.add_argument("--rev", help="serve this git revision's code over HTTP")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers serving HTTP")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip, as browsers do")
    parser.add_argument("--only", default="", help="measure only the HTTP rows whose label holds this")
    parser.add_argument("--http-only", action="store_true", help="skip the in-process requests and EXPLAIN")
    parser.add_argument(
        "--no-upgrade",
        dest="upgrade",
        action="store_false",
        help="measure without migrating first (an older revision's code on a newer schema)",
    )
    parser.add_argument("--drop-after", action="store_true", help="drop the schema when done (CI)")
    parser.add_argument(
        "--tokens",
        choices=sorted(TOKEN_USE),
        help="before measuring over HTTP, make every token's use due (the worst case) or fresh",
    )
    options = parser.parse_args()
    os.environ.setdefault("BUMPWISE_ENV", "test")
    url = schema_url(options.url, options.schema)
    state = state_file(options.schema)
    today = date.today()
    if options.build:
        reset_schema(options.url, options.schema)
        sizes = Sizes(
            options.templates, options.members, options.logs, options.coaches, options.clients, options.sample
        )
        built = build(url, sizes, today, lambda line: print(line, file=sys.stderr))
        state.write_text(json.dumps(built))
    built = json.loads(state.read_text())
    if options.build_only:
        return
    if built["built_on"] != today.isoformat():
        sys.exit(f"{state} was built on {built['built_on']}: plans are for that week; rebuild with --build")
    from bumpwise.persistence.migrate import upgrade

    if options.upgrade:
        upgrade(url)  # indexes added since the build
    measured = {} if options.http_only else in_process(url, built, today, options.runs)
    sizes = [] if options.http_only else table_sizes(url, built["sizes"]["members"])
    http: dict[str, Any] = {}
    if options.http and shutil.which("wrk"):
        if options.tokens:
            set_token_use(url, options.tokens)
        with tempfile.TemporaryDirectory() as folder:
            http = over_http(url, built, options, Path(folder))
    report(built, measured, sizes, http, options.workers)
    if options.drop_after:
        drop_schema(options.url, options.schema)
        state.unlink()


if __name__ == "__main__":
    main()
