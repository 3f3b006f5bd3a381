"""The client's address, as the trusted reverse proxies saw it. One function for every use: login throttling
(django-axes), password-reset throttling and the justering evidence.

`PARAGRAF["PROXY_COUNT"]` (env PARAGRAF_PROXY_COUNT) is how many proxies we run in front of gunicorn; each appends
the address it received the request from to X-Forwarded-For (nginx: `$proxy_add_x_forwarded_for`). So the entry
that many places from the right is the one our outermost proxy wrote, and everything to its left came from the
client and proves nothing. 0 (the default) means no proxy: REMOTE_ADDR is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def proxy_count() -> int:
    return max(0, int(settings.PARAGRAF.get("PROXY_COUNT", 0)))


def _canonical(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address; REMOTE_ADDR when the request did not come through every configured proxy."""
    remote = request.META.get("REMOTE_ADDR") or ""
    fallback = _canonical(remote)
    count = proxy_count()
    if count == 0:
        return fallback
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # Fewer entries than proxies: the request reached us around them. Its peer is all we know.
        return fallback
    return _canonical(forwarded[-count]) or fallback
