"""Reads for participant reports: the reports of an insats (every version), one report's grid with its totals.

A submitted report's grid is built from its stored cells and the labels it was submitted with, so renaming or
retiring a category later never changes it. A draft shows the organisation's categories in use now, plus any
retired category it already holds figures for.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Max, Prefetch, QuerySet

from core.models import Organisation

from .categories import INDIVIDUAL_SPLITS
from .models import Category, CategoryList, ParticipantReport, Project, ReportCount
from .report_grid import UNNAMED_PARTY, CategoryRef, Grid, PartyRef, build_grid, validate


def report_list(*, organisation: Organisation) -> QuerySet[ParticipantReport]:
    return (
        ParticipantReport.objects.for_organisation(organisation)
        .select_related("project", "submitted_by")
        .order_by("-year", "project__name", "period_kind", "-period_number", "-version")
    )


def reports_for_project(*, project: Project) -> QuerySet[ParticipantReport]:
    return (
        ParticipantReport.objects.filter(project=project)
        .select_related("submitted_by", "created_by")
        .order_by("-year", "-period_number", "-version")
    )


def report_versions(*, report: ParticipantReport) -> QuerySet[ParticipantReport]:
    """Every version of the report's period, newest first."""
    return (
        ParticipantReport.objects.filter(
            project_id=report.project_id,
            period_kind=report.period_kind,
            year=report.year,
            period_number=report.period_number,
        )
        .select_related("submitted_by", "created_by")
        .order_by("-version")
    )


def latest_version_number(*, report: ParticipantReport) -> int:
    return report_versions(report=report).aggregate(top=Max("version"))["top"] or 0


def _lists_for(organisation_id: int, keys: list[str]) -> dict[str, CategoryList]:
    lists = CategoryList.objects.filter(organisation_id=organisation_id, key__in=keys).prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position", "pk"))
    )
    return {row.key: row for row in lists}


def _list_keys(project: Project) -> list[str]:
    return [CategoryList.Key.STRUCTURAL_ACTIVITY] if project.is_structural else list(INDIVIDUAL_SPLITS)


def report_grid(*, report: ParticipantReport) -> tuple[Grid, list[str]]:
    """The report's grid and the checks it fails (empty when it may be submitted). A constant number of
    queries: the counts, the lists with their categories and, for structural insatser, the parties."""
    project = report.project
    counts = list(ReportCount.objects.filter(report=report).select_related("category__category_list", "party"))
    values = {(row.key, row.gender): row.value for row in counts}
    keys = _list_keys(project)
    stored_by_list: dict[str, dict[int, CategoryRef]] = defaultdict(dict)
    stored_parties: dict[int, PartyRef] = {}
    for row in counts:
        if row.category_id is not None:
            category = row.category
            stored_by_list[category.category_list.key][category.pk] = CategoryRef(
                category.pk, row.label or category.label, category.age_from, category.age_to
            )
        if row.party_id is not None:
            stored_parties[row.party_id] = PartyRef(row.party_id, row.party.name)
        elif row.row == ReportCount.Row.STRUCTURAL:
            stored_parties[0] = PartyRef(0, UNNAMED_PARTY)
    lists = _lists_for(project.organisation_id, keys)
    spec = []
    age_refs: dict[int, CategoryRef] = {}
    for key in keys:
        category_list = lists.get(key)
        title = CategoryList.Key(key).label
        basis = category_list.basis if category_list else CategoryList.Basis.NONE
        if report.is_locked:
            refs = list(stored_by_list.get(key, {}).values())
            order = {c.pk: (c.position, c.pk) for c in category_list.categories.all()} if category_list else {}
            refs.sort(key=lambda ref: order.get(ref.id, (0, ref.id)))
        else:
            stored = stored_by_list.get(key, {})
            refs = [
                stored.get(c.pk) or CategoryRef(c.pk, c.label, c.age_from, c.age_to)
                for c in (category_list.categories.all() if category_list else [])
                if c.active or c.pk in stored
            ]
        if key == CategoryList.Key.AGE_GROUP:
            age_refs = {ref.id: ref for ref in refs}
        spec.append((key, title, basis, refs))
    parties = None
    if project.is_structural:
        if report.is_locked:
            parties = sorted(stored_parties.values(), key=lambda party: (party.id == 0, party.name))
        else:
            # Participants whose organisation is not known are counted too, on a row of their own.
            parties = [PartyRef(party.pk, party.name) for party in project.parties.all()] + [PartyRef(0, UNNAMED_PARTY)]
    grid = build_grid(structural=project.is_structural, lists=spec, values=values, parties=parties)
    return grid, validate(grid, age_refs=age_refs)


def report_file_marker(report: ParticipantReport) -> str:
    from .report_excel import file_marker

    return file_marker(
        project_id=report.project_id,
        period_kind=report.period_kind,
        year=report.year,
        period_number=report.period_number,
    )


def report_xlsx(*, report: ParticipantReport, blank: bool) -> tuple[bytes, str]:
    """The report as .xlsx (every version, submitted too), or a blank template to fill in: (bytes, file name)."""
    from django.utils.text import slugify

    from .report_excel import build_workbook

    grid, _ = report_grid(report=report)
    kind = "mall" if blank else f"version-{report.version}"
    title = f"Deltagarrapport {report.period_label} – {report.project.name}"
    if not blank:
        title += f" (version {report.version}, {report.get_status_display().lower()})"
    data = build_workbook(grid, title=title, marker=report_file_marker(report), blank=blank)
    name = slugify(f"deltagarrapport {report.project.short_name or report.project.name} {report.period_label} {kind}")
    return data, f"{name}.xlsx"
