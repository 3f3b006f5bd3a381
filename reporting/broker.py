"""What the broker holds: the ids of the render tasks waiting in the queue or delivered and not yet acknowledged.

The sweeper asks before it sends a queued job again or fails a running one, so that a message that still
exists (waiting behind others, held by a worker for a retry's countdown, or left by a dead worker until the
visibility timeout) is never doubled or cut short. Only the Redis transport is read; any other answers None
("unknown"), and so does a broker that does not answer within its socket timeouts.
"""

from __future__ import annotations

import json
import logging

logger = logging.getLogger(__name__)


def _task_id(message: object) -> str | None:
    if not isinstance(message, dict):
        return None
    headers = message.get("headers") or {}
    properties = message.get("properties") or {}
    return headers.get("id") or properties.get("correlation_id")


def task_ids_in_broker(*, queue: str) -> set[str] | None:
    """Task ids in `queue` (every priority) and in the unacknowledged set, or None when unknown."""
    from config.celery import app

    try:
        with app.connection_for_read() as connection:
            if connection.transport.driver_type != "redis":
                return None
            channel = connection.default_channel
            client = channel.client
            found: set[str] = set()
            keys = {channel._q_for_pri(queue, priority) for priority in channel.priority_steps}
            for key in sorted(keys):
                for raw in client.lrange(key, 0, -1):
                    found.add(_task_id(json.loads(raw)))
            for raw in client.hvals(channel.unacked_key):
                entry = json.loads(raw)
                found.add(_task_id(entry[0] if isinstance(entry, list) and entry else entry))
    except Exception as exc:  # unreachable or hung broker: the sweeper then acts only on what the rows show
        logger.warning("Kön kunde inte läsas: %r", exc)
        return None
    found.discard(None)
    return found
