import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def _keep_worker_alive_on_broker_loss() -> None:
    """Make kombu's redis channel report a closed connection as a connection error, not an AttributeError.

    When the broker drops while a task runs, Celery 5.7's consumer first calls `Connection.collect()`, whose
    channel close fails half-way (Redis is gone) and which then detaches the transport from its connection
    (`transport.client = None`); it then calls `connection.close()`, which closes the same channel again and
    restores its unacknowledged message through a new connection pool built from `transport.client`: an
    AttributeError, which `ignore_errors` does not swallow, so the worker stops with "Unrecoverable error". The
    task still running acks later through the same channel and hits the same error. As a connection error
    both are ignored or logged as Celery intends, and the message stays in Redis's unacked set until the
    visibility timeout brings it back. docs/decisions/0002-job-state-on-rows.md has the traceback.
    """
    import redis
    from kombu.transport import redis as kombu_redis

    original = kombu_redis.Channel._connparams
    if getattr(original, "_paragraf_patched", False):
        return

    def _connparams(self, asynchronous=False):
        if self.connection.client is None:
            raise redis.exceptions.ConnectionError("Förbindelsen till kön är redan stängd.")
        return original(self, asynchronous=asynchronous)

    _connparams._paragraf_patched = True
    kombu_redis.Channel._connparams = _connparams


_keep_worker_alive_on_broker_loss()

app = Celery("paragraf")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
