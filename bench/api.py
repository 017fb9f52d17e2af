"""The bumpwise API under wrk on loopback, beside a minimal FastAPI app, in the same run.

Measures GET /api/v1/exercises, GET /api/v1/me/today and POST /api/v1/me/logs (a member with a
token, SQLite in a temporary folder, one uvicorn worker), and the floor app's /ping and /items
(one uvicorn worker). Rounds are interleaved; each cell is the median of the rounds.

Usage: .venv/bin/python bench/api.py [--rounds 3] [--seconds 10] [--connections 64]
Needs wrk (Debian package ``wrk``; ``make bench-api`` installs it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
PYTHON = sys.executable


@dataclass(frozen=True)
class Target:
    name: str
    server: str
    path: str
    method: str = "GET"
    body: str | None = None


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def seed_member(database_url: str) -> str:
    """A pregnant member with a finished onboarding and a token; returns the token."""
    return seed_members(database_url, 1)[0]


def seed_members(database_url: str, count: int) -> list[str]:
    """``count`` pregnant members, each with a finished onboarding and a token; returns the tokens."""
    os.environ["BUMPWISE_ENV"] = "test"
    from bumpwise.config import Settings
    from bumpwise.services import accounts, profiles
    from bumpwise.services.inputs import validated
    from bumpwise.services.principal import Role
    from bumpwise.web.app import build_context

    settings = Settings(env="test", database_url=database_url, cheap_password_hashing=True)
    from bumpwise.persistence.migrate import upgrade

    upgrade(database_url)
    ctx = build_context(settings)
    now = datetime.now(UTC)
    details = {
        "stage_kind": "pregnant",
        "due_date": date.today() + timedelta(weeks=14),
        "activity_level": "active",
        "equipment": ["dumbbells", "chair", "resistance_band"],
        "days_per_week": 5,
        "minutes_per_session": 30,
    }
    tokens = []
    for number in range(count):
        member = accounts.sign_up(
            ctx.uow(),
            ctx.rules,
            email="bench@example.org" if number == 0 else f"bench{number}@example.org",
            password="bench password 1",
            display_name="Bench",
            role=Role.MEMBER,
            now=now,
        )
        profiles.save_details(ctx.uow(), ctx.kb, member, validated(profiles.DetailsInput, details), now)
        profiles.save_screening(ctx.uow(), ctx.kb, member, validated(profiles.ScreeningInput, {}), now)
        tokens.append(accounts.create_api_token(ctx.uow(), member, "bench", now).token)
    ctx.engine.dispose()
    return tokens


def start(args: list[str], env: dict[str, str], url: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"server did not start: {args}")


def uvicorn(app: str, port: int, *, factory: bool, cwd_app_dir: Path | None = None) -> list[str]:
    command = [
        PYTHON,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    if factory:
        command.append("--factory")
    if cwd_app_dir is not None:
        command += ["--app-dir", str(cwd_app_dir)]
    return command


def drain(url: str, headers: dict[str, str]) -> None:
    """Wait until a cheap request answers fast twice: the last run's queue is worked off."""
    fast = 0
    deadline = time.monotonic() + 30
    while fast < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        request = urllib.request.Request(url, headers=headers)
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=5).read()
        fast = fast + 1 if time.monotonic() - started < 0.2 else 0


def wrk(target: Target, base: str, token: str, seconds: int, connections: int, script_dir: Path) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    if target.server == "bumpwise" and target.path.startswith("/api/v1/me"):
        command += ["-H", f"Authorization: Bearer {token}"]
    if target.method == "POST":
        script = script_dir / "post.lua"
        script.write_text(
            f'wrk.method = "POST"\nwrk.body = {json.dumps(target.body)}\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
        )
        command += ["-s", str(script)]
    output = subprocess.run([*command, base + target.path], capture_output=True, text=True, check=True).stdout
    return parse(output)


def parse(output: str) -> Result:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Result(rps, to_ms(latency["50"]), to_ms(latency["99"]), int(bad.group(1)) if bad else 0)


def to_ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (or make bench-api)")
    with tempfile.TemporaryDirectory() as folder:
        run(Path(folder), options)


def run(folder: Path, options: argparse.Namespace) -> None:
    database_url = f"sqlite:///{folder / 'bench.db'}"
    token = seed_member(database_url)
    env = {
        **os.environ,
        "BUMPWISE_ENV": "test",
        "BUMPWISE_DATABASE_URL": database_url,
        "BUMPWISE_MIGRATE_ON_START": "false",
        "XDG_CACHE_HOME": str(folder / "cache"),
    }
    ports = {"bumpwise": free_port(), "floor": free_port()}
    bases = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    log = json.dumps(
        {
            "session_date": date.today().isoformat(),
            "session_kind": "strength",
            "rpe": 13,
            "minutes": 25,
            "items_done": ["glute-bridge"],
        }
    )
    targets = [
        Target("floor /ping", "floor", "/ping"),
        Target("floor /items (20 items, response model)", "floor", "/items"),
        Target("GET /api/v1/exercises?limit=200", "bumpwise", "/api/v1/exercises?limit=200"),
        Target("GET /api/v1/me/today", "bumpwise", "/api/v1/me/today"),
        Target("POST /api/v1/me/logs", "bumpwise", "/api/v1/me/logs", "POST", log),
    ]
    servers = [
        start(
            uvicorn("bumpwise.web.app:app_from_environment", ports["bumpwise"], factory=True),
            env,
            bases["bumpwise"] + "/api/v1/exercises",
        ),
        start(
            uvicorn("floor_app:app", ports["floor"], factory=False, cwd_app_dir=HERE),
            env,
            bases["floor"] + "/ping",
        ),
    ]
    results: dict[str, list[Result]] = {t.name: [] for t in targets}
    try:
        urllib.request.urlopen(
            urllib.request.Request(
                bases["bumpwise"] + "/api/v1/me/today", headers={"Authorization": f"Bearer {token}"}
            )
        ).read()
        for round_number in range(options.rounds):
            for target in targets:
                base = bases[target.server]
                auth = {"Authorization": f"Bearer {token}"}
                drain(bases["floor"] + "/ping", {})
                drain(bases["bumpwise"] + "/api/v1/me/today", auth)
                wrk(target, base, token, options.warmup, options.connections, folder)
                drain(base + ("/ping" if target.server == "floor" else "/api/v1/me/today"), auth)
                result = wrk(target, base, token, options.seconds, options.connections, folder)
                results[target.name].append(result)
                print(
                    f"round {round_number + 1} {target.name}: {result.rps:,.0f} req/s "
                    f"p50 {result.p50_ms:.1f} ms p99 {result.p99_ms:.1f} ms non-2xx {result.non_2xx}",
                    file=sys.stderr,
                )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    report(results, options)


def report(results: dict[str, list[Result]], options: argparse.Namespace) -> None:
    floor = statistics.median(r.rps for r in results["floor /ping"])
    print(
        f"\nwrk -t2 -c{options.connections} -d{options.seconds}s, {options.rounds} interleaved rounds, "
        f"medians; ratio = req/s ÷ floor /ping"
    )
    print("| endpoint | req/s | p50 ms | p99 ms | vs floor /ping | non-2xx |")
    print("|---|---|---|---|---|---|")
    for name, rows in results.items():
        print(table_row(name, rows, floor))


def table_row(name: str, rows: list[Result], floor: float) -> str:
    """Medians of the rounds: ``| name | req/s | p50 | p99 | ratio to floor | non-2xx |``."""
    rps = statistics.median(r.rps for r in rows)
    p50 = statistics.median(r.p50_ms for r in rows)
    p99 = statistics.median(r.p99_ms for r in rows)
    bad = sum(r.non_2xx for r in rows)
    return f"| {name} | {rps:,.0f} | {p50:.1f} | {p99:.1f} | {rps / floor:.2f} | {bad} |"


if __name__ == "__main__":
    main()
