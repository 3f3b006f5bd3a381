"""A session that slides with activity and tells the page when it ends.

Django's session lasts SESSION_COOKIE_AGE from its last save. Saving it on every request
(SESSION_SAVE_EVERY_REQUEST) would write the session row on every page view; instead the middleware writes a
timestamp at most every REFRESH_SECONDS, which saves the session and so moves its expiry (row and cookie). The
page then knows how long is left (`seconds_left`), and static/js/session.js warns a few minutes before the end.

The middleware also keeps a signed cookie naming the last user who was logged in on this browser, so that a
draft saved after the session ended (core.drafts) is given back only to that user.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

TOUCHED_KEY = "paragraf_active_at"
REFRESH_SECONDS = 5 * 60
WARN_SECONDS = 5 * 60
USER_HINT_COOKIE = "paragraf_anvandare"
USER_HINT_SALT = "paragraf.sessions.user-hint"


def session_passive(view):
    """Mark a view whose requests are not activity (the page asking how long is left)."""
    view.session_passive = True
    return view


def session_touch(request: HttpRequest, *, force: bool = False) -> None:
    now = int(time.time())
    last = request.session.get(TOUCHED_KEY)
    if force or not isinstance(last, int) or now - last >= REFRESH_SECONDS:
        request.session[TOUCHED_KEY] = now  # a change: the session is saved and its expiry moves


def seconds_left(request: HttpRequest) -> int:
    """Seconds until the session ends without further activity."""
    last = request.session.get(TOUCHED_KEY)
    age = settings.SESSION_COOKIE_AGE
    if not isinstance(last, int):
        return age
    return max(0, age - (int(time.time()) - last))


def user_hint(request: HttpRequest) -> int | None:
    """The user last logged in on this browser, from the signed cookie (None when absent or forged)."""
    value = request.COOKIES.get(USER_HINT_COOKIE)
    if not value:
        return None
    try:
        return int(signing.loads(value, salt=USER_HINT_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


class SlidingSessionMiddleware:
    """After SessionMiddleware and AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user_hint(request) != user.pk:
            response.set_cookie(
                USER_HINT_COOKIE,
                signing.dumps(user.pk, salt=USER_HINT_SALT),
                max_age=settings.SESSION_COOKIE_AGE + 24 * 60 * 60,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.user.is_authenticated and not getattr(view_func, "session_passive", False):
            session_touch(request)
        return None
