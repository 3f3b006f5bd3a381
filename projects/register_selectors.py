"""Reads of the participant register (docs/decisions/0019): the list per insats, one participant's registerutdrag,
and the period report computed from the register by aggregation in the database.

The report is counted with conditional aggregation grouped by kön: one query for the base rows and every
category of the fields held on the record (age groups from födelseår), one for the activities; the query count
never grows with the register. The result is exactly the `values` dict `report_services.report_save_counts`
takes: (cell key, kön) -> count, with the förbund's own category keys (`cat:<id>`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from core.models import Organisation

from .categories import INDIVIDUAL_SPLITS
from .models import (
    GENDERS,
    CategoryList,
    Project,
    RegisterDisposal,
    RegisterParticipant,
    RegisterViewLog,
    period_bounds,
    period_label,
)
from .report_grid import category_key
from .report_selectors import _lists_for

Key = CategoryList.Key
Basis = CategoryList.Basis
# The record's field for each split the register holds (age group is computed from födelseår).
SPLIT_FIELDS = {
    Key.REFERRER: "referrer_id",
    Key.EDUCATION: "education_id",
    Key.INCOME_AT_ENTRY: "income_at_entry_id",
    Key.INCOME_AT_EXIT: "income_at_exit_id",
    Key.EXIT_REASON: "exit_reason_id",
}
UNKNOWN_PREFIX = "saknas"


def participant_list(*, project: Project, organisation: Organisation) -> QuerySet[RegisterParticipant]:
    """Code, kön, status and dates only: nothing on the list identifies or describes a person further."""
    return (
        RegisterParticipant.objects.for_organisation(organisation)
        .filter(project=project)
        .only("pk", "code", "gender", "consent", "enrolment_year", "enrolled_on", "exited_on", "project_id")
        .order_by("exited_on", "-enrolled_on", "code")
    )


def register_projects_summary(projects: QuerySet[Project], organisation: Organisation) -> list[dict]:
    rows = (
        RegisterParticipant.objects.for_organisation(organisation)
        .filter(project__in=projects)
        .values("project_id")
        .annotate(total=Count("pk"), active=Count("pk", filter=Q(exited_on__isnull=True)))
    )
    counts = {row["project_id"]: row for row in rows}
    return [
        {
            "project": project,
            "total": counts.get(project.pk, {}).get("total", 0),
            "active": counts.get(project.pk, {}).get("active", 0),
        }
        for project in projects.order_by("name")
    ]


def view_log(*, participant: RegisterParticipant) -> QuerySet[RegisterViewLog]:
    return RegisterViewLog.objects.filter(participant=participant).select_related("user").order_by("-viewed_at", "-pk")


def disposal_log(*, organisation: Organisation) -> QuerySet[RegisterDisposal]:
    return RegisterDisposal.objects.for_organisation(organisation).select_related("actor")


@dataclass
class RegisterCounts:
    """What the register yields for one period: the report's typed cells and the splits left unreported."""

    project: Project
    year: int
    period_number: int
    values: dict[tuple[str, str], int] = field(default_factory=dict)
    omitted: list[str] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        return period_label(self.project.report_period, self.year, self.period_number)

    def base(self, row: str) -> dict[str, int]:
        return {gender: self.values.get((row, gender), 0) for gender in GENDERS}


def _populations(project: Project, year: int, period_number: int) -> tuple[Q, Q, Q]:
    """(carried over, newly enrolled, exited) in the period. An anonymous participant (no dates, startår only)
    counts as nyinskriven in the first period of its startår and as inskriven vid periodens början in the later
    periods of that year; it is never counted as avslutad (its avslut is not kept)."""
    start, end = period_bounds(project.report_period, year, period_number)
    dated_carried = Q(enrolled_on__lt=start) & (Q(exited_on__isnull=True) | Q(exited_on__gte=start))
    dated_enrolled = Q(enrolled_on__gte=start, enrolled_on__lte=end)
    anonymous = Q(enrolled_on__isnull=True, enrolment_year=year)
    if start.month == 1:
        return dated_carried, dated_enrolled | anonymous, Q(exited_on__gte=start, exited_on__lte=end)
    return dated_carried | anonymous, dated_enrolled, Q(exited_on__gte=start, exited_on__lte=end)


def register_report_counts(*, project: Project, year: int, period_number: int = 1) -> RegisterCounts:
    """The period's report computed from the register in the database. Splits every active (or avslutad)
    participant has a value for are counted; a participant without one counts in the list's "Saknas/okänd" row
    when the list has one; otherwise the split is left unreported ("ej redovisad") and named in `omitted`, so the
    report never holds a split that does not add up."""
    carried_q, enrolled_q, exited_q = _populations(project, year, period_number)
    active_q = carried_q | enrolled_q
    lists = _lists_for(project.organisation_id, list(INDIVIDUAL_SPLITS))
    aggregates = {
        "carried_over": Count("pk", filter=carried_q),
        "enrolled": Count("pk", filter=enrolled_q),
        "exited": Count("pk", filter=exited_q),
    }
    categories: dict[str, list] = {}
    for key in INDIVIDUAL_SPLITS:
        category_list = lists.get(key)
        categories[key] = [c for c in category_list.categories.all() if c.active] if category_list else []
    for category in categories[Key.AGE_GROUP]:
        # Age at inskrivning: the year of inskrivning minus födelseår, within the age group's bounds.
        age_q = Q(enrolled_on__isnull=False, birth_year__isnull=False)
        if category.age_to is not None:
            age_q &= Q(birth_year__gte=_year_expr(-category.age_to))
        if category.age_from is not None:
            age_q &= Q(birth_year__lte=_year_expr(-category.age_from))
        aggregates[f"age_{category.pk}"] = Count("pk", filter=active_q & age_q)
    for key, field_name in SPLIT_FIELDS.items():
        population = exited_q if lists.get(key) and lists[key].basis == Basis.EXITED else active_q
        for category in categories[key]:
            aggregates[f"{key}_{category.pk}"] = Count("pk", filter=population & Q(**{field_name: category.pk}))
    participants = RegisterParticipant.objects.filter(project=project, organisation=project.executor_organisation_id)
    rows = {
        row["gender"]: row for row in participants.filter(active_q | exited_q).values("gender").annotate(**aggregates)
    }
    activity_rows = (
        participants.filter(active_q, activities__in=[c.pk for c in categories[Key.ACTIVITY]])
        .values("gender", "activities")
        .annotate(n=Count("pk", distinct=True))
    )
    counts = RegisterCounts(project=project, year=year, period_number=period_number)
    values = counts.values
    for gender in GENDERS:
        row = rows.get(gender, {})
        for base in ("carried_over", "enrolled", "exited"):
            values[(base, gender)] = row.get(base, 0)
    for key in INDIVIDUAL_SPLITS:
        if key == Key.ACTIVITY:
            continue
        category_list = lists.get(key)
        if category_list is None:
            continue
        prefix = "age" if key == Key.AGE_GROUP else key
        cells = {
            (category_key(c.pk), gender): rows.get(gender, {}).get(f"{prefix}_{c.pk}", 0)
            for c in categories[key]
            for gender in GENDERS
        }
        if not _complete(counts, category_list, categories[key], cells):
            if any(cells.values()):
                counts.omitted.append(CategoryList.Key(key).label)
            continue
        values.update(cells)
    for row in activity_rows:
        values[(category_key(row["activities"]), row["gender"])] = row["n"]
    return counts


def _year_expr(offset: int):
    """The year of inskrivning plus `offset`, in the database: birth_year compared with it gives the age."""
    from django.db.models import F
    from django.db.models.functions import ExtractYear

    return ExtractYear(F("enrolled_on")) + offset


def _complete(counts: RegisterCounts, category_list, categories, cells: dict) -> bool:
    """Whether the split adds up per kön; a shortfall goes to the list's "Saknas/okänd" row when it has one."""
    basis = counts.base("exited") if category_list.basis == Basis.EXITED else _active(counts)
    unknown = next((c for c in categories if c.label.lower().startswith(UNKNOWN_PREFIX)), None)
    for gender in GENDERS:
        total = sum(value for (key, g), value in cells.items() if g == gender)
        missing = basis[gender] - total
        if missing and unknown is not None and missing > 0:
            cells[(category_key(unknown.pk), gender)] += missing
        elif missing:
            return False
    return True


def _active(counts: RegisterCounts) -> dict[str, int]:
    carried, enrolled = counts.base("carried_over"), counts.base("enrolled")
    return {gender: carried[gender] + enrolled[gender] for gender in GENDERS}


def participant_extract(*, participant: RegisterParticipant) -> dict:
    """Everything held on one participant: the record, its activities, its change history and its view log."""
    participant = (
        RegisterParticipant.objects.select_related(
            "project", "organisation", "referrer", "education", "income_at_entry", "income_at_exit", "exit_reason"
        )
        .prefetch_related("activities")
        .get(pk=participant.pk)
    )
    history = list(
        RegisterParticipant.history.filter(id=participant.pk)
        .select_related("history_user", "referrer", "education", "income_at_entry", "income_at_exit", "exit_reason")
        .order_by("history_date", "history_id")
    )
    return {"participant": participant, "history": history, "views": list(view_log(participant=participant))}
