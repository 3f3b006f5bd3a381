import pytest
from django.test import override_settings

from core import health


@pytest.mark.django_db
def test_healthz_reports_database_broker_and_workers(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    report = response.json()
    assert set(report) >= {"status", "database", "broker", "workers"}
    assert report["database"]["ok"] is True
    assert report["status"] in {"ok", "degraded"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_fails_when_the_broker_is_unreachable(client):
    # Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        from config.celery import app

        old = app.conf.broker_url
        app.conf.broker_url = "redis://127.0.0.1:9/0"
        try:
            response = client.get("/healthz/")
        finally:
            app.conf.broker_url = old
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "fail"
    assert report["broker"]["ok"] is False
    assert report["broker"]["error"]


def test_a_failing_check_is_reported_not_raised():
    def broken():
        raise RuntimeError("nere")

    result = health._timed(broken)
    assert result["ok"] is False
    assert "nere" in result["error"]
    assert "ms" in result
