"""The document pipeline under faults, with a real Redis and a real Celery worker that each test starts itself.

Every test runs its own `redis-server` on a free port and its own worker (bin/keep-running, as `make worker`
runs it, with Celery beat embedded for the sweeper) against the test database, with short limits: hard time
limit 20 s (so the visibility timeout is 80 s), a sweep every 2 s. The tests kill, freeze (SIGSTOP) and restart
those processes and always clean them up. PostgreSQL only: the worker is another process on the same database.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from kombu import pools as kombu_pools

from core import health
from core.models import Role
from meetings.models import Minutes
from reporting import services
from reporting.models import RenderJob
from tests.factories import UserFactory, user_with_role
from tests.meetings.test_minutes import sign_data

from . import fault_documents
from .test_sweeper import minutes_awaiting_the_last_approval

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT = 20
FAULT_ENV = {
    "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
    "CELERY_TASK_SOFT_TIME_LIMIT": "15",
    "RENDER_JOB_SWEEP_SECONDS": "2",
    "RENDER_JOB_RESEND_AFTER_SECONDS": "5",
    "RENDER_JOB_HEARTBEAT_SECONDS": "1",
    "RENDER_JOB_MAX_DELIVERIES": "3",
    "DB_CONN_MAX_AGE": "0",
    fault_documents.FAULT_WORKER_ENV: "1",
}
FINAL_MESSAGES = (
    services.MESSAGE_STALE,
    services.MESSAGE_TIMEOUT,
    services.MESSAGE_INTERNAL,
    services.MESSAGE_TRANSIENT,
)


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("felproven kräver PostgreSQL (arbetaren är en annan process på samma databas)")
    if shutil.which("redis-server") is None:
        pytest.skip("felproven kräver redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Redis:
    """A redis-server of the test's own, without persistence: a restart comes back empty."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, 10, "redis-server startade inte")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.thaw()
        self.kill()


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Worker:
    """`bin/keep-running celery worker -B`, as `make worker` runs it, on the test database and Redis."""

    def __init__(self, redis: Redis, workdir: Path, name: str):
        self.redis = redis
        self.workdir = workdir
        self.name = name
        self.log = workdir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        db = connection.settings_dict
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"
        env = {
            **os.environ,
            **FAULT_ENV,
            "DATABASE_URL": database_url,
            "REDIS_URL": self.redis.url,
            "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
            "DJANGO_SETTINGS_MODULE": "tests.reporting.fault_settings",
            "RESTART_DELAY": "1",
        }
        celery = str(Path(sys.executable).with_name("celery"))
        command = [
            str(ROOT / "bin" / "keep-running"),
            celery,
            "-A",
            "config",
            "worker",
            "-B",
            "--schedule",
            str(self.workdir / f"{self.name}-beat"),
            "--loglevel=INFO",
            "--concurrency=2",
            "-Q",
            "paragraf",
            "--hostname",
            f"{self.name}@%h",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_until(self.answers_ping, 60, f"arbetaren startade inte:\n{self.tail()}")

    def answers_ping(self) -> bool:
        from config.celery import app

        try:
            replies = app.control.ping(destination=[self.celery_name()], timeout=0.5) or []
        except Exception:
            return False
        return bool(replies)

    def celery_name(self) -> str:
        return f"{self.name}@{socket.gethostname()}"

    def celery_pid(self) -> int | None:
        """The celery main process under keep-running (its only direct child)."""
        kids = [pid for pid in descendants(self.process.pid) if _ppid(pid) == self.process.pid]
        celery = [pid for pid in kids if "celery" in _cmdline(pid)]
        return celery[0] if celery else None

    def kill_all_but_the_loop(self) -> None:
        """kill -9 the whole worker: the main process, its pool and beat. keep-running starts it again."""
        for pid in descendants(self.process.pid):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        tree = descendants(self.process.pid)
        self.process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(20)
        for pid in [self.process.pid, *tree]:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(5)

    def tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def wait_until(condition, seconds: float, message: str = "", interval: float = 0.25):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(message or f"villkoret uppfylldes inte inom {seconds} s")


@contextmanager
def app_on(url: str):
    """The web side (this process) sends to the test's Redis instead of running tasks in-process."""
    from config.celery import app

    old_url, old_eager = app.conf.broker_url, app.conf.task_always_eager

    def reset_pools():
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        # kombu keeps producer pools per connection in a global registry: one left over for the old URL would
        # hand later tests (the real-worker test) a closed pool ("Acquire on closed pool").
        kombu_pools.reset()

    reset_pools()
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    health.reset_cache()
    try:
        yield app
    finally:
        reset_pools()
        app.conf.broker_url, app.conf.task_always_eager = old_url, old_eager
        health.reset_cache()


@pytest.fixture
def rig(tmp_path, settings):
    """Redis, a worker factory and the web side pointed at them; everything stopped afterwards."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    redis = Redis(tmp_path)
    redis.start()
    workers: list[Worker] = []

    def worker(name: str = "fault") -> Worker:
        started = Worker(redis, tmp_path, f"{name}{len(workers)}")
        workers.append(started)
        started.start()
        return started

    try:
        with fault_documents.registered(), app_on(redis.url):
            yield redis, worker
    finally:
        for started in workers:
            started.stop()
        redis.stop()


def request_slow(organisation, user, seconds: float, tag: str = "") -> RenderJob:
    return services.render_job_request(
        organisation=organisation, user=user, kind="tests.slow", params={"seconds": seconds, "tag": tag}
    )


def final_state(job: RenderJob, seconds: float) -> RenderJob:
    def ended():
        job.refresh_from_db()
        return not job.is_active

    wait_until(ended, seconds, f"jobbet blev aldrig klart: {job.status} {job.progress} %")
    return job


def test_whole_worker_killed_mid_render_ends_the_job_and_never_shows_running_again(rig, organisation):
    _redis, worker = rig
    w = worker()
    user = user_with_role(organisation, Role.ADMIN)
    job = request_slow(organisation, user, seconds=8)
    wait_until(lambda: RenderJob.objects.filter(pk=job.pk, status="running").exists(), 30, w.tail())
    time.sleep(1)
    first_pid = w.celery_pid()
    w.kill_all_but_the_loop()
    started = time.monotonic()
    wait_until(lambda: w.celery_pid() not in {None, first_pid}, 30, "keep-running startade inte arbetaren igen")

    job = final_state(job, 300)
    elapsed = time.monotonic() - started
    assert elapsed < 300
    assert job.status == RenderJob.Status.DONE or (
        job.status == RenderJob.Status.FAILED and job.error in FINAL_MESSAGES
    )
    assert job.deliveries >= 1
    client = Client()
    client.force_login(user)
    time.sleep(3)  # a late message or sweep must not bring it back
    page = client.get(reverse("reporting:job_detail", kwargs={"pk": job.pk})).content.decode()
    job.refresh_from_db()
    assert not job.is_active
    assert "Pågår" not in page
    print(f"dödad arbetare: jobbet {job.get_status_display()} efter {elapsed:.0f} s")


def test_poison_job_fails_after_the_set_number_of_deliveries(rig, organisation):
    _redis, worker = rig
    w = worker()
    user = user_with_role(organisation, Role.ADMIN)
    job = services.render_job_request(organisation=organisation, user=user, kind="tests.poison")
    job = final_state(job, 120)
    assert job.status == RenderJob.Status.FAILED, w.tail()
    assert job.error == services.MESSAGE_POISON.format(deliveries=3)
    assert job.deliveries == 3
    # The worker itself lives on and renders the next job.
    ok = final_state(request_slow(organisation, user, seconds=0, tag="efter gift"), 60)
    assert ok.status == RenderJob.Status.DONE, ok.error


def test_frozen_broker_the_last_approval_answers_fast_and_the_archive_comes_when_it_is_back(rig, organisation):
    redis, worker = rig
    worker()
    minutes, signatory, user = minutes_awaiting_the_last_approval(organisation)
    client = Client()
    client.force_login(user)
    redis.freeze()
    try:
        started = time.monotonic()
        response = client.post(reverse("minutes:sign", kwargs={"pk": signatory.pk}), sign_data(signatory))
        elapsed = time.monotonic() - started
    finally:
        redis.thaw()
    assert response.status_code == 302
    assert elapsed < 3.0, f"godkännandet tog {elapsed:.1f} s"
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.VERIFIED
    assert minutes.archived_job is not None  # the job row was written with the lock
    job = final_state(minutes.archived_job, 90)
    assert job.status == RenderJob.Status.DONE, job.error
    assert len(job.output_sha256) == 64
    print(f"fryst kö: sista godkännandet svarade på {elapsed:.2f} s")


def test_healthz_answers_within_two_seconds_with_the_broker_frozen(rig, organisation):
    redis, worker = rig
    w = worker()
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    wait_until(lambda: staff.get("/healthz/").json().get("workers", {}).get("count", 0) >= 1, 20, w.tail())
    redis.freeze()
    try:
        health.reset_cache()
        timings = []
        for client in (staff, Client(), Client(), staff):
            started = time.monotonic()
            response = client.get("/healthz/")
            timings.append(time.monotonic() - started)
            assert response.status_code == 503
        live_started = time.monotonic()
        assert Client().get("/healthz/live/").status_code == 200
        live = time.monotonic() - live_started
    finally:
        redis.thaw()
    assert max(timings) < 2.0, timings
    assert live < 0.5
    health.reset_cache()
    wait_until(lambda: staff.get("/healthz/").status_code == 200, 20, "healthz blev inte frisk igen")
    print(f"fryst kö: /healthz/ svarade på högst {max(timings):.2f} s")


def test_redis_restarted_empty_every_queued_job_is_sent_again_and_done(rig, organisation):
    redis, worker = rig
    user = user_with_role(organisation, Role.ADMIN)
    # No worker yet: the messages wait in Redis, then Redis restarts empty and they are gone.
    jobs = [request_slow(organisation, user, seconds=0, tag=f"jobb {n}") for n in range(3)]
    for job in jobs:
        job.refresh_from_db()
        assert job.status == RenderJob.Status.QUEUED and job.enqueued_at is not None
    redis.kill()
    redis.start()
    worker()
    for job in jobs:
        final_state(job, 90)
        assert job.status == RenderJob.Status.DONE, job.error
        assert job.enqueue_attempts == 2  # sent once by the request, once by the sweeper
        assert job.deliveries == 1


def test_worker_whose_broker_drops_mid_task_keeps_running(rig, organisation):
    redis, worker = rig
    w = worker()
    user = user_with_role(organisation, Role.ADMIN)
    pid = w.celery_pid()
    job = request_slow(organisation, user, seconds=6, tag="under avbrott")
    wait_until(lambda: RenderJob.objects.filter(pk=job.pk, status="running").exists(), 30, w.tail())
    redis.kill()
    time.sleep(3)
    redis.start()
    job = final_state(job, 90)
    assert job.status == RenderJob.Status.DONE, job.error
    wait_until(w.answers_ping, 30, "arbetaren svarar inte efter avbrottet")
    # The same process: it did not exit (keep-running would have started a new one).
    assert w.celery_pid() == pid, w.tail()
    assert "Unrecoverable error" not in w.log.read_text(errors="replace")
    after = final_state(request_slow(organisation, user, seconds=0, tag="efter avbrott"), 60)
    assert after.status == RenderJob.Status.DONE, after.error
