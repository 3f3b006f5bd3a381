"""Reads for goals and NNS indicator results: each goal's progress computed from submitted reports only.

Progress counts the newest submitted version of each period (a draft or a superseded version never counts)
whose period ends on or before the goal's deadline. Figures add up over the periods: nyinskrivna, avslutade and
category rows are summed; aktiva is the first period's inskrivna vid periodens början plus every period's
nyinskrivna (a participant active in two periods is counted once). Constant queries: the goals with their
assessments (two), the submitted reports (one) and their figures, summed in the database (one).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Sum

from core.models import Role, User

from .categories import INDIVIDUAL_SPLITS
from .models import Category, Goal, GoalAssessment, IndicatorResult, ParticipantReport, Project, ReportCount

Row = ReportCount.Row
# The grid rows a goal can be measured on besides the categories: typed base rows and the computed aktiva.
BASE_TARGETS = {
    "active": "Aktiva deltagare",
    str(Row.ENROLLED): Row.ENROLLED.label,
    str(Row.EXITED): Row.EXITED.label,
}


@dataclass
class GoalProgress:
    goal: Goal
    sub_goals: list[GoalProgress] = field(default_factory=list)
    value: Decimal | None = None  # the measured figure (a count, or a share in %)
    numerator: int | None = None
    denominator: int | None = None
    reports: int = 0

    @property
    def measurable(self) -> bool:
        return self.goal.is_measurable

    @property
    def percent_of_target(self) -> int:
        """How far towards the target, 0–100, for the progress bar."""
        if self.value is None or not self.goal.target_value:
            return 100 if self.value is not None else 0
        return int(min(Decimal(100), self.value / self.goal.target_value * 100))

    @property
    def reached(self) -> bool:
        return self.value is not None and self.goal.target_value is not None and self.value >= self.goal.target_value

    @property
    def assessments(self) -> list[GoalAssessment]:
        return list(self.goal.assessments.all())


def _latest_submitted(project: Project, until: dt.date | None = None) -> list[ParticipantReport]:
    reports = ParticipantReport.objects.filter(project=project, status=ParticipantReport.Status.SUBMITTED).only(
        "pk", "period_kind", "year", "period_number", "version"
    )
    newest: dict[tuple, ParticipantReport] = {}
    for report in reports:
        period = (report.period_kind, report.year, report.period_number)
        if period not in newest or report.version > newest[period].version:
            newest[period] = report
    return sorted(newest.values(), key=lambda r: r.period_start)


def _figure(key: str, reports: list[ParticipantReport], sums: dict[tuple[int, str], int], until) -> int:
    included = [r for r in reports if until is None or r.period_end <= until]
    if key == "active":
        if not included:
            return 0
        first = sums.get((included[0].pk, str(Row.CARRIED_OVER)), 0)
        return first + sum(sums.get((r.pk, str(Row.ENROLLED)), 0) for r in included)
    return sum(sums.get((r.pk, key), 0) for r in included)


def goal_progress(*, project: Project) -> list[GoalProgress]:
    """The insats's mål in order, each with its delmål, and the progress of every measurable one."""
    goals = list(
        Goal.objects.filter(project=project)
        .prefetch_related(Prefetch("assessments", queryset=GoalAssessment.objects.select_related("assessed_by")))
        .order_by("position", "pk")
    )
    if not goals:
        return []
    reports = _latest_submitted(project)
    sums: dict[tuple[int, str], int] = defaultdict(int)
    if reports and any(goal.is_measurable for goal in goals):
        rows = (
            ReportCount.objects.filter(report__in=[r.pk for r in reports])
            .values("report_id", "key")
            .annotate(total=Sum("value"))
        )
        for row in rows:
            sums[(row["report_id"], row["key"])] = row["total"] or 0
    progress = {goal.pk: GoalProgress(goal) for goal in goals}
    for item in progress.values():
        goal = item.goal
        if not goal.is_measurable:
            continue
        item.reports = len([r for r in reports if goal.deadline is None or r.period_end <= goal.deadline])
        numerator = _figure(goal.target_key, reports, sums, goal.deadline)
        item.numerator = numerator
        if goal.comparison == Goal.Comparison.SHARE:
            denominator = _figure(goal.base_key, reports, sums, goal.deadline) if goal.base_key else 0
            item.denominator = denominator
            if denominator:
                item.value = (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)
        else:
            item.value = Decimal(numerator)
    top: list[GoalProgress] = []
    for goal in goals:
        if goal.parent_id and goal.parent_id in progress:
            progress[goal.parent_id].sub_goals.append(progress[goal.pk])
        else:
            top.append(progress[goal.pk])
    return top


@dataclass
class IndicatorTrend:
    years: list[int]
    rows: list[tuple[str, list[IndicatorResult | None]]]


def indicator_trend(*, project: Project) -> IndicatorTrend:
    """NNS indicator results as a table: one row per indicator, one column per year (one query)."""
    results = list(IndicatorResult.objects.filter(project=project).order_by("indicator", "year"))
    years = sorted({row.year for row in results})
    by_indicator: dict[str, dict[int, IndicatorResult]] = defaultdict(dict)
    for row in results:
        by_indicator[row.indicator][row.year] = row
    rows = [(name, [values.get(year) for year in years]) for name, values in sorted(by_indicator.items())]
    return IndicatorTrend(years, rows)


def target_choices(*, project: Project) -> list[tuple[str, str]]:
    """The grid rows a goal of this insats can be measured on: aktiva, nyinskrivna, avslutade and every
    category of the individual splits (activities, avslutsorsak, försörjning …)."""
    choices = list(BASE_TARGETS.items())
    categories = (
        Category.objects.filter(
            category_list__organisation_id=project.organisation_id, category_list__key__in=list(INDIVIDUAL_SPLITS)
        )
        .select_related("category_list")
        .order_by("category_list__position", "position", "pk")
    )
    choices += [(f"cat:{c.pk}", f"{c.category_list.name}: {c.label}") for c in categories]
    return choices


def staff_candidates(*, project: Project):
    """Users holding the deltagaransvarig role in the insats's organisation."""
    return (
        User.objects.filter(
            role_assignments__organisation_id=project.organisation_id,
            role_assignments__role=Role.PARTICIPANT_OFFICER,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
