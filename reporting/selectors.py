"""Reads for document jobs, always scoped to one organisation.

Who sees which job: a user sees the jobs they requested; a user who may see all jobs (reporting.view_all_jobs,
the administrator) sees every job of the organisation. Anything else is not found (a 404 in the views).
"""

from __future__ import annotations

from django.db.models import QuerySet

from core.models import Organisation, User

from .models import RenderJob


def jobs_visible(*, organisation: Organisation, user: User, see_all: bool = False) -> QuerySet[RenderJob]:
    """The jobs of the organisation the user may see, without joins (for lookups and counts)."""
    jobs = RenderJob.objects.for_organisation(organisation)
    if not see_all:
        jobs = jobs.filter(requested_by=user) if user is not None and user.pk else jobs.none()
    return jobs


def recent_jobs_for_user(*, organisation: Organisation, user: User, limit: int = 5) -> list[RenderJob]:
    """The user's own latest jobs in the organisation (the dashboard panel), newest first."""
    return list(
        jobs_visible(organisation=organisation, user=user)
        .select_related("organisation")
        .order_by("-created_at", "-pk")[:limit]
    )


def jobs_for_list(*, organisation: Organisation, user: User, see_all: bool) -> QuerySet[RenderJob]:
    """The job list: newest first, with who asked joined up front (one query per page, however many jobs)."""
    return (
        jobs_visible(organisation=organisation, user=user, see_all=see_all)
        .select_related("requested_by")
        .order_by("-created_at", "-pk")
    )


def job_for_user(*, organisation: Organisation, user: User, see_all: bool, pk: int) -> RenderJob:
    """One job the user may see. Raises RenderJob.DoesNotExist otherwise (other organisation, other user)."""
    return (
        jobs_visible(organisation=organisation, user=user, see_all=see_all)
        .select_related("organisation", "requested_by", "reused_from")
        .get(pk=pk)
    )


def job_appendices(*, job: RenderJob):
    """The bilagor uploaded with a job, in upload order."""
    return job.appendices.order_by("position")
