"""The member's hot path as a ladder of levers, each a ratio to the FastAPI floor of the same run.

Every rung is the real app (one uvicorn worker, SQLite in a temporary folder, WAL) built from a
source tree: a git revision extracted with ``git archive`` (``--ladder``), optionally with
settings or request headers, so each lever is measured alone against the rung before it:

  main                    the code before issue 18
  + token check           the token is checked with one prepared column query (no entities)
  + member queries        the page's queries built once; plan cache off (BUMPWISE_PLAN_CACHE_SIZE=0)
  + plan cache            the parsed stored plan from the per-process cache
  + one hop               async route, token check and reads in one thread-pool hop
  + 304                   the client sends the ETag it holds (If-None-Match)

The default revisions are the commits of the ``perf`` branch that added each lever; after a merge
that rewrites them, pass the matching ones with ``--ladder``.

Then the goals of issue 18 on the working tree (``--goals``): today, week and the HTML today page
with the rendered-page cache off (``BUMPWISE_PAGE_CACHE_SIZE=0``), on, and on with 2 workers;
the exercise library and a log write; all at 8 connections.

The floor (``bench/floor_app.py``: ``/items``, 20 items through a response model) runs in the
same run; rounds are interleaved (floor, rung 1, rung 2, ... then again), each cell the median.

Then (``--library``) the exercise library, log writes and the public free workout at 8
connections, the code of ``--before`` (a git revision) beside the working tree: log writes on
SQLite with ``synchronous=FULL`` (the default) and ``NORMAL``, and on PostgreSQL (a fresh schema
of ``--postgres`` for each server; from one member, and spread over ``MEMBERS``); ``--only``
keeps the rungs whose labels contain one of its comma-separated parts (and the floor).

With ``--member-postgres``, the member pages (cache off, on, 2 workers) once more with each app on
a fresh schema of ``--postgres`` (the caller's one read then runs in the thread pool).

Usage: .venv/bin/python bench/hot_path.py [--rounds 3] [--seconds 8] [--connections 64]
       [--ladder main,387640c,43c38b4,HEAD] [--no-ladder] [--no-goals] [--member-postgres]
       [--library [--before 3728dda] [--postgres URL] [--only 'after: GET,POST /me/logs']]
Needs wrk (Debian package ``wrk``).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

from api import Result, drain, free_port, parse, seed_members, start, table_row, uvicorn

HERE = Path(__file__).parent
ROOT = HERE.parent
PYTHON = sys.executable
LADDER_REVS = ("main", "387640c", "43c38b4", "WORKTREE")


@dataclass
class Server:
    """One app process (or the floor) and the credentials its database was seeded with."""

    name: str
    tree: Path | None
    env: dict[str, str] = field(default_factory=dict)
    workers: int = 1
    database: str = ""
    """a database URL (empty: SQLite in the run's folder)"""
    members: int = 1
    """members seeded (each with a token): a rung ``spread`` over them sends each request as the next"""
    port: int = 0
    token: str = ""
    cookie: str = ""
    tokens: list[str] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Rung:
    label: str
    server: str
    path: str
    auth: str = "token"  # token, cookie or none
    method: str = "GET"
    body: str | None = None
    etag: bool = False
    keyed: bool = False
    """Each request with its own ``Idempotency-Key``, as the app's clients send writes."""
    gzip: bool = False
    """With ``Accept-Encoding: gzip``, as every browser and the session player ask."""
    spread: bool = False
    """Each request from the server's next member, as many members' writes arrive (with one,
    every write's commit bumps the same member's row)."""


def extract(rev: str, folder: Path) -> Path:
    """The ``src`` folder of ``rev`` (``WORKTREE``: this checkout's)."""
    if rev == "WORKTREE":
        return ROOT / "src"
    target = folder / f"tree-{rev}"
    if not target.exists():
        command = ["git", "-C", str(ROOT), "archive", rev, "src"]
        archive = subprocess.run(command, capture_output=True, check=True)
        with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
            tar.extractall(target, filter="data")
    return target / "src"


def member_credentials(database_url: str, members: int = 1) -> tuple[str, str, list[str]]:
    """bench/api.py's member with a plan: her API token and a browser session's token; and the
    tokens of all ``members`` seeded (hers first)."""
    from bumpwise.config import Settings
    from bumpwise.services import accounts
    from bumpwise.web.app import build_context

    tokens = seed_members(database_url, members)
    token = tokens[0]
    ctx = build_context(Settings(env="test", database_url=database_url, cheap_password_hashing=True))
    now = datetime.now(UTC)
    member = accounts.api_token_principal(ctx.uow(), token, now)
    assert member is not None
    cookie = accounts.start_web_session(ctx.uow(), ctx.rules, member.user_id, now)
    ctx.engine.dispose()
    return token, cookie, tokens


def seed(database_url: str, members: int) -> None:
    """Run inside a tree's interpreter: ``member_credentials``, printed."""
    token, cookie, tokens = member_credentials(database_url, members)
    print(json.dumps({"token": token, "cookie": cookie, "tokens": tokens}))


def prepare(server: Server, folder: Path) -> None:
    if server.tree is None:
        server.port = free_port()
        command = uvicorn("floor_app:app", server.port, factory=False, cwd_app_dir=HERE)
        server.process = start(command, dict(os.environ), server.base + "/ping")
        return
    database_url = server.database or f"sqlite:///{folder / (server.name + '.db')}"
    env = {
        **os.environ,
        "PYTHONPATH": str(server.tree),
        "BUMPWISE_ENV": "test",
        "BUMPWISE_DATABASE_URL": database_url,
        "BUMPWISE_MIGRATE_ON_START": "false",
        "XDG_CACHE_HOME": str(folder / f"cache-{server.name}"),
        "BUMPWISE_CACHE_DIR": str(folder / f"cache-{server.name}"),
        **server.env,
    }
    seeding = [PYTHON, str(Path(__file__).resolve()), "--seed", database_url]
    seeding += ["--seed-members", str(server.members)]
    seeded = subprocess.run(seeding, env=env, capture_output=True, text=True, check=True)
    credentials = json.loads(seeded.stdout.strip().splitlines()[-1])
    server.token, server.cookie = credentials["token"], credentials["cookie"]
    server.tokens = credentials["tokens"]
    server.port = free_port()
    command = uvicorn("bumpwise.web.app:app_from_environment", server.port, factory=True)
    command[command.index("--workers") + 1] = str(server.workers)
    server.process = start(command, env, server.base + "/api/v1/exercises")


def headers_of(rung: Rung, server: Server) -> dict[str, str]:
    headers: dict[str, str] = {}
    if rung.auth == "token" and not rung.spread:  # a spread rung's script sets it on each request
        headers["Authorization"] = f"Bearer {server.token}"
    elif rung.auth == "cookie":
        headers["Cookie"] = f"bw_session={server.cookie}"
    if rung.method == "POST":
        headers["Content-Type"] = "application/json"
    if rung.gzip:
        headers["Accept-Encoding"] = "gzip"
    if rung.etag:
        request = urllib.request.Request(server.base + rung.path, headers=headers)
        with urllib.request.urlopen(request) as answer:
            headers["If-None-Match"] = answer.headers["ETag"]
    return headers


def wrk(rung: Rung, server: Server, seconds: int, connections: int, folder: Path) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    for name, value in headers_of(rung, server).items():
        command += ["-H", f"{name}: {value}"]
    if rung.method == "POST":
        script = folder / "post.lua"
        body = f'wrk.method = "POST"\nwrk.body = {json.dumps(rung.body)}\n'
        script.write_text(body + request_lua(rung, server))
        command += ["-s", str(script)]
    command.append(server.base + rung.path)
    return parse(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def request_lua(rung: Rung, server: Server) -> str:
    """For a keyed rung, a new key per request (this run's nonce, wrk's thread and a count); for a
    spread rung, each request from the server's next member."""
    if not (rung.keyed or rung.spread):
        return ""
    nonce = secrets.token_hex(6)
    tokens = ", ".join(json.dumps(token) for token in server.tokens)
    key = f'headers["Idempotency-Key"] = string.format("bench-{nonce}-%d-%012d", thread_id, sent)'
    member = 'headers["Authorization"] = "Bearer " .. tokens[(sent + thread_id) % #tokens + 1]'
    return f"""
local threads = 0
function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end
local tokens = {{{tokens}}}
local sent = 0
function request()
  sent = sent + 1
  local headers = {{}}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  {key if rung.keyed else ""}
  {member if rung.spread else ""}
  return wrk.format(nil, nil, headers, nil)
end
"""


def measure(
    rungs: list[Rung], servers: dict[str, Server], options: argparse.Namespace, connections: int, folder: Path
) -> dict[str, list[Result]]:
    results: dict[str, list[Result]] = {rung.label: [] for rung in rungs}
    for round_number in range(options.rounds):
        for rung in rungs:
            server = servers[rung.server]
            cheap = server.base + ("/ping" if server.tree is None else "/api/v1/exercises/glute-bridge")
            drain(cheap, {})
            wrk(rung, server, options.warmup, connections, folder)
            drain(cheap, {})
            result = wrk(rung, server, options.seconds, connections, folder)
            results[rung.label].append(result)
            print(
                f"round {round_number + 1} -c{connections} {rung.label}: {result.rps:,.0f} req/s "
                f"p50 {result.p50_ms:.1f} ms p99 {result.p99_ms:.1f} ms non-2xx/3xx {result.non_2xx}",
                file=sys.stderr,
            )
    return results


def report(title: str, results: dict[str, list[Result]], floor_label: str) -> None:
    floor = statistics.median(r.rps for r in results[floor_label])
    print(f"\n{title}\n")
    print("| what | req/s | p50 ms | p99 ms | ÷ floor /items | non-2xx |")
    print("|---|---|---|---|---|---|")
    for label, rows in results.items():
        print(table_row(label, rows, floor))


def log_body() -> str:
    return json.dumps(
        {
            "session_date": date.today().isoformat(),
            "session_kind": "strength",
            "rpe": 13,
            "minutes": 25,
            "items_done": ["glute-bridge"],
        }
    )


def ladder(revs: list[str], folder: Path) -> tuple[list[Server], list[Rung]]:
    main, token, queries, head = (extract(rev, folder) for rev in revs)
    servers = [
        Server("floor", None),
        Server("main", main),
        Server("token", token),
        Server("queries", queries, {"BUMPWISE_PLAN_CACHE_SIZE": "0"}),
        Server("cache", queries),
        Server("head", head),
    ]
    today = "/api/v1/me/today"
    rungs = [
        Rung("floor /items (20 items, response model)", "floor", "/items", auth="none"),
        Rung(f"main: {today}", "main", today),
        Rung("+ token check: one prepared column query", "token", today),
        Rung("+ member queries built once (plan cache off)", "queries", today),
        Rung("+ parsed-plan cache keyed by fingerprint", "cache", today),
        Rung("+ async route, one thread-pool hop, ETag", "head", today),
        Rung("+ If-None-Match: 304 Not Modified", "head", today, etag=True),
    ]
    return servers, rungs


LIMIT_20 = "/api/v1/exercises?limit=20"


def goals(folder: Path, schemas: dict[str, str] | None = None) -> tuple[list[Server], list[Rung]]:
    """The goals on SQLite; with ``schemas`` (server name → PostgreSQL URL), the member pages on
    PostgreSQL only."""
    head = extract("WORKTREE", folder)
    urls = schemas or {}
    servers = [
        Server("floor", None),
        Server("goals", head, database=urls.get("goals", "")),
        Server("two", head, workers=2, database=urls.get("two", "")),
        Server("uncached", head, {"BUMPWISE_PAGE_CACHE_SIZE": "0"}, database=urls.get("uncached", "")),
    ]
    member_pages = [
        ("GET /api/v1/me/today", "/api/v1/me/today", "token"),
        ("GET /api/v1/me/week", "/api/v1/me/week", "token"),
        ("GET /today (HTML page, session cookie)", "/today", "cookie"),
    ]
    rungs = [
        Rung("floor /ping", "floor", "/ping", auth="none"),
        Rung("floor /items (20 items, response model)", "floor", "/items", auth="none"),
    ]
    for label, path, auth in member_pages:
        rungs += [
            Rung(f"{label}, page cache off", "uncached", path, auth=auth),
            Rung(label, "goals", path, auth=auth),
            Rung(f"{label}, 2 workers", "two", path, auth=auth),
        ]
    if schemas:
        return servers, rungs
    rungs += [
        Rung("GET /api/v1/me/today with If-None-Match (304)", "goals", "/api/v1/me/today", etag=True),
        *(
            Rung(f"{label}, Accept-Encoding: gzip", "goals", path, auth=auth, gzip=True)
            for label, path, auth in (*member_pages, ("GET /api/v1/exercises?limit=20", LIMIT_20, "none"))
        ),
        Rung("GET /api/v1/exercises (all)", "goals", "/api/v1/exercises", auth="none"),
        Rung("GET /api/v1/exercises?q=squat", "goals", "/api/v1/exercises?q=squat", auth="none"),
        Rung("GET /api/v1/exercises?safe_for_me=true", "goals", "/api/v1/exercises?safe_for_me=true"),
        Rung("GET /api/v1/exercises/glute-bridge", "goals", "/api/v1/exercises/glute-bridge", auth="none"),
        Rung(
            "POST /api/v1/me/logs (SQLite, WAL)", "goals", "/api/v1/me/logs", method="POST", body=log_body()
        ),
    ]
    return servers, rungs


LIBRARY_PATHS = (
    ("GET /api/v1/exercises?limit=20", LIMIT_20, "none"),
    ("GET /api/v1/exercises?q=squat", "/api/v1/exercises?q=squat", "none"),
    (
        "GET /api/v1/exercises?muscle=glutes&position=supine",
        "/api/v1/exercises?muscle=glutes&position=supine",
        "none",
    ),
    ("GET /api/v1/exercises?safe_for_me=true", "/api/v1/exercises?safe_for_me=true", "token"),
)
FREE_WORKOUT_BODY = json.dumps({"weeks": 24, "equipment": ["resistance_band"]})
UNLIMITED = {"BUMPWISE_FREE_WORKOUTS_PER_HOUR": "1000000000"}
MEMBERS = 16
"""members a spread rung's writes come from: many members' writes arrive together, each commit
bumping several members' rows, where with one member every commit bumps the same row"""


def postgres_database(url: str, schema: str) -> str:
    """A fresh schema of the PostgreSQL test server (``bench/scale.py``'s helpers)."""
    from scale import reset_schema, schema_url

    reset_schema(url, schema)
    return schema_url(url, schema)


def library(folder: Path, before_rev: str, url: str) -> tuple[list[Server], list[Rung]]:
    """The library, log writes and the free workout: ``before_rev`` beside the working tree, log
    writes with SQLite ``synchronous=FULL`` (the default now) and ``NORMAL``, and on PostgreSQL
    (``url``), from one member and from several."""
    before, head = extract(before_rev, folder), extract("WORKTREE", folder)
    normal = {"BUMPWISE_SQLITE_SYNCHRONOUS": "NORMAL"}
    servers = [
        Server("floor", None),
        Server("before", before),
        Server("after", head, {**UNLIMITED}),
        Server("after-normal", head, {**UNLIMITED, **normal}),
        Server("before-full", before, {"BUMPWISE_SQLITE_SYNCHRONOUS": "FULL"}),
        Server("after-2", head, {**UNLIMITED}, workers=2),
        Server("before-pg", before, {}, 1, postgres_database(url, "bw_hot_before"), MEMBERS),
        Server("after-pg", head, {**UNLIMITED}, 1, postgres_database(url, "bw_hot_after"), MEMBERS),
        Server("after-pg-2", head, {**UNLIMITED}, 2, postgres_database(url, "bw_hot_after_2"), MEMBERS),
    ]
    rungs = [Rung("floor /items (20 items, response model)", "floor", "/items", auth="none")]
    for label, path, auth in LIBRARY_PATHS:
        rungs.append(Rung(f"before: {label}", "before", path, auth=auth))
        rungs.append(Rung(f"after: {label}", "after", path, auth=auth))
    spread = f", {MEMBERS} members"
    log_writes = [  # (server, what it runs on, a new Idempotency-Key on every request, spread)
        ("before", "(SQLite, the revision's default level)", False, False),
        ("after", "(SQLite, synchronous=FULL)", False, False),
        ("after-normal", "(SQLite, synchronous=NORMAL)", False, False),
        ("before-full", "(SQLite, synchronous=FULL)", True, False),
        ("after", "(SQLite, synchronous=FULL)", True, False),
        ("before-pg", "(PostgreSQL)", False, False),
        ("after-pg", "(PostgreSQL)", False, False),
        ("before-pg", f"(PostgreSQL){spread}", False, True),
        ("after-pg", f"(PostgreSQL){spread}", False, True),
        ("after-pg", "(PostgreSQL)", True, False),
        ("after-2", "(SQLite, synchronous=FULL), 2 workers", False, False),
        ("after-pg-2", "(PostgreSQL), 2 workers", False, False),
        ("after-pg-2", f"(PostgreSQL), 2 workers{spread}", False, True),
    ]
    for server, what, keyed, spread_out in log_writes:
        label = f"{server.split('-')[0]}: POST /me/logs{', Idempotency-Key' if keyed else ''} {what}"
        path = "/api/v1/me/logs"
        rungs.append(Rung(label, server, path, "token", "POST", log_body(), keyed=keyed, spread=spread_out))
    free = "/api/v1/free-workout"
    rungs += [
        Rung(
            "before: POST /free-workout (no cache, no limit)",
            "before",
            free,
            "none",
            "POST",
            FREE_WORKOUT_BODY,
        ),
        Rung("after: POST /free-workout (cached, counted)", "after", free, "none", "POST", FREE_WORKOUT_BODY),
    ]
    return servers, rungs


def run(folder: Path, options: argparse.Namespace) -> None:
    plans = []
    if options.library:
        plans.append(("library", *library(folder, options.before, options.postgres), 8))
    if options.ladder:
        plans.append(("ladder", *ladder(options.ladder.split(","), folder), options.connections))
    if options.goals:
        plans.append(("goals", *goals(folder), 8))
    if options.member_postgres:
        schemas = {
            name: postgres_database(options.postgres, f"bw_hot_{name}")
            for name in ("goals", "two", "uncached")
        }
        plans.append(("member pages on PostgreSQL", *goals(folder, schemas), 8))
    for title, servers, all_rungs, connections in plans:
        wanted = [part for part in options.only.split(",") if part]
        rungs = [
            r for r in all_rungs if r.server == "floor" or not wanted or any(w in r.label for w in wanted)
        ]
        servers = [s for s in servers if any(r.server == s.name for r in rungs)]
        by_name = {server.name: server for server in servers}
        try:
            for server in servers:
                prepare(server, folder)
            results = measure(rungs, by_name, options, connections, folder)
        finally:
            for server in servers:
                if server.process is not None:
                    server.process.terminate()
                    server.process.wait(timeout=10)
        report(
            f"{title}: wrk -t2 -c{connections} -d{options.seconds}s, one uvicorn worker unless said, "
            f"{options.rounds} interleaved rounds, medians",
            results,
            "floor /items (20 items, response model)",
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    parser.add_argument("--seed-members", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--ladder", default=",".join(LADDER_REVS), help="four revisions: before, token, queries, head"
    )
    parser.add_argument("--no-ladder", dest="ladder", action="store_const", const="")
    parser.add_argument("--no-goals", dest="goals", action="store_false")
    parser.add_argument(
        "--library",
        action="store_true",
        help="the library, log writes and the free workout, before and after",
    )
    parser.add_argument("--only", default="", help="comma-separated parts of the labels of the rungs to run")
    parser.add_argument("--before", default="3728dda", help="the revision --library compares with")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "BUMPWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument(
        "--member-postgres",
        action="store_true",
        help="also measure the member pages on --postgres (fresh schemas)",
    )
    options = parser.parse_args()
    if options.seed:
        seed(options.seed, options.seed_members)
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    with tempfile.TemporaryDirectory() as folder:
        run(Path(folder), options)


if __name__ == "__main__":
    main()
