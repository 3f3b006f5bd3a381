"""Periodic work for meetings, run by Celery beat (the schedule is in config/settings/base.py)."""

from __future__ import annotations

from celery import shared_task

from . import minutes_services


@shared_task(
    name="meetings.archive_missing_minutes", ignore_result=True, acks_late=False, time_limit=120, soft_time_limit=100
)
def archive_missing_minutes_task() -> None:
    """The archive of every justerat protokoll that has none, or whose archive failed, is asked for again."""
    minutes_services.minutes_archive_missing()
