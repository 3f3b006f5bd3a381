import socket
import time
from contextlib import contextmanager

import pytest
from django.test import Client, override_settings

from core import health
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fresh_health_cache():
    health.reset_cache()
    yield
    health.reset_cache()


@contextmanager
def broker_at(url: str):
    """Point the Celery app at another broker, with tasks sent to it (not in-process), for the block."""
    from config.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = url
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
            yield
    finally:
        app.conf.broker_url = old


@contextmanager
def hung_broker():
    """A port that accepts TCP connections (the kernel's backlog) and never answers: a hung Redis."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        server.close()


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(is_staff=True))
    return client


@pytest.mark.django_db
def test_healthz_reports_database_broker_and_workers_to_staff(staff_client):
    response = staff_client.get("/healthz/")
    assert response.status_code == 200
    report = response.json()
    assert set(report) >= {"status", "database", "broker", "workers"}
    assert report["database"]["ok"] is True
    assert report["database"]["vendor"]
    assert report["status"] in {"ok", "degraded"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_tells_others_only_the_status(client):
    client.force_login(UserFactory(is_staff=False))
    assert client.get("/healthz/").json() == {"status": "ok"}
    client.logout()
    assert client.get("/healthz/").json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_fails_when_the_broker_is_unreachable(staff_client):
    # Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
    with broker_at("redis://127.0.0.1:9/0"):
        response = staff_client.get("/healthz/")
        anonymous = Client().get("/healthz/")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "fail"
    assert report["broker"]["ok"] is False
    assert report["broker"]["error"]
    assert anonymous.status_code == 503 and anonymous.json() == {"status": "fail"}


@pytest.mark.django_db
def test_healthz_answers_within_two_seconds_from_a_hung_broker(staff_client):
    with hung_broker() as url, broker_at(url):
        started = time.monotonic()
        responses = [staff_client.get("/healthz/") for _ in range(4)]
        elapsed = time.monotonic() - started
    # One bounded wait at most; the probes after it read the cached answer.
    assert elapsed < 2.0, elapsed
    assert all(response.status_code == 503 for response in responses)
    assert responses[0].json()["broker"]["ok"] is False


@pytest.mark.django_db
def test_healthz_caches_the_queue_checks(client, monkeypatch):
    calls = []

    def counted():
        calls.append(1)
        return {"broker": {"ok": True}, "workers": {"ok": True, "count": 1}}

    monkeypatch.setattr(health, "_queue_checks_uncached", counted)
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        for _ in range(3):
            assert client.get("/healthz/").json() == {"status": "ok"}
        assert len(calls) == 1
        health.reset_cache()
        client.get("/healthz/")
    assert len(calls) == 2


@pytest.mark.django_db
def test_liveness_touches_neither_database_nor_broker(client, django_assert_num_queries, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("liveness must not check the queue")

    monkeypatch.setattr(health, "queue_checks", forbidden)
    with hung_broker() as url, broker_at(url), django_assert_num_queries(0):
        started = time.monotonic()
        response = client.get("/healthz/live/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert time.monotonic() - started < 0.5


def test_a_failing_check_is_reported_not_raised():
    def broken():
        raise RuntimeError("nere")

    result = health._timed(broken)
    assert result["ok"] is False
    assert "nere" in result["error"]
    assert "ms" in result
