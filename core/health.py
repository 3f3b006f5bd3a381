"""State of the database, the broker and the workers for /healthz/.

The broker and worker checks never block a probe: they run in one background thread with a deadline
(QUEUE_DEADLINE_SECONDS, well under the 2 s a load balancer waits), at most one at a time, and their result is
kept for CACHE_SECONDS in this process. Not in Django's cache: that may be the very Redis being probed. A hung
broker therefore costs one thread, bounded by the broker socket timeouts, however many probes arrive.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time

from django.conf import settings
from django.db import connection

QUEUE_DEADLINE_SECONDS = 1.2
CACHE_SECONDS = 5.0
PING_TIMEOUT_SECONDS = 0.5

_lock = threading.Lock()
_executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")
_inflight: concurrent.futures.Future | None = None
_cached: tuple[float, dict] | None = None


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # a health check reports failures, it never raises
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def check_broker() -> dict:
    from config.celery import app

    with app.connection_for_write() as conn:
        # One try, bounded by the socket timeouts in CELERY_BROKER_TRANSPORT_OPTIONS.
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=QUEUE_DEADLINE_SECONDS)
        conn.default_channel.client.ping()
    return {"ok": True, "mode": "redis"}


def check_workers() -> dict:
    from config.celery import app

    replies = app.control.ping(timeout=PING_TIMEOUT_SECONDS) or []
    names = sorted(name for reply in replies for name in reply)
    return {"ok": bool(names), "count": len(names), "workers": names}


def _queue_checks_uncached() -> dict:
    broker = _timed(check_broker)
    if not broker["ok"]:
        return {"broker": broker, "workers": {"ok": False, "count": 0, "workers": [], "error": "Kön svarar inte."}}
    return {"broker": broker, "workers": _timed(check_workers)}


def queue_checks() -> dict:
    """Broker and workers, bounded by the deadline and cached for a few seconds."""
    global _inflight, _cached
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {
            "broker": {"ok": True, "mode": "in-process", "ms": 0.0},
            "workers": {"ok": True, "mode": "in-process", "count": 0, "ms": 0.0},
        }
    with _lock:
        if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
            return _cached[1]
        if _inflight is None:
            _inflight = _executor.submit(_queue_checks_uncached)
            _inflight.add_done_callback(_forget)
        future = _inflight
    started = time.perf_counter()
    try:
        result = future.result(timeout=QUEUE_DEADLINE_SECONDS)
    except concurrent.futures.TimeoutError:
        ms = round((time.perf_counter() - started) * 1000, 1)
        error = f"Kön svarade inte inom {QUEUE_DEADLINE_SECONDS:g} s."
        result = {
            "broker": {"ok": False, "error": error, "ms": ms},
            "workers": {"ok": False, "count": 0, "workers": [], "error": error, "ms": ms},
        }
    with _lock:
        _cached = (time.monotonic(), result)
    return result


def _forget(future: concurrent.futures.Future) -> None:
    global _inflight
    with _lock:
        if _inflight is future:
            _inflight = None


def reset_cache() -> None:
    """Forget the cached result (tests, and after a settings change)."""
    global _cached
    with _lock:
        _cached = None


def check_all() -> dict:
    report = {"database": _timed(check_database), **queue_checks()}
    essential_ok = report["database"]["ok"] and report["broker"]["ok"]
    if not essential_ok:
        report["status"] = "fail"
    elif not report["workers"]["ok"]:
        report["status"] = "degraded"  # pages work; documents wait in the queue
    else:
        report["status"] = "ok"
    return report
