"""Registreringsunderlag för Uppföljning Finsam: per year, the figures the förbund types into the national
system, in its order (docs/decisions/0021-statistics-and-registreringsunderlag.md).

1. Individinriktade insatser: inriktning, preciserad inriktning, målgrupp, budgeterat antal deltagare, deltagare
   by kön (aktiva during the year, from submitted reports only), budget and utfall.
2. Strukturövergripande insatser: the same, with their participants per activity and organisation by kön.
3. Ekonomi: tilldelade medel (medlemsbidrag with its split), eget kapital, budget and utfall for administration
   and per insats.

Finance is read in one function, `finance_figures`, through finance's own selectors; what finance does not have
is None and the page says "saknas". A constant number of queries whatever the number of insatser.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from core.models import Organisation

from .models import GENDERS, Category, Gender, ParticipantReport, Project, SubProject
from .statistics_selectors import Selection, base_figures, current_reports, report_years, structural_figures, zero

ZERO = Decimal(0)
# Kontoklass 5–7 (lokaler, övriga externa kostnader, personal) is the förbund's own administration: kansli and
# styrelse in the samordningsförbund kontoplan. Kontoklass 4 is the insatser, 8 the financial items.
ADMINISTRATION_CLASSES = ("5", "6", "7")
INCLUDED_STATUSES = (Project.Status.GRANTED, Project.Status.ONGOING, Project.Status.FINISHED)


@dataclass
class ProjectMoney:
    budget: Decimal | None = None
    outcome: Decimal | None = None
    codes: list[str] = field(default_factory=list)


@dataclass
class FinanceFigures:
    fiscal_year: object | None = None
    allocated: Decimal | None = None
    contributions: list = field(default_factory=list)  # finance.contributions.ContributionPart
    equity_opening: Decimal | None = None
    equity_result: Decimal | None = None
    equity_closing: Decimal | None = None
    equity_maximum: Decimal | None = None
    budget_label: str = ""
    admin_budget: Decimal | None = None
    admin_outcome: Decimal | None = None
    insatser_budget: Decimal | None = None
    insatser_outcome: Decimal | None = None
    per_project: dict[int, ProjectMoney] = field(default_factory=dict)

    def money(self, project: Project) -> ProjectMoney:
        return self.per_project.get(project.pk, ProjectMoney())


@dataclass
class UnderlagRow:
    project: Project
    target_groups: list[str]
    reported: bool
    participants: dict[str, int]
    structural: list[tuple[str, str, dict[str, int]]]  # activity, organisation, kön
    money: ProjectMoney

    @property
    def participants_total(self) -> int:
        return sum(self.participants.values())

    @property
    def participant_list(self) -> list[int]:
        return [self.participants[gender] for gender in GENDERS]


@dataclass
class Underlag:
    year: int
    individual: list[UnderlagRow]
    structural: list[UnderlagRow]
    finance: FinanceFigures

    def _sum(self, rows: list[UnderlagRow]) -> dict[str, int]:
        return {gender: sum(row.participants[gender] for row in rows) for gender in GENDERS}

    @property
    def individual_totals(self) -> dict[str, int]:
        return self._sum(self.individual)

    @property
    def structural_totals(self) -> dict[str, int]:
        return self._sum(self.structural)

    @property
    def structural_detail(self) -> list[tuple[str, str, str, list[int], int]]:
        """(insats, activity, organisation, cells in kön order, total) of every strukturövergripande row."""
        return [
            (row.project.name, activity, party, [counts[g] for g in GENDERS], sum(counts.values()))
            for row in self.structural
            for activity, party, counts in row.structural
        ]

    @property
    def finance_rows(self) -> list[tuple[str, Decimal | None]]:
        """The financial part in the national system's order; None is "saknas"."""
        f = self.finance
        rows = [("Tilldelade medel (medlemsbidrag)", f.allocated)]
        rows += [(f"varav {part.name}", part.amount) for part in f.contributions]
        rows += [
            ("Eget kapital vid årets början", f.equity_opening),
            ("Årets resultat", f.equity_result),
            ("Eget kapital vid årets slut", f.equity_closing),
            ("Budget för administration", f.admin_budget),
            ("Utfall för administration", f.admin_outcome),
            ("Budget för insatser totalt", f.insatser_budget),
            ("Utfall för insatser totalt", f.insatser_outcome),
        ]
        return rows

    @property
    def budgeted_total(self) -> int | None:
        values = [row.project.budgeted_participants for row in self.individual if row.project.budgeted_participants]
        return sum(values) if values else None


def underlag_years(*, organisation: Organisation) -> list[int]:
    """Years with submitted reports or a fiscal year, newest first."""
    from finance import selectors as ledger

    years = set(report_years(projects=Project.objects.for_organisation(organisation)))
    years |= {fy.start.year for fy in ledger.fiscal_year_list(organisation=organisation).only("start")}
    return sorted(years, reverse=True)


def _projects(organisation: Organisation, year: int) -> list[Project]:
    """Insatser with a submitted report for the year, and those running during it without one."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    running = (
        Q(status__in=INCLUDED_STATUSES)
        & (Q(starts_on__isnull=True) | Q(starts_on__lte=last))
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))
    )
    reported = Q(
        pk__in=ParticipantReport.objects.filter(
            project__organisation=organisation, year=year, status=ParticipantReport.Status.SUBMITTED
        ).values("project_id")
    )
    return list(
        Project.objects.for_organisation(organisation)
        .filter(running | reported)
        .prefetch_related(
            Prefetch("target_groups", queryset=Category.objects.order_by("position", "pk")),
            Prefetch("sub_projects", queryset=SubProject.objects.order_by("code")),
        )
        .order_by("name", "pk")
    )


def finance_figures(*, organisation: Organisation, year: int, projects: list[Project]) -> FinanceFigures:
    """The financial part, read through finance's selectors; the one place projects reads finance.

    An insats's money is the ledger's and the budget's projekt dimension objects whose code is one of the
    insats's delprojekt codes or its short name (AMT, MYSAM …). Budget: the newest fastställd version of the
    year. Administration: kostnader on kontoklass 5–7. Anything finance does not hold stays None ("saknas").
    """
    from finance import budget_selectors, contribution_selectors, equity_selectors
    from finance import selectors as ledger
    from finance.models import AccountKind, Budget, Dimension

    figures = FinanceFigures()
    fiscal_year = ledger.fiscal_year_list(organisation=organisation).filter(start__year=year).first()
    if fiscal_year is None:
        return figures
    figures.fiscal_year = fiscal_year
    for row in equity_selectors.equity_rows(organisation=organisation):
        if row.fiscal_year.pk == fiscal_year.pk:
            figures.allocated = row.allocated
            figures.equity_opening, figures.equity_result = row.opening, row.result
            figures.equity_closing, figures.equity_maximum = row.closing, row.maximum
    allocation = contribution_selectors.allocation_for(fiscal_year=fiscal_year)
    if allocation is not None:
        figures.contributions = contribution_selectors.split(allocation)
        figures.allocated = figures.allocated if figures.allocated is not None else allocation.total

    codes = {}
    for project in projects:
        wanted = {sub.code.upper() for sub in project.sub_projects.all()}
        if project.short_name:
            wanted.add(project.short_name.upper())
        codes[project.pk] = wanted
    figures.per_project = {project.pk: ProjectMoney() for project in projects}

    def owner(code: str) -> int | None:
        return next((pk for pk, wanted in codes.items() if code.upper() in wanted), None)

    def admin(account) -> bool:
        return account.kind == AccountKind.EXPENSE and account.code[:1] in ADMINISTRATION_CLASSES

    def insats(account) -> bool:
        return account.kind == AccountKind.EXPENSE and account.code[:1] == "4"

    summary = ledger.fiscal_year_summary(organisation=organisation, fiscal_year=fiscal_year)
    if any(row.entry_count for row in summary.rows):
        figures.admin_outcome = sum((row.movement for row in summary.rows if admin(row.account)), ZERO)
        figures.insatser_outcome = sum((row.movement for row in summary.rows if insats(row.account)), ZERO)
        for dimension in ledger.dimension_list(organisation=organisation, fiscal_year=fiscal_year):
            if dimension.kind != Dimension.Kind.PROJECT:
                continue
            for item in dimension.items.all():
                pk = owner(item.code)
                if pk is not None and item.row_count:
                    money = figures.per_project[pk]
                    money.outcome = (money.outcome or ZERO) + (item.total or ZERO)
                    money.codes.append(item.code)

    budget = (
        budget_selectors.budget_list(organisation=organisation)
        .filter(fiscal_year=fiscal_year, status=Budget.Status.ADOPTED)
        .order_by("-number")
        .first()
    )
    if budget is not None:
        figures.budget_label = f"{budget.version_label}, fastställd"
        if budget.adopted_on:
            figures.budget_label += f" {budget.adopted_on.isoformat()}"
        admin_budget, insatser_budget = ZERO, ZERO
        for line in budget_selectors.budget_lines(budget):
            if admin(line.account):
                admin_budget += line.amount
            if insats(line.account):
                insatser_budget += line.amount
            item = line.dimension_object
            if item is not None and item.dimension.kind == Dimension.Kind.PROJECT:
                pk = owner(item.code)
                if pk is not None:
                    money = figures.per_project[pk]
                    money.budget = (money.budget or ZERO) + line.amount
                    if item.code not in money.codes:
                        money.codes.append(item.code)
        figures.admin_budget, figures.insatser_budget = admin_budget, insatser_budget
    return figures


def underlag(*, organisation: Organisation, year: int) -> Underlag:
    projects = _projects(organisation, year)
    rows = Project.objects.filter(pk__in=[project.pk for project in projects])
    selection = Selection(year, year)
    current = current_reports(projects=rows, selection=selection)
    base = base_figures(current=current)
    structural: dict[int, list[tuple[str, str, dict[str, int]]]] = {}
    labels = {category.pk: category.label for project in projects for category in project.target_groups.all()}
    cells: dict[tuple[int, int | None, str], dict[str, int]] = {}
    structural_rows = structural_figures(current=current)
    activity_ids = {row["category_id"] for row in structural_rows}
    activities = dict(Category.objects.filter(pk__in=activity_ids).values_list("pk", "label")) if activity_ids else {}
    for row in structural_rows:
        if not row["total"]:
            continue
        key = (row["report__project_id"], row["category_id"], row["party__name"] or "Organisation ej angiven")
        cells.setdefault(key, zero())[row["gender"]] += row["total"] or 0
    for (project_id, category_id, party), counts in sorted(
        cells.items(), key=lambda item: (item[0][0], item[0][1] or 0)
    ):
        structural.setdefault(project_id, []).append((activities.get(category_id, "–"), party, counts))
    finance = finance_figures(organisation=organisation, year=year, projects=projects)
    found = base.found()
    individual, structural_list = [], []
    for project in projects:
        key = (project.pk, year)
        if project.is_structural:
            project_cells = structural.get(project.pk, [])
            participants = zero()
            for _activity, _party, counts in project_cells:
                for gender in GENDERS:
                    participants[gender] += counts[gender]
            reported = bool(project_cells)
        else:
            project_cells = []
            participants = base.active(key)
            reported = key in found
        row = UnderlagRow(
            project=project,
            target_groups=[labels.get(c.pk, c.label) for c in project.target_groups.all()],
            reported=reported,
            participants=participants,
            structural=project_cells,
            money=finance.money(project),
        )
        (structural_list if project.is_structural else individual).append(row)
    return Underlag(year=year, individual=individual, structural=structural_list, finance=finance)


def underlag_workbook(*, underlag: Underlag, organisation_name: str) -> bytes:
    """The registreringsunderlag as Excel, in the page's order; "saknas" where finance has no figure."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    genders = [Gender(g).label for g in GENDERS]

    def money(value: Decimal | None):
        return "saknas" if value is None else value

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Insatser"
    headers = [
        "Insats",
        "Inriktning",
        "Preciserad inriktning",
        "Målgrupp",
        "Budgeterat antal deltagare",
        *[f"Deltagare, {label.lower()}" for label in genders],
        "Deltagare totalt",
        "Budget (kr)",
        "Utfall (kr)",
    ]
    sheet.append([f"Registreringsunderlag för Uppföljning Finsam {underlag.year}, {organisation_name}"])
    sheet["A1"].font = bold
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[3]:
        cell.font = bold
    for row in [*underlag.individual, *underlag.structural]:
        sheet.append(
            [
                row.project.name,
                row.project.get_orientation_display(),
                row.project.specified_orientation,
                "; ".join(row.target_groups),
                row.project.budgeted_participants,
                *([row.participants[g] for g in GENDERS] if row.reported else ["ingen inlämnad rapport", None, None]),
                row.participants_total if row.reported else None,
                money(row.money.budget),
                money(row.money.outcome),
            ]
        )
    sheet.column_dimensions["A"].width = 36
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 30

    sheet = workbook.create_sheet("Strukturövergripande")
    sheet.append(["Insats", "Aktivitet", "Organisation", *genders, "Totalt"])
    for cell in sheet[1]:
        cell.font = bold
    for row in underlag.structural:
        for activity, party, counts in row.structural:
            sheet.append([row.project.name, activity, party, *[counts[g] for g in GENDERS], sum(counts.values())])
    for letter in "ABC":
        sheet.column_dimensions[letter].width = 32

    finance = underlag.finance
    sheet = workbook.create_sheet("Ekonomi")
    sheet.append(["Post", "Belopp (kr)"])
    for cell in sheet[1]:
        cell.font = bold
    for label, value in underlag.finance_rows:
        sheet.append([label, money(value)])
    sheet.append([])
    sheet.append([f"Budget: {finance.budget_label or 'ingen fastställd budget för året'}"])
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 18
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "# ##0"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
