"""What the årsredovisning reads from projects: each insats and its participants in one year, from the submitted
participant reports only (a draft is not a figure anyone stands behind). Counts, never people.

The latest submitted version of each period counts; a year reported in several periods adds the periods up
(participants = those carried over into the first period + everyone enrolled during the year; avslutade = those
exited in each period). A constant number of queries however many insatser and reports there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from core.models import Organisation

from .models import GENDERS, CategoryList, Gender, ParticipantReport, Project, ReportCount

Row = ReportCount.Row


@dataclass
class InsatsYear:
    project: Project
    participants: dict[str, int] = field(default_factory=dict)  # per kön
    exited: dict[str, int] = field(default_factory=dict)
    exit_income: list[tuple[str, int]] = field(default_factory=list)  # försörjning vid avslut: (label, total)
    structural_total: int = 0

    @property
    def participants_total(self) -> int:
        return sum(self.participants.values())

    @property
    def exited_total(self) -> int:
        return sum(self.exited.values())


@dataclass
class YearStatistics:
    insatser: list[InsatsYear]

    def _sum(self, attribute: str) -> dict[str, int]:
        return {g: sum(getattr(i, attribute).get(g, 0) for i in self.insatser) for g in GENDERS}

    @property
    def participants(self) -> dict[str, int]:
        return self._sum("participants")

    @property
    def exited(self) -> dict[str, int]:
        return self._sum("exited")

    @property
    def participants_total(self) -> int:
        return sum(self.participants.values())

    @property
    def exited_total(self) -> int:
        return sum(self.exited.values())

    @property
    def individual(self) -> list[InsatsYear]:
        return [i for i in self.insatser if not i.project.is_structural]

    @property
    def structural(self) -> list[InsatsYear]:
        return [i for i in self.insatser if i.project.is_structural]

    @property
    def exit_income(self) -> list[tuple[str, int]]:
        totals: dict[str, int] = {}
        for insats in self.individual:
            for label, value in insats.exit_income:
                totals[label] = totals.get(label, 0) + value
        return list(totals.items())


def submitted_year_statistics(*, organisation: Organisation, year: int) -> YearStatistics:
    """Every insats with a submitted report for `year`, with its counts; empty when there are none."""
    reports = list(
        ParticipantReport.objects.for_organisation(organisation)
        .filter(year=year, status=ParticipantReport.Status.SUBMITTED)
        .select_related("project")
        .order_by("project__name", "project_id", "period_kind", "period_number", "-version")
    )
    latest: dict[tuple, ParticipantReport] = {}
    for report in reports:
        latest.setdefault((report.project_id, report.period_kind, report.period_number), report)
    if not latest:
        return YearStatistics(insatser=[])
    counts = ReportCount.objects.filter(report__in=list(latest.values())).select_related("category__category_list")
    by_report: dict[int, list[ReportCount]] = defaultdict(list)
    for count in counts:
        by_report[count.report_id].append(count)
    insatser: dict[int, InsatsYear] = {}
    first_period: dict[int, int] = {}
    incomes: dict[int, dict[str, int]] = defaultdict(dict)
    for (project_id, _kind, number), report in sorted(latest.items(), key=lambda item: item[0][2]):
        insats = insatser.setdefault(
            project_id, InsatsYear(project=report.project, participants=dict.fromkeys(GENDERS, 0))
        )
        insats.exited = insats.exited or dict.fromkeys(GENDERS, 0)
        first = first_period.setdefault(project_id, number) == number
        for count in by_report[report.pk]:
            gender = Gender(count.gender)
            if count.row == Row.ENROLLED or (count.row == Row.CARRIED_OVER and first):
                insats.participants[gender] += count.value
            elif count.row == Row.EXITED:
                insats.exited[gender] += count.value
            elif count.row == Row.STRUCTURAL:
                insats.structural_total += count.value
            elif (
                count.row == Row.CATEGORY
                and count.category_id is not None
                and count.category.category_list.key == CategoryList.Key.INCOME_AT_EXIT
                and count.value
            ):
                label = count.label or count.category.label
                incomes[project_id][label] = incomes[project_id].get(label, 0) + count.value
    for project_id, insats in insatser.items():
        insats.exit_income = list(incomes[project_id].items())
    return YearStatistics(insatser=sorted(insatser.values(), key=lambda i: (i.project.name, i.project.pk)))
