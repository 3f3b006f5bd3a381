#!/usr/bin/env python
"""Public and logged-in pages under load, against a minimal Django view served the same way.

A throwaway PostgreSQL database (paragraf_benchmark_<pid> next to DATABASE_URL) gets the migrations and the demo
data (`seed_demo`); the board's anslag of 2019-12-20 is moved to today so the anslagstavla lists it. Then:

- gunicorn (2 sync workers) serves the app with config.settings.production (DEBUG off, static files collected
  into a temporary folder, Redis from a private redis-server on a free port as cache and broker) on 127.0.0.1;
- a second gunicorn (2 sync workers) serves benchmarks/minimal_site (one template, Django's default middleware,
  no database) on another port;
- wrk, a separate process, drives each URL in turn with 50 connections for --duration seconds after a short
  warm-up, on loopback only; the minimal view runs first and last and its mean is the baseline of the ratios.

Prints requests/s, p50, p95, p99, errors and the ratio to the minimal view for: the anslagstavla, the anslag page
(the public protokoll of the 13-§ board meeting), the public search in protokoll, the iCal feed, and, logged in
as the demo user sekreterare (session cookie from the real login form), the meeting page and the protokoll page
of that meeting. Everything it starts it stops, and the database and folders are removed at the end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paragraf .venv/bin/python benchmarks/load.py [--duration 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/paragraf")
if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
    raise SystemExit("benchmarks/load.py mäter på PostgreSQL: sätt DATABASE_URL=postgres://…")

import harness

ROOT = harness.ROOT
BIN = Path(sys.executable).parent
WRK = shutil.which("wrk") or "/usr/bin/wrk"
LUA = Path(__file__).resolve().parent / "wrk_report.lua"
CONNECTIONS = 50
THREADS = 2
WORKERS = 2
# The targets (points 14 and 15), checked against the same run.
PUBLIC_MIN_RATIO, PUBLIC_MAX_P95_MS, LOGGED_IN_MIN_RATIO = 0.3, 300, 0.1


@dataclass
class Result:
    label: str
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    requests: int
    idle_ms: float


@dataclass
class Target:
    label: str
    url: str
    public: bool
    cookie: str = ""
    expect: str = ""  # a text the page must contain, so a redirect to the login page cannot pass as a page
    has_target: bool = True  # the search is measured for reference; the issue sets no target for it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, *, headers: dict | None = None, method: str = "GET", body: bytes | None = None):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"Processen för {url} avslutades (kod {process.returncode}).")
        try:
            status, _, _ = get(url)
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} svarade inte inom {seconds:.0f} s.")


def cookies(headers) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key.strip()] = rest.split(";", 1)[0]
    return found


def login(base: str, username: str, password: str, *, organisation_id: int) -> str:
    """The Cookie header of a session made by the real login form (CSRF token and all)."""
    status, headers, html = get(f"{base}/konto/logga-in/")
    jar = cookies(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if status != 200 or not token:
        raise SystemExit(f"Inloggningssidan svarade {status} utan CSRF-token.")
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    body = urlencode({"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}).encode()
    status, headers, _ = get(
        f"{base}/konto/logga-in/",
        method="POST",
        body=body,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Referer": base},
    )
    jar.update(cookies(headers))
    if status != 302 or not any("sessionid" in name for name in jar):
        raise SystemExit(f"Inloggningen som {username} misslyckades ({status}).")
    # The user works in several organisations: make the one of the measured meeting current.
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, headers, html = get(f"{base}/", headers={"Cookie": cookie})
    jar.update(cookies(headers))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if status != 200 or not token:
        raise SystemExit(f"Startsidan svarade {status} utan CSRF-token.")
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    body = urlencode({"csrfmiddlewaretoken": token.group(1), "organisation": organisation_id}).encode()
    status, headers, _ = get(
        f"{base}/organisation/byt/",
        method="POST",
        body=body,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Referer": base},
    )
    jar.update(cookies(headers))
    if status != 302:
        raise SystemExit(f"Byte av organisation svarade {status}.")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def wrk(url: str, *, duration: int, cookie: str = "", connections: int = CONNECTIONS) -> dict:
    command = [WRK, f"-t{THREADS}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    command += ["-s", str(LUA)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 60, check=True)
    line = next((ln for ln in output.stdout.splitlines() if ln.startswith("WRK_RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk gav inget resultat:\n{output.stdout}\n{output.stderr}")
    return json.loads(line.removeprefix("WRK_RESULT "))


def idle_ms(url: str, *, cookie: str = "", count: int = 20) -> float:
    """Median time of one request at a time: what a page costs without any queueing."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        get(url, headers={"Cookie": cookie} if cookie else {})
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(label: str, url: str, *, duration: int, warmup: int, cookie: str = "") -> Result:
    wrk(url, duration=warmup, cookie=cookie, connections=10)
    idle = idle_ms(url, cookie=cookie)
    raw = wrk(url, duration=duration, cookie=cookie)
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
    return Result(
        label=label,
        requests_per_s=raw["requests"] / (raw["duration_us"] / 1e6),
        p50_ms=raw["p50_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        errors=errors,
        requests=raw["requests"],
        idle_ms=idle,
    )


def demo_targets(base: str) -> tuple[list[Target], dict]:
    """Seed the demo into the throwaway database; the URLs of the pages measured."""
    from django.conf import global_settings
    from django.core.management import call_command
    from django.test import override_settings
    from django.utils import timezone

    from core.models import User
    from meetings import agenda_services
    from meetings.demo import BOARD_DAY
    from meetings.models import Meeting, Posting

    # The test settings hash with MD5, which the production settings of the served app do not accept.
    with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    meeting = Meeting.objects.select_related("minutes__posting", "committee").get(date=BOARD_DAY)
    minutes = meeting.minutes
    posting = minutes.posting
    today = timezone.localdate()
    # The anslag is up today, so the anslagstavla lists it, as it would in the three weeks a crowd reads it.
    Posting.objects.filter(pk=posting.pk).update(
        posted_on=today - dt.timedelta(days=1), taken_down_on=today + dt.timedelta(days=20)
    )
    # A year of sammanträden ahead, planned as a secretary would, so the calendar feed has events to show.
    secretary = User.objects.get(username="sekreterare")
    for month in range(1, 11):
        agenda_services.meeting_create(
            organisation=meeting.committee.organisation,
            actor=secretary,
            committee=meeting.committee,
            date=today + dt.timedelta(days=30 * month),
            start_time=dt.time(13, 0),
            end_time=dt.time(16, 0),
            place="Sammanträdesrum Kvarken",
        )
    facts = {
        "paragraphs": minutes.paragraphs.count(),
        "meeting": str(meeting),
        "organisation_id": meeting.committee.organisation_id,
    }
    targets = [
        Target("anslagstavla", f"{base}/anslagstavla/", True, expect="Aktuella anslag"),
        Target("anslag page (public protokoll)", f"{base}/anslagstavla/anslag/{posting.pk}/", True, expect="§ 81"),
        Target(
            "search in public protokoll",
            f"{base}/anslagstavla/sok/?q=Sobona",
            True,
            expect="träff",
            has_target=False,
        ),
        Target("iCal feed", f"{base}/anslagstavla/kalender/{meeting.committee_id}.ics", True, expect="VEVENT"),
        Target("meeting page (logged in)", f"{base}/sammantraden/{meeting.pk}/", False, expect="Föredragningslista"),
        Target("protokoll page (logged in)", f"{base}/protokoll/{minutes.pk}/", False, expect="§ 81"),
    ]
    return targets, facts


def start(command: list[str], *, env: dict, log: Path) -> subprocess.Popen:
    handle = open(log, "ab")  # noqa: SIM115  (closed with the process)
    return subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def gunicorn(app: str, *, port: int, env: dict, chdir: Path, log: Path) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), app, "--workers", str(WORKERS), "--worker-class", "sync"]
    command += ["--bind", f"127.0.0.1:{port}", "--chdir", str(chdir), "--log-level", "warning", "--timeout", "60"]
    command += ["--no-control-socket"]  # one fixed socket path per user: several gunicorns on a machine collide
    return start(command, env=env, log=log)


def print_results(results: list[Result], baseline: float, targets: dict[str, Target]) -> bool:
    print(f"{'':30} {'req/s':>8} {'p50':>9} {'p95':>9} {'p99':>9} {'errors':>7} {'ratio':>6} {'idle':>8}  target")
    ok = True
    for result in results:
        ratio = result.requests_per_s / baseline
        target = targets.get(result.label)
        verdict = ""
        if target is not None and not target.has_target:
            verdict = "no target (reference)"
        elif target is not None:
            if target.public:
                passed = ratio >= PUBLIC_MIN_RATIO and result.p95_ms < PUBLIC_MAX_P95_MS and result.errors == 0
                verdict = f"≥{PUBLIC_MIN_RATIO}×, p95 <{PUBLIC_MAX_P95_MS} ms, 0 errors: {'ok' if passed else 'MISSED'}"
            else:
                passed = ratio >= LOGGED_IN_MIN_RATIO and result.errors == 0
                verdict = f"≥{LOGGED_IN_MIN_RATIO}×, 0 errors: {'ok' if passed else 'MISSED'}"
            ok &= passed
        print(
            f"{result.label:30} {result.requests_per_s:8.1f} {result.p50_ms:7.1f}ms {result.p95_ms:7.1f}ms "
            f"{result.p99_ms:7.1f}ms {result.errors:7d} {ratio:5.2f}× {result.idle_ms:6.1f}ms  {verdict}"
        )
    return ok


def logged_in_rounds(args, targets: list[Target], minimal_url: str) -> bool:
    """--rounds N: the logged-in pages only, each between two minimal-view runs, N times over.

    On a machine shared with other work the minimal view's own figure drifts within a run; a ratio taken from the
    runs just before and after the page, and the median of N such ratios, drifts much less.
    """
    pages = [target for target in targets if not target.public]
    ratios: dict[str, list[float]] = {target.label: [] for target in pages}
    rates: dict[str, list[float]] = {target.label: [] for target in pages}

    def rate(url: str, cookie: str = "") -> float:
        wrk(url, duration=args.warmup, cookie=cookie, connections=10)
        raw = wrk(url, duration=args.duration, cookie=cookie)
        errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
        if errors:
            raise SystemExit(f"{url}: {errors} fel under lasten.")
        return raw["requests"] / (raw["duration_us"] / 1e6)

    before = rate(minimal_url)
    for number in range(1, args.rounds + 1):
        for target in pages:
            page = rate(target.url, target.cookie)
            after = rate(minimal_url)
            ratio = page / ((before + after) / 2)
            ratios[target.label].append(ratio)
            rates[target.label].append(page)
            print(
                f"round {number}: {target.label:30} {page:7.1f} req/s, minimal {before:7.1f} / {after:7.1f}, "
                f"ratio {ratio:5.3f}×; load average {os.getloadavg()[0]:.2f}"
            )
            before = after
    ok = True
    for label, found in ratios.items():
        median = statistics.median(found)
        passed = median >= LOGGED_IN_MIN_RATIO
        ok &= passed
        print(
            f"{label:30} median ratio {median:5.3f}× (range {min(found):.3f}–{max(found):.3f}), "
            f"median {statistics.median(rates[label]):.1f} req/s; "
            f"≥{LOGGED_IN_MIN_RATIO}×: {'ok' if passed else 'MISSED'}"
        )
    return ok


def run(args) -> bool:
    workdir = harness.WORKDIR
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    app_port, minimal_port, redis_port = free_port(), free_port(), free_port()
    app_base, minimal_base = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{minimal_port}"
    targets, facts = demo_targets(app_base)
    database = harness.settings.DATABASES["default"]
    database_url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    harness.connection.close()  # gunicorn's workers have the database to themselves

    processes: list[subprocess.Popen] = []
    try:
        env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
        redis_url = ""
        if shutil.which("redis-server"):
            redis = start(
                ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                env=env,
                log=logs / "redis.log",
            )
            processes.append(redis)
            redis_url = f"redis://127.0.0.1:{redis_port}/0"
        app_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "PARAGRAF_VAR_DIR": str(workdir / "var"),
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "LOG_LEVEL": "WARNING",
            "PARAGRAF_BASE_URL": app_base,
        }
        if redis_url:
            app_env["REDIS_URL"] = redis_url
        else:
            app_env["ALLOW_EAGER_TASKS"] = "1"
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=app_env,
            check=True,
        )
        app = gunicorn("config.wsgi:application", port=app_port, env=app_env, chdir=ROOT, log=logs / "app.log")
        processes.append(app)
        minimal_env = {**env, "DJANGO_SETTINGS_MODULE": "minimal_site.settings"}
        minimal = gunicorn(
            "minimal_site.wsgi:application",
            port=minimal_port,
            env=minimal_env,
            chdir=Path(__file__).resolve().parent,
            log=logs / "minimal.log",
        )
        processes.append(minimal)
        wait_for(f"{app_base}/anslagstavla/", app)
        wait_for(f"{minimal_base}/", minimal)

        cookie = login(app_base, "sekreterare", "demo", organisation_id=facts["organisation_id"])
        for target in targets:
            status, _, body = get(target.url, headers={"Cookie": cookie} if not target.public else {})
            # Pages join § and its number with a no-break space ("§\xa081"): compare with plain spaces.
            if status != 200 or target.expect not in body.replace("\xa0", " ").replace("&nbsp;", " "):
                raise SystemExit(f"{target.label}: {target.url} svarade {status} utan ”{target.expect}”.")
            if not target.public:
                target.cookie = cookie

        print(
            f"Load: gunicorn {WORKERS} sync workers each, wrk {THREADS} threads × {CONNECTIONS} connections, "
            f"{args.duration} s per page after {args.warmup} s warm-up, loopback, "
            f"cache {'Redis' if redis_url else 'locmem'}; {facts['meeting']}: {facts['paragraphs']} §; "
            f"load average before {os.getloadavg()[0]:.2f}"
        )
        if args.rounds:
            return logged_in_rounds(args, targets, f"{minimal_base}/")
        results = [measure("minimal view (first)", f"{minimal_base}/", duration=args.duration, warmup=args.warmup)]
        for target in targets:
            results.append(
                measure(target.label, target.url, duration=args.duration, warmup=args.warmup, cookie=target.cookie)
            )
        results.append(measure("minimal view (last)", f"{minimal_base}/", duration=args.duration, warmup=args.warmup))
        baseline = (results[0].requests_per_s + results[-1].requests_per_s) / 2
        print(f"baseline: mean of the two minimal-view runs, {baseline:.1f} req/s")
        ok = print_results(results, baseline, {t.label: t for t in targets})
        print(f"load average after {os.getloadavg()[0]:.2f}; every target met: {'yes' if ok else 'NO'}")
        for name in ("app.log", "minimal.log"):
            text = (logs / name).read_text(errors="replace").strip()
            if "Traceback" in text or "ERROR" in text:
                print(f"--- {name} ---\n{text[-3000:]}")
        return ok
    finally:
        for process in reversed(processes):
            stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page (default 15)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page (default 2)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=0,
        help="measure only the logged-in pages, each between two minimal-view runs, this many times (median ratio)",
    )
    args = parser.parse_args()
    if not Path(WRK).exists():
        raise SystemExit("wrk saknas: apt-get install -y wrk")
    with harness.throwaway_database():
        run(args)


if __name__ == "__main__":
    main()
