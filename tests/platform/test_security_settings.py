"""Production refuses a weak SECRET_KEY, with a Swedish message that says how to make a good one."""

import pytest

from .test_settings import manage


@pytest.mark.parametrize(
    "key",
    ["kort-nyckel", "x" * 49, "ab" * 40, "django-insecure-" + "k3y-fr0m-startproject-9f8e7d6c5b4a3210zyxwvu"],
    ids=["short", "49-chars", "two-distinct-characters", "startproject-default"],
)
def test_production_refuses_a_weak_secret_key(key):
    result = manage("check", SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY är för svag" in result.stderr
    assert "minst 50 slumpmässiga tecken" in result.stderr
    assert "secrets.token_urlsafe(64)" in result.stderr


def test_production_accepts_a_50_character_random_key():
    result = manage("check", SECRET_KEY="Qm3v9-Zt1pXw7Lr2Nc8Ks4Hd6Jf0Ga5Ub1Ye3Ti7Ro9Wq2Ez4A")
    assert result.returncode == 0, result.stderr
