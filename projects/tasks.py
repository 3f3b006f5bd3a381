"""Periodic tasks of the projects app."""

from celery import shared_task

from . import register_gallring_services


@shared_task(
    name="projects.register_gallring", ignore_result=True, acks_late=False, time_limit=900, soft_time_limit=840
)
def register_gallring_task() -> None:
    """Daily: remove participant records whose avslut is older than each organisation's retention."""
    register_gallring_services.register_gallring_all()
