"""Public pages served from a cache keyed on what they show, with ETag, Last-Modified and 304 answers.

The key is a fingerprint of the page's content: the values the view hands its template (the rows it read, the
filters, today's date for pages whose rows move with the date) plus the release (templates and static
manifest). A changed row, a new day or a new release gives a new fingerprint, so nothing has to be invalidated
and nothing stale can be served; a hit reads the rows as before (one or two small queries) and skips the
rendering. The ETag is the fingerprint (weak: a rebuilt iCalendar feed carries a new DTSTAMP), Last-Modified
the moment this version was first rendered, kept with the body in the cache.

Under a crowd a process does not even read the rows again for RECHECK_SECONDS (one second): it answers the
same URL from its memory of the last version, so a change shows within a second.

Only anonymous requests use the cache. A request with a session cookie is rendered afresh, never stored, and
marked private, so a response that could carry a user's cookie never reaches a shared cache or another visitor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_etags, parse_http_date_safe

logger = logging.getLogger(__name__)

PUBLIC_MAX_AGE = 60  # seconds a browser or proxy may reuse a public page without asking
CACHE_TIMEOUT = 24 * 60 * 60  # a version nobody asks for any more leaves the cache within a day
KEY_PREFIX = "public-page"
# A process that read a page's rows less than this long ago answers the same URL without reading them again:
# under a crowd, most hits then cost no query at all, and a change shows within this time (browsers and proxies
# may keep a page for PUBLIC_MAX_AGE anyway). Settings: PUBLIC_CACHE_RECHECK_SECONDS (0 in tests).
RECHECK_SECONDS = 1.0
RECENT_SIZE = 512  # URLs remembered per process

_recent: OrderedDict[tuple, tuple] = OrderedDict()
_recent_lock = threading.Lock()


@memoize
def release() -> str:
    """Changes with every deploy that changes what a page looks like: templates, code and the static manifest."""
    digest = hashlib.sha256()
    roots = [
        Path(settings.BASE_DIR) / "templates",
        Path(settings.BASE_DIR) / "meetings",
        Path(settings.BASE_DIR) / "core",
    ]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    files = sorted(path for root in roots for path in root.rglob("*") if path.suffix in {".html", ".py"})
    for path in [*files, manifest]:
        if path.is_file():
            digest.update(str(path).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(name: str, parts: Iterable[object]) -> str:
    """The content version: a hash of the page name, the release and the repr of what the page shows."""
    text = repr((name, release(), tuple(parts)))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cache_get(key: str):
    """The cached value, or None when the cache cannot be reached: a page is then rendered, never refused."""
    try:
        return cache.get(key)
    except Exception:  # any backend error: Redis down, a timeout, a bad pickle
        logger.warning("Cachen kunde inte läsas (%s); sidan ritas utan cache.", key, exc_info=True)
        return None


def cache_set(key: str, value, timeout: int) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("Cachen kunde inte skrivas (%s).", key, exc_info=True)


def has_session(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _not_modified(request: HttpRequest, etag: str, last_modified: float | None) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:  # RFC 9110 13.1.3: when present, If-Modified-Since is ignored
        wanted = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        return "*" in wanted or etag.removeprefix("W/") in wanted
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified is not None and int(last_modified) <= since


def _finish(response: HttpResponse, etag: str, last_modified: float) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


def _recheck_seconds() -> float:
    return float(getattr(settings, "PUBLIC_CACHE_RECHECK_SECONDS", RECHECK_SECONDS))


def forget_recent() -> None:
    """Empty this process's memory of recent versions and fragments (tests; a process has its own)."""
    with _recent_lock:
        _recent.clear()
    fragment_memory.clear()


class ProcessMemory:
    """A small LRU in this process's memory for values whose key names their content (a version), so that an
    entry can never go stale: it only spares the round trip to the shared cache. Bounded in entries, in bytes
    and in time (`seconds`), so that a cache emptied by hand (after a restore) is followed within that time."""

    def __init__(self, *, entries: int, max_bytes: int, seconds: float):
        self.entries, self.max_bytes, self.seconds = entries, max_bytes, seconds
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if time.monotonic() - found[0] >= self.seconds:
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return found[1]

    def set(self, key: str, value: str) -> None:
        if len(value) > self.max_bytes // 8:  # a huge fragment would push out everything else
            return
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (time.monotonic(), value)
            self._bytes += len(value)
            while len(self._items) > self.entries or self._bytes > self.max_bytes:
                self._drop(next(iter(self._items)))

    def _drop(self, key: str) -> None:
        _, value = self._items.pop(key)
        self._bytes -= len(value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


# The fragments of the logged-in pages (core/templatetags/fragment_cache.py): 256 fragments, at most 32 MB of text.
fragment_memory = ProcessMemory(entries=256, max_bytes=32 * 1024 * 1024, seconds=60)


def _remember(key: tuple, value: tuple) -> None:
    with _recent_lock:
        _recent[key] = value
        _recent.move_to_end(key)
        while len(_recent) > RECENT_SIZE:
            _recent.popitem(last=False)


def _recall(key: tuple, window: float) -> tuple | None:
    with _recent_lock:
        found = _recent.get(key)
    if found is None or time.monotonic() - found[0] >= window:
        return None
    return found


def public_response(
    request: HttpRequest,
    *,
    name: str,
    parts: Callable[[], Iterable[object]],
    render: Callable[[dt.datetime], bytes | str],
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """The page `name` whose content is `parts()`, rendered by `render(now)` at most once per version.

    `parts` reads what the page shows (and raises Http404 for a page that does not exist); within
    RECHECK_SECONDS of the last reading by this process, the same URL on the same day is answered from memory
    without reading again. `render` receives the moment of rendering (Last-Modified, and DTSTAMP in a feed).
    Only GET and HEAD come here.
    """
    extra = headers or {}
    if has_session(request):
        parts()  # the same 404 as for everyone
        response = HttpResponse(render(timezone.now()), content_type=content_type, headers=extra)
        response["Cache-Control"] = "private, no-cache"
        response.public_cache = "bypass"
        return response

    window = _recheck_seconds()
    recent_key = (name, request.get_full_path(), timezone.localdate())
    recent = _recall(recent_key, window) if window > 0 else None
    if recent is not None:
        _, version, entry = recent
        state = "recent"
    else:
        version = fingerprint(name, parts())
        key = f"{KEY_PREFIX}:{name}:{version}"
        entry = cache_get(key)
        state = "hit" if entry is not None else "miss"
        if entry is None:
            now = timezone.now()
            body = render(now)
            entry = {"body": body.encode() if isinstance(body, str) else body, "last_modified": now.timestamp()}
            cache_set(key, entry, CACHE_TIMEOUT)
        if window > 0:
            _remember(recent_key, (time.monotonic(), version, entry))
    etag = f'W/"{version}"'
    if _not_modified(request, etag, entry["last_modified"]):
        return _finish(HttpResponseNotModified(headers=extra), etag, entry["last_modified"])
    response = HttpResponse(entry["body"], content_type=content_type, headers=extra)
    response.public_cache = state  # for tests; never sent
    return _finish(response, etag, entry["last_modified"])
