"""`fairtree bench api`: the API under load, on PostgreSQL, with several uvicorn workers.

    fairtree bench api --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Builds a fresh database next to the URL's (dropped afterwards unless ``--keep``): a
synthetic company (``--members``), February finalized and March closed as a draft,
March's live volumes rebuilt, one sign-in per member for the first ``max(--users)``
members with a downline, an admin (orders) and a support sign-in (searches). Then
starts ``uvicorn fairtree.api.app:create_app --factory --workers N`` on 127.0.0.1 and,
for each number of concurrent users, runs that many simulated people for ``--seconds``
seconds. Each arrives within the level's first 5 seconds, signs in, then loops over a
realistic mix, reading between clicks (``--think``):

    dashboard (profile + live rank progress)   30%
    own statement of February                  15%
    tree expansion (a frontline member, 1 level) 20%
    downline page (3 levels, 50 rows)          15%
    downline search by id (support)             5%
    order posting (admin bearer token)         10%
    sign in again (``aggressive`` only)         5%

``--think realistic`` (the default): 1-5 s between clicks, and one sign-in per visit
(on arrival), as people use a back office. ``--think aggressive``: 50-250 ms between
clicks and a sign-in again every twentieth click or so, four or more clicks a second per
person: a stress test, not a day's traffic.

Emits one JSON line per level as it ends: requests, throughput, p50/p95/p99/max in
ms, errors (5xx, unexpected 4xx, transport errors), p95 by action, the load average and
the CPU seconds the load generator, the API's workers, PostgreSQL's backends and the
whole machine spent in the level (Linux; from /proc). At
the end one line checks the orders: every order answered 201 is stored (none lost), no
order id twice, nothing stored that was not posted (a posting the client gave up on may
or may not be stored, and is counted apart), and March's live volumes equal a rebuild
from the orders. Loopback
only (the database and the server on 127.0.0.1); every level stops by itself and the
server is stopped at the end.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from fairtree.services.access.users import create_member_user, create_staff_user
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.datasets import import_dataset
from fairtree.services.orders.rank_progress import rebuild_period_volumes
from fairtree.simulation.synth import generate, write_dataset
from fairtree.store.database import make_engine, settle
from fairtree.store.migrate import upgrade
from fairtree.store.repositories.orders import running_volumes

PASSWORD = "load-test-password-1"  # noqa: S105 - a scratch database's sign-ins
RATES = {"CAD": "1.35", "EUR": "0.92", "GBP": "0.79", "JPY": "151.37", "AUD": "1.52"}
MIX = (
    ("dashboard", 30),
    ("statement", 15),
    ("expand", 20),
    ("downline", 15),
    ("search", 5),
    ("order", 10),
    ("sign_in", 5),
)
EXPECTED = {"order": {201}, "sign_in": {200}}
ORDERS_PLACED_ON = date(2026, 3, 20)  # in March, the drafted period with live volumes
ARRIVALS_SECONDS = 5.0  # the simulated people of a level arrive over this span
NO_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # never used: the server is plain HTTP
# Under uvicorn's 5 s: a connection idle that long is dropped by the client first, never
# reused just as the server closes it (a reset answer to a posted order).
KEEP_ALIVE_SECONDS = 4.0
WARM_UP_SECONDS = 5.0
POOL_PER_WORKER = 15  # as many as the default pool's most (5 + 10 overflow), all kept


@dataclass(frozen=True)
class Think:
    """How a simulated person uses the back office: seconds read between clicks, and
    whether they sign in again now and then (``MIX``'s ``sign_in``) or once per visit."""

    low: float
    high: float
    signs_in_again: bool


THINK = {
    "realistic": Think(1.0, 5.0, signs_in_again=False),
    "aggressive": Think(0.05, 0.25, signs_in_again=True),
}


@dataclass
class World:
    base: str
    members: list[tuple[str, str]]  # (member id, a frontline member id)
    buyers: list[tuple[str, str]]  # (member id, a sku sold in their country)
    admin_token: str
    support_token: str
    think: Think = THINK["realistic"]
    server_group: int = 0  # the uvicorn processes' group (their CPU is counted)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    by_action: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_examples: dict[str, str] = field(default_factory=dict)  # an answer's first bytes
    posted: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)  # timed out or 5xx: stored or not


def _database_url(admin_url: str, name: str) -> str:
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def build(admin_url: str, name: str, members: int, users: int, workdir: Path) -> World:
    """The company and its sign-ins; returns what the simulated people need (no base)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = _database_url(admin_url, name)
    upgrade(url)
    engine = make_engine(url)
    source = write_dataset(generate(members, 3, seed=17), workdir / "source")
    with Session(engine) as session, session.begin():
        import_dataset(session, source)
    with Session(engine) as session, session.begin():
        close_period(session, "2026-02")
        finalize_run(session, "2026-02", RATES)
    with Session(engine) as session, session.begin():
        close_period(session, "2026-03")
        rebuild_period_volumes(session, "2026-03")
    settle(engine)  # statistics, as autovacuum would have them on a database in use
    with Session(engine) as session, session.begin():
        rows = session.execute(
            text(
                """SELECT m.member_id, min(c.member_id) FROM members m
                   JOIN members c ON c.sponsor_id = m.id
                   WHERE m.status = 'active' GROUP BY m.id, m.member_id
                   ORDER BY m.id LIMIT :n"""
            ),
            {"n": users},
        ).all()
        people = [(str(a), str(b)) for a, b in rows]
        for member_id, _ in people:
            create_member_user(session, member_id, PASSWORD)
        create_staff_user(session, "admin@load.example", "admin", PASSWORD)
        create_staff_user(session, "support@load.example", "support", PASSWORD)
        buyers = session.execute(
            text(
                """SELECT m.member_id, min(p.sku) FROM members m
                   JOIN products p ON p.country = m.country
                   WHERE m.status = 'active' AND p.pv > 0 AND m.joined_on <= :placed_on
                   GROUP BY m.id, m.member_id ORDER BY m.id LIMIT 2000"""
            ),
            {"placed_on": ORDERS_PLACED_ON},
        ).all()
    engine.dispose()
    return World("", people, [(str(a), str(b)) for a, b in buyers], "", "")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(url: str, workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "FAIRTREE_DATABASE_URL": url, "FAIRTREE_COOKIE_SECURE": "false"}
    # Every connection a worker may hold stays open (docs/deployment.md): with the default
    # 5 + 10 overflow, busy workers open and close a PostgreSQL backend per request.
    env |= {"FAIRTREE_DB_POOL_SIZE": str(POOL_PER_WORKER), "FAIRTREE_DB_MAX_OVERFLOW": "0"}
    command = [sys.executable, "-m", "uvicorn", "fairtree.api.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    command += ["--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603 - our argv


async def wait_until_up(base: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get("/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.5)
    raise RuntimeError(f"the server at {base} did not answer /health")


async def token(base: str, login: str) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        answer = await client.post(
            "/auth/tokens", json={"login": login, "password": PASSWORD, "name": "load", "days": 1}
        )
        answer.raise_for_status()
        return str(answer.json()["token"])


def _pick(rng: random.Random, think: Think) -> str:
    mix = [(a, w) for a, w in MIX if think.signs_in_again or a != "sign_in"]
    roll = rng.uniform(0, sum(weight for _, weight in mix))
    for action, weight in mix:
        roll -= weight
        if roll <= 0:
            return action
    return mix[-1][0]


async def person(
    world: World, index: int, stop_at: float, tally: Tally, level: int, think: Think
) -> None:
    """One simulated person: sign in, then the mix until ``stop_at``."""
    rng = random.Random(index * 7919 + level)
    # Each person's own pool of two kept-alive connections (one pool for everyone costs
    # the client more CPU per request as it grows); plain HTTP, so no TLS context to build.
    limits = httpx.Limits(max_connections=2, keepalive_expiry=KEEP_ALIVE_SECONDS)
    transport = httpx.AsyncHTTPTransport(verify=NO_TLS, limits=limits)
    async with httpx.AsyncClient(base_url=world.base, timeout=30, transport=transport) as client:
        await _visit(world, client, index, rng, stop_at, tally, level, think)


async def _visit(
    world: World,
    client: httpx.AsyncClient,
    index: int,
    rng: random.Random,
    stop_at: float,
    tally: Tally,
    level: int,
    think: Think,
) -> None:
    me, child = world.members[index % len(world.members)]

    async def call(action: str, method: str, path: str, **kwargs: object) -> int:
        started = time.perf_counter()
        try:
            answer = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
            status = answer.status_code
        except httpx.HTTPError as error:
            tally.errors[f"{action}: {type(error).__name__}"] = (
                tally.errors.get(f"{action}: {type(error).__name__}", 0) + 1
            )
            return 0
        elapsed = (time.perf_counter() - started) * 1000
        tally.latencies.append(elapsed)
        tally.by_action.setdefault(action, []).append(elapsed)
        if status not in EXPECTED.get(action, {200}):
            key = f"{action}: {status}"
            tally.errors[key] = tally.errors.get(key, 0) + 1
            tally.error_examples.setdefault(key, answer.text[:300])
        return status

    login = {"login": me.lower(), "password": PASSWORD}
    # people arrive over the level's first seconds, not all in the same millisecond
    await asyncio.sleep(rng.uniform(0, min(ARRIVALS_SECONDS, stop_at - time.monotonic())))
    await call("sign_in", "POST", "/auth/login", json=login)
    admin = {"Authorization": f"Bearer {world.admin_token}"}
    support = {"Authorization": f"Bearer {world.support_token}"}
    while time.monotonic() < stop_at:
        action = _pick(rng, think)
        if action == "dashboard":
            await call(action, "GET", f"/members/{me}/profile")
            await call(action, "GET", f"/members/{me}/rank-progress?on=2026-03-20")
        elif action == "statement":
            await call(action, "GET", f"/members/{me}/statements/2026-02")
        elif action == "expand":
            await call(action, "GET", f"/members/{child}/team?period=2026-03&depth=1")
        elif action == "downline":
            path = f"/members/{me}/team?period=2026-03&depth=3&limit=50"
            await call(action, "GET", path)
        elif action == "search":
            query = f"M{rng.randint(1, 99):02d}"
            await call(action, "GET", f"/admin/members?q={query}", headers=support)
        elif action == "order":
            buyer, sku = world.buyers[rng.randrange(len(world.buyers))]
            order_id = f"LOAD-{level}-{index}-{len(tally.posted)}-{rng.randrange(10**9)}"
            body = {
                "order_id": order_id,
                "placed_on": ORDERS_PLACED_ON.isoformat(),
                "buyer_member_id": buyer,
                "lines": [{"sku": sku, "quantity": rng.randint(1, 3)}],
            }
            status = await call(action, "POST", "/orders", json=body, headers=admin)
            if status == 201:
                tally.posted.append(order_id)
            elif status == 0 or status >= 500:
                tally.unanswered.append(order_id)
        else:
            await call(action, "POST", "/auth/login", json=login)
        # reading; no longer than the level, so its seconds are the level's, not up to a
        # last think time more (throughput is counted over them)
        reading = rng.uniform(think.low, think.high)
        await asyncio.sleep(max(0.0, min(reading, stop_at - time.monotonic())))


def _ms(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 1) if values else 0.0


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(world: World) -> dict[str, float]:
    """CPU seconds so far of the load generator (this process), the API's workers (the
    server's process group) and PostgreSQL (every backend, those that ended included,
    whatever their database), and the busy time of the whole machine's cores; only this
    process's on systems without /proc."""
    found = {"load_generator": time.process_time(), "api": 0.0, "postgres": 0.0}
    proc = Path("/proc")
    if not (proc / "stat").exists():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, _, rest = (entry / "stat").read_text().rpartition(")")
            fields = rest.split()
            used, reaped = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
            if world.server_group and int(fields[2]) == world.server_group:
                found["api"] += used / _TICK
            elif head.endswith("(postgres"):  # the postmaster's reaped: ended backends
                found["postgres"] += (used + reaped) / _TICK
        except (OSError, IndexError, ValueError):
            continue  # a process that ended meanwhile
    ticks = [int(t) for t in (proc / "stat").read_text().split("\n", 1)[0].split()[1:]]
    found["machine"] = (sum(ticks) - ticks[3] - ticks[4]) / _TICK  # all but idle and iowait
    return found


async def level_line(
    world: World, users: int, seconds: float, workers: int, think: Think | None = None
) -> dict:
    think = think or world.think
    tally = Tally()
    started = time.monotonic()
    stop_at = started + seconds
    cpu_before = cpu_seconds(world)
    people = (person(world, i, stop_at, tally, users, think) for i in range(users))
    await asyncio.gather(*people)
    elapsed = time.monotonic() - started
    cpu_after = cpu_seconds(world)
    return {
        "benchmark": "api_load",
        "users": users,
        "workers": workers,
        "seconds": round(elapsed, 1),
        "requests": len(tally.latencies),
        "throughput_rps": round(len(tally.latencies) / elapsed, 1),
        "p50_ms": _ms(tally.latencies, 50),
        "p95_ms": _ms(tally.latencies, 95),
        "p99_ms": _ms(tally.latencies, 99),
        "max_ms": round(max(tally.latencies, default=0.0), 1),
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "error_examples": tally.error_examples,
        "p95_ms_by_action": {a: _ms(v, 95) for a, v in sorted(tally.by_action.items())},
        "orders_posted": len(tally.posted),
        "think": [think.low, think.high],
        "cpu_seconds": {k: round(cpu_after[k] - v, 1) for k, v in cpu_before.items()},
        "load_average": round(os.getloadavg()[0], 2),
        "_posted": tally.posted,
        "_unanswered": tally.unanswered,
    }


def check_orders(url: str, posted: list[str], unanswered: list[str]) -> dict:
    """Every order answered 201 is stored once, nothing else is stored but postings left
    without an answer (the client gave up; the server may still have stored them), and
    live volumes equal a rebuild (rolled back)."""
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        stored = session.execute(
            text("SELECT order_id FROM orders WHERE order_id LIKE 'LOAD-%'")
        ).scalars()
        stored_ids = sorted(str(s) for s in stored)
        live = running_volumes.period_rows(session, "2026-03")
        live_legs = running_volumes.period_legs(session, "2026-03")
        rebuild_period_volumes(session, "2026-03")
        rebuilt = running_volumes.period_rows(session, "2026-03")
        rebuilt_legs = running_volumes.period_legs(session, "2026-03")
        session.rollback()
    engine.dispose()
    stored_set = set(stored_ids)
    return {
        "benchmark": "api_load_orders",
        "orders_posted": len(posted),
        "orders_unanswered": len(unanswered),
        "orders_stored": len(stored_ids),
        "posted_equal_stored": sorted(posted) == stored_ids,
        "lost": len(set(posted) - stored_set),
        "unanswered_stored": len(set(unanswered) & stored_set),
        "stored_never_posted": len(stored_set - set(posted) - set(unanswered)),
        "doubled": len(stored_ids) - len(stored_set),
        "live_volumes_equal_rebuild": live == rebuilt and live_legs == rebuilt_legs,
        "members_with_volume": len(live),
    }


Emit = Callable[[dict[str, Any]], None]


def loopback_only(postgres: str) -> None:
    """Refuse a database that is not on this machine's loopback (ValueError)."""
    url = make_url(postgres)
    if url.get_backend_name() != "postgresql":
        raise ValueError("--postgres must be a PostgreSQL URL")
    if url.host not in ("127.0.0.1", "localhost", None):
        raise ValueError("loopback only: the database must be on 127.0.0.1")


def run_api_load(
    postgres: str,
    members: int,
    levels: list[int],
    seconds: float,
    workers: int,
    emit: Emit,
    keep: bool = False,
    think: str = "realistic",
) -> None:
    """Build the company, start the server, run each level of users, check the orders."""
    loopback_only(postgres)
    if think not in THINK:
        raise ValueError(f"--think is one of {', '.join(THINK)}")
    asyncio.run(_run(postgres, members, levels, seconds, workers, emit, keep, THINK[think]))


async def _run(
    postgres: str,
    members: int,
    levels: list[int],
    seconds: float,
    workers: int,
    emit: Emit,
    keep: bool,
    think: Think,
) -> None:
    name = f"fairtree_api_load_{os.getpid()}"
    url = _database_url(postgres, name)
    server = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            world = build(postgres, name, members, max(levels), Path(folder))
        port = free_port()
        world.base = f"http://127.0.0.1:{port}"
        world.think = think
        server = start_server(url, workers, port)
        world.server_group = server.pid  # start_new_session: the workers share its group
        await wait_until_up(world.base)
        world.admin_token = await token(world.base, "admin@load.example")
        world.support_token = await token(world.base, "support@load.example")
        posted: list[str] = []
        unanswered: list[str] = []
        # Every worker's first requests load code and plans (numba's cached kernels, the
        # first query plans): a few people click fast for WARM_UP_SECONDS first, in a
        # line of its own; their orders are checked with the others.
        warm = await level_line(world, 2 * workers, WARM_UP_SECONDS, workers, THINK["aggressive"])
        posted += warm.pop("_posted")
        unanswered += warm.pop("_unanswered")
        emit({**warm, "benchmark": "api_load_warm_up"})
        for users in levels:
            line = await level_line(world, users, seconds, workers)
            posted += line.pop("_posted")
            unanswered += line.pop("_unanswered")
            emit(line)
        emit(check_orders(url, posted, unanswered))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        if not keep:
            admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
