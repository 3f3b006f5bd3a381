#!/usr/bin/env python
"""One logged-in request at a time, in-process: latency, queries and (with --profile) where the time goes.

The same data as benchmarks/load.py (demo data, the board's 13-§ meeting), in a throwaway PostgreSQL database,
with config.settings.production (DEBUG off, manifest static files; Redis from a private redis-server when one is
installed, else locmem). Django's test client logs in as sekreterare (the real login form) and switches to the
board's organisation, then asks each page --runs times after a warm-up. Independent of other load on the
machine in a way wrk's throughput is not: it measures what one request costs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paragraf .venv/bin/python benchmarks/logged_in.py [--profile]
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/paragraf")
if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
    raise SystemExit("benchmarks/logged_in.py mäter på PostgreSQL: sätt DATABASE_URL=postgres://…")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


REDIS = None
if shutil.which("redis-server") and not os.environ.get("NO_REDIS"):
    _port = _free_port()
    REDIS = subprocess.Popen(
        ["redis-server", "--port", str(_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{_port}/0"
    time.sleep(0.3)
else:
    os.environ["ALLOW_EAGER_TASKS"] = "1"
_static = Path(tempfile.mkdtemp(prefix="paragraf-logged-in-static-"))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(_static),
        "LOG_LEVEL": "WARNING",
    }
)

import harness  # noqa: E402  (sets up Django with the environment above)


def _login(client, organisation_id: int) -> None:
    import re

    page = client.get("/konto/logga-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(
        "/konto/logga-in/", {"csrfmiddlewaretoken": token, "username": "sekreterare", "password": "demo"}
    )
    assert response.status_code == 302, response.status_code
    page = client.get("/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post("/organisation/byt/", {"csrfmiddlewaretoken": token, "organisation": organisation_id})
    assert response.status_code == 302, response.status_code


def run(args) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("collectstatic", "--noinput", verbosity=0)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from load import demo_targets

    targets, facts = demo_targets("")
    client = Client(SERVER_NAME="127.0.0.1")
    _login(client, facts["organisation_id"])
    pages = [t for t in targets if not t.public]
    print(f"{facts['meeting']}: {facts['paragraphs']} §; cache {'Redis' if REDIS else 'locmem'}")
    for target in pages:
        for _ in range(args.warmup):
            response = client.get(target.url)
            assert response.status_code == 200 and target.expect in response.content.decode(), target.url
        queries = []

        def record(execute, sql, params, many, context, queries=queries):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((time.perf_counter() - start, sql))

        with connection.execute_wrapper(record):
            client.get(target.url)
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(target.url)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(
            f"{target.label:30} median {statistics.median(times) * 1000:6.2f} ms, "
            f"min {min(times) * 1000:6.2f} ms; CPU of this process mean {statistics.mean(cpu) * 1000:6.2f} ms; "
            f"{len(queries)} ORM queries"
        )
        if args.sql:
            for seconds, sql in queries:
                print(f"    {seconds * 1000:5.2f} ms {sql[:150]}")
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
            profiler.enable()
            for _ in range(args.runs):
                client.get(target.url)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats(args.sort)
            stats.print_stats(args.lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="cProfile the runs of each page")
    parser.add_argument("--sort", default="cumulative", help="cumulative or tottime")
    parser.add_argument("--lines", type=int, default=60)
    parser.add_argument("--sql", action="store_true", help="print the queries of one request")
    args = parser.parse_args()
    try:
        with harness.throwaway_database():
            run(args)
    finally:
        if REDIS is not None:
            REDIS.terminate()
            REDIS.wait(timeout=10)
        shutil.rmtree(_static, ignore_errors=True)


if __name__ == "__main__":
    main()
