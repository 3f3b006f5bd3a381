"""Reads for insatser: the list, one insats with everything its page shows, always scoped to the organisation."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from core.models import Organisation

from .models import Category, CategoryList, ParticipantReport, Project, ProjectStaff, ProjectStatusChange, SubProject


def project_list(*, organisation: Organisation, status: str = "", orientation: str = "") -> QuerySet[Project]:
    rows = (
        Project.objects.for_organisation(organisation)
        .annotate(
            report_count=Count("reports", distinct=True),
            submitted_count=Count(
                "reports", filter=Q(reports__status=ParticipantReport.Status.SUBMITTED), distinct=True
            ),
        )
        .order_by("name", "pk")
    )
    if status:
        rows = rows.filter(status=status)
    if orientation:
        rows = rows.filter(orientation=orientation)
    return rows


def project_detail_queryset(*, organisation: Organisation) -> QuerySet[Project]:
    return (
        Project.objects.for_organisation(organisation)
        .select_related("executor_organisation", "organisation")
        .prefetch_related(
            "parties",
            "budget_years",
            "sub_projects",
            Prefetch("staff", queryset=ProjectStaff.objects.select_related("user").order_by("pk")),
            Prefetch("target_groups", queryset=Category.objects.order_by("position", "pk")),
            Prefetch(
                "status_changes",
                queryset=ProjectStatusChange.objects.select_related("changed_by").order_by("changed_on", "pk"),
            ),
        )
    )


def has_reports(*, project: Project) -> bool:
    return ParticipantReport.objects.filter(project=project).exists()


def target_group_choices(*, organisation: Organisation) -> QuerySet[Category]:
    return Category.objects.filter(
        category_list__organisation=organisation, category_list__key=CategoryList.Key.TARGET_GROUP, active=True
    ).order_by("position", "pk")


def category_lists(*, organisation: Organisation) -> QuerySet[CategoryList]:
    return CategoryList.objects.for_organisation(organisation).prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position", "pk"))
    )


def project_codes(*, organisation: Organisation) -> QuerySet[SubProject]:
    """The organisation's delprojekt with their project codes: finance's projekt dimension."""
    return SubProject.objects.for_organisation(organisation).select_related("project").order_by("code")
