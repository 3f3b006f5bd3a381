"""Production settings refuse unsafe configurations and pass `check --deploy`."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 64 + "-a-long-random-production-key-for-the-check",
    "DATABASE_URL": "postgres://paragraf@127.0.0.1:5432/paragraf",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PARAGRAF_VAR_DIR": tempfile.mkdtemp(prefix="paragraf-settings-"),
}


def manage(*args, **env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; a deployment never has it.
    dropped = {*GOOD, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {key: value for key, value in os.environ.items() if key not in dropped}
    full_env.update(GOOD)
    full_env.update(env)
    for key in [k for k, v in env.items() if v is None]:
        full_env.pop(key)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY måste sättas"),
        ({"DEBUG": "1"}, "DEBUG får inte vara påslaget"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "kräver PostgreSQL"),
        ({"REDIS_URL": None}, "kräver REDIS_URL"),
    ],
)
def test_production_refuses_unsafe_configuration(env, message):
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.django_db
def test_csrf_failure_page_is_swedish():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/konto/logga-in/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in response.content.decode()


@pytest.mark.django_db
def test_login_does_not_write_an_audit_row(client):
    from core.models import User
    from tests.factories import UserFactory

    user = UserFactory()
    before = User.history.filter(id=user.pk).count()
    response = client.post("/konto/logga-in/", {"username": user.username, "password": "demo-lösenord-123"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert User.history.filter(id=user.pk).count() == before
