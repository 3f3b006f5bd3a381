"""Reads for budgets: the list per year, the grid with totals per kontoklass, and the Excel export.

Totals are computed here from the lines, never typed. Query counts do not grow with the number of lines.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from core.models import Organisation

from .budget_services import HEADERS, MONTHS
from .models import Budget, BudgetLine, BudgetMonth, FiscalYear

ZERO = Decimal(0)


def budget_list(*, organisation: Organisation) -> QuerySet[Budget]:
    return (
        Budget.objects.for_organisation(organisation)
        .select_related("fiscal_year")
        .order_by("-fiscal_year__start", "-number")
    )


def years_without_budget(*, organisation: Organisation) -> QuerySet[FiscalYear]:
    return FiscalYear.objects.for_organisation(organisation).filter(budgets__isnull=True).order_by("-start")


@dataclass
class GridLine:
    line: BudgetLine
    months: list[Decimal]


@dataclass
class GridGroup:
    code: str
    name: str
    lines: list[GridLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((g.line.amount for g in self.lines), ZERO)

    @property
    def month_totals(self) -> list[Decimal]:
        return [sum((g.months[i] for g in self.lines), ZERO) for i in range(MONTHS)]


@dataclass
class BudgetGrid:
    budget: Budget
    groups: list[GridGroup]

    @property
    def lines(self) -> list[GridLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def total(self) -> Decimal:
        return sum((g.total for g in self.groups), ZERO)

    @property
    def month_totals(self) -> list[Decimal]:
        return [sum((g.month_totals[i] for g in self.groups), ZERO) for i in range(MONTHS)]

    @property
    def income(self) -> Decimal:
        return sum((g.line.amount for g in self.lines if g.line.account.kind == "income"), ZERO)

    @property
    def expense(self) -> Decimal:
        return sum((g.line.amount for g in self.lines if g.line.account.kind == "expense"), ZERO)

    @property
    def result(self) -> Decimal:
        """Budgeted result, surplus positive (intäkter are negative in the ledger's sign)."""
        return -(self.income + self.expense)


def budget_lines(budget: Budget) -> QuerySet[BudgetLine]:
    return (
        budget.lines.select_related("account__group", "dimension_object__dimension")
        .prefetch_related(Prefetch("months", queryset=BudgetMonth.objects.order_by("month")))
        .order_by("account__code", "dimension_object__code", "pk")
    )


def budget_grid(*, budget: Budget) -> BudgetGrid:
    """Lines grouped by kontoklass (the account's group, else the first digit of its number)."""
    groups: dict[str, GridGroup] = {}
    for line in budget_lines(budget):
        account = line.account
        if account.group is not None:
            key, name = account.group.code, account.group.name
        else:
            key, name = account.code[:1], f"Kontoklass {account.code[:1]}"
        months = [m.amount for m in line.months.all()] or [ZERO] * MONTHS
        groups.setdefault(key, GridGroup(key, name)).lines.append(GridLine(line, months))
    return BudgetGrid(budget, [groups[k] for k in sorted(groups)])


def budget_workbook(*, budget: Budget) -> bytes:
    """The budget as the Excel template the import reads: one row per line, the annual amount and twelve months."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    grid = budget_grid(budget=budget)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Budget"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for item in grid.lines:
        line = item.line
        sheet.append(
            [
                line.account.code,
                line.account.name,
                line.dimension_object.code if line.dimension_object else None,
                line.amount,
                *item.months,
            ]
        )
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=len(HEADERS)):
        for cell in row:
            cell.number_format = "# ##0.00"
    sheet.column_dimensions["B"].width = 32
    sheet.freeze_panes = "D2"
    info = workbook.create_sheet("Om filen")
    info.append([str(budget)])
    info.append(["Belopp med bokföringens tecken: intäkter negativa, kostnader positiva."])
    info.append(["Lämna månaderna tomma för jämn fördelning; fylls de i ska de summera till årsbeloppet."])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
