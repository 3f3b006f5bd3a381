"""Login and password-reset throttling that an attacker cannot aim at someone else.

django-axes locks a username together with the client address (core.client_ip), so wrong passwords from one
address never lock the user out at another. Its failure limit is one number for every lockout parameter, so
password spraying (a few tries each at many usernames from one address) gets a limit of its own here: the
handler also counts every failure from the address, whatever the username, against
`AXES_ADDRESS_FAILURE_LIMIT`. Password-reset e-mails are counted per address and per entered e-mail address in
the cache; the page answers the same whether or not an account has that address.
"""

from __future__ import annotations

import hashlib

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def address_failure_limit() -> int:
    return int(getattr(settings, "AXES_ADDRESS_FAILURE_LIMIT", 20))


class AddressAwareAxesHandler(AxesDatabaseHandler):
    """Axes' database handler plus a lock on the address alone after many failures with any usernames."""

    def address_failures(self, request: HttpRequest) -> int:
        ip_address = getattr(request, "axes_ip_address", None)
        if not ip_address:
            return 0
        attempts = AccessAttempt.objects.filter(
            ip_address=ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def _address_locked(self, request: HttpRequest) -> bool:
        locked = self.address_failures(request) >= address_failure_limit()
        if locked:
            request.paragraf_address_locked = True
        return locked

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self._address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False) and self._address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The Swedish lockout page; it says whether the username or the whole address is locked."""
    address_locked = getattr(request, "paragraf_address_locked", False)
    context = {
        "address_locked": address_locked,
        "failure_limit": address_failure_limit() if address_locked else get_failure_limit(request, credentials),
        "username": "" if address_locked else (get_client_username(request, credentials) or ""),
        "cooloff_timedelta": get_cool_off(request),
    }
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)


# --- Password-reset e-mails -----------------------------------------------------------------------------------


def _count(key: str, window: int) -> int:
    """Increment a counter that lives `window` seconds from its first increment; returns the new value."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def password_reset_limits() -> dict[str, int]:
    limits = getattr(settings, "PASSWORD_RESET_THROTTLE", {})
    return {
        "per_address": int(limits.get("per_address", 10)),
        "per_account": int(limits.get("per_account", 3)),
        "window": int(limits.get("window", 3600)),
    }


def password_reset_address_allowed(ip_address: str | None) -> bool:
    """Counts this request from the address; False once the address has asked too often in the window."""
    limits = password_reset_limits()
    key = "paragraf:pwreset:ip:" + hashlib.sha256((ip_address or "-").encode()).hexdigest()
    return _count(key, limits["window"]) <= limits["per_address"]


def password_reset_account_allowed(email: str) -> bool:
    """Counts a reset for the entered address (existing account or not); False once it has had enough mails."""
    limits = password_reset_limits()
    normalised = (email or "").strip().lower()
    key = "paragraf:pwreset:email:" + hashlib.sha256(normalised.encode()).hexdigest()
    return _count(key, limits["window"]) <= limits["per_account"]
