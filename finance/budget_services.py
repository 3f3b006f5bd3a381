"""Writes for budgets: versions, lines, the monthly distribution, fastställande and the Excel import.

Every write locks the budget row and refuses a fastställd budget; each saved row leaves its simple-history row
with the actor. Amounts are Decimal throughout; the twelve months of a line always sum exactly to its annual
amount (largest-remainder rounding to whole kronor, or to öre when the amount has öre).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from core.models import Organisation, User

from .locks import refuse_if_year_locked
from .models import Account, Budget, BudgetLine, BudgetMonth, DimensionObject, FiscalYear, LedgerEntry

ZERO = Decimal(0)
MONTHS = 12
LOCKED = "Budgeten är fastställd och kan inte ändras. Gör en reviderad version i stället."
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec")
HEADERS = ("Konto", "Kontonamn", "Objekt", "Årsbelopp", *MONTH_NAMES)


# Distribution (pure) ----------------------------------------------------------------------------------------


def distribute(total: Decimal, weights: Sequence[Decimal] | None = None) -> list[Decimal]:
    """Split `total` over len(weights) (default 12 equal) parts that sum exactly to it.

    Largest remainder: each part gets its share rounded down to whole kronor (öre when the total has öre), and
    the units left over go to the parts with the largest remainders (the earliest first on a tie). Weights are
    non-negative; all-zero weights mean an even split.
    """
    total = Decimal(total)
    weights = [Decimal(w) for w in (weights if weights is not None else [1] * MONTHS)]
    if not weights:
        raise ValueError("at least one part")
    if any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")
    if sum(weights) == 0:
        weights = [Decimal(1)] * len(weights)
    unit = Decimal(1) if total == total.to_integral_value() else Decimal("0.01")
    sign = -1 if total < 0 else 1
    units = int((abs(total) / unit).to_integral_value())
    weight_sum = sum(weights)
    exact = [Decimal(units) * w / weight_sum for w in weights]
    floors = [int(x.to_integral_value(rounding=ROUND_FLOOR)) for x in exact]
    left = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [sign * Decimal(n) * unit for n in floors]


def previous_year(fiscal_year: FiscalYear) -> FiscalYear | None:
    return (
        FiscalYear.objects.filter(organisation_id=fiscal_year.organisation_id, start__lt=fiscal_year.start)
        .order_by("-start")
        .first()
    )


def last_year_patterns(budget: Budget) -> dict[tuple[int, int | None], list[Decimal]]:
    """(account id, dimension object id or None) -> the previous fiscal year's utfall per month (12 values).

    One query for the whole budget: utfall from the imported ledger's transaktioner, per month of that year.
    """
    year = previous_year(budget.fiscal_year)
    if year is None:
        return {}
    patterns: dict[tuple[int, int | None], list[Decimal]] = {}
    entries = LedgerEntry.objects.filter(fiscal_year=year).annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
    per_account = entries.values("account_id", "y", "m").annotate(total=Sum("amount")).order_by()
    per_object = (
        entries.filter(dimension_objects__isnull=False)
        .values("account_id", "dimension_objects", "y", "m")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for rows, object_key in ((per_account, None), (per_object, "dimension_objects")):
        for row in rows:
            index = (row["y"] - year.start.year) * 12 + row["m"] - year.start.month
            if 0 <= index < MONTHS:
                key = (row["account_id"], row[object_key] if object_key else None)
                patterns.setdefault(key, [ZERO] * MONTHS)[index] += row["total"]
    return patterns


def pattern_weights(amount: Decimal, pattern: list[Decimal] | None) -> list[Decimal] | None:
    """Months moving the same way as the annual amount; None (even) when last year has nothing usable."""
    if not pattern:
        return None
    sign = -1 if amount < 0 else 1
    weights = [max(ZERO, sign * value) for value in pattern]
    return weights if sum(weights) > 0 else None


LIMIT = Decimal(10) ** 13  # MONEY: 15 digits, 2 of them decimals


def amount_problem(amount: Decimal) -> str:
    """Why an amount cannot be stored (lower case, no full stop), or ""."""
    if not amount.is_finite() or abs(amount) >= LIMIT:
        return "beloppet är för stort (högst 13 siffror före decimalkommat)"
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        return "beloppet får ha högst två decimaler"
    return ""


def _check_amount(amount: Decimal, field: str = "amount") -> None:
    problem = amount_problem(amount)
    if problem:
        raise ValidationError({field: problem[:1].upper() + problem[1:] + "."})


# Writes -----------------------------------------------------------------------------------------------------


def _save(row, actor: User):
    row._history_user = actor
    row.save()
    return row


def _lock(budget: Budget) -> Budget:
    budget = Budget.objects.select_for_update().select_related("fiscal_year").get(pk=budget.pk)
    refuse_if_year_locked(fiscal_year=budget.fiscal_year, what="budgeten")
    if budget.is_locked:
        raise ValidationError(LOCKED)
    return budget


def _write_months(line: BudgetLine, amounts: Sequence[Decimal], actor: User, *, existing=None) -> None:
    current = {m.month: m for m in (existing if existing is not None else line.months.all())}
    for month, amount in enumerate(amounts, start=1):
        row = current.get(month)
        if row is None:
            _save(BudgetMonth(line=line, month=month, amount=amount), actor)
        elif row.amount != amount:
            row.amount = amount
            _save(row, actor)


@transaction.atomic
def budget_create(
    *, organisation: Organisation, actor: User, fiscal_year: FiscalYear, copy_from: Budget | None = None
) -> Budget:
    """The ursprunglig budget of a fiscal year: empty, or with the lines of another year's budget (`copy_from`),
    as most budgets start from last year's."""
    if fiscal_year.organisation_id != organisation.pk:
        raise ValidationError({"fiscal_year": "Räkenskapsåret hör inte till organisationen."})
    if copy_from is not None and copy_from.organisation_id != organisation.pk:
        raise ValidationError({"copy_from": "Budgeten hör inte till organisationen."})
    FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    refuse_if_year_locked(fiscal_year=fiscal_year, what="budgeten", field="fiscal_year")
    if Budget.objects.filter(fiscal_year=fiscal_year).exists():
        raise ValidationError(
            {"fiscal_year": f"Räkenskapsår {fiscal_year} har redan en budget; gör en reviderad version av den."}
        )
    budget = _save(Budget(organisation=organisation, fiscal_year=fiscal_year), actor)
    if copy_from is not None:
        _copy_lines(copy_from, budget, actor)
    return budget


def _copy_lines(source: Budget, target: Budget, actor: User) -> None:
    """The source's lines into the target with their months. Within a year (a revision) the months are copied;
    into another year a line spread by last year's pattern is spread again by the target year's own last year."""
    other_year = source.fiscal_year_id != target.fiscal_year_id
    patterns = None
    for line in source.lines.prefetch_related("months"):
        copy = _save(
            BudgetLine(
                budget=target,
                account_id=line.account_id,
                dimension_object_id=line.dimension_object_id,
                amount=line.amount,
                distribution=line.distribution,
            ),
            actor,
        )
        if other_year and line.distribution == BudgetLine.Distribution.PATTERN:
            if patterns is None:
                patterns = last_year_patterns(target)
            months = _months_for(target, copy, patterns)
        else:
            months = [m.amount for m in line.months.all()]
        _write_months(copy, months, actor, existing=[])


@transaction.atomic
def budget_revise(*, budget: Budget, actor: User) -> Budget:
    """A reviderad version: a draft copy of the year's latest version, its lines and months."""
    refuse_if_year_locked(
        fiscal_year=FiscalYear.objects.select_for_update().get(pk=budget.fiscal_year_id), what="budgeten"
    )
    latest = Budget.objects.filter(fiscal_year_id=budget.fiscal_year_id).order_by("-number").first()
    revised = _save(
        Budget(
            organisation=latest.organisation,
            fiscal_year=latest.fiscal_year,
            kind=Budget.Kind.REVISED,
            number=latest.number + 1,
            based_on=latest,
        ),
        actor,
    )
    _copy_lines(latest, revised, actor)
    return revised


def _check_line_target(budget: Budget, account: Account, dimension_object: DimensionObject | None, *, line=None):
    if account.organisation_id != budget.organisation_id:
        raise ValidationError({"account": "Kontot hör inte till organisationen."})
    if dimension_object is not None and dimension_object.dimension.organisation_id != budget.organisation_id:
        raise ValidationError({"dimension_object": "Objektet hör inte till organisationen."})
    taken = BudgetLine.objects.filter(budget=budget, account=account, dimension_object=dimension_object)
    if line is not None:
        taken = taken.exclude(pk=line.pk)
    if taken.exists():
        where = f" och objekt {dimension_object}" if dimension_object else ""
        raise ValidationError({"account": f"Budgeten har redan en rad för konto {account.code}{where}."})


def _months_for(budget: Budget, line: BudgetLine, patterns=None) -> list[Decimal]:
    if line.distribution == BudgetLine.Distribution.PATTERN:
        if patterns is None:
            patterns = last_year_patterns(budget)
        pattern = patterns.get((line.account_id, line.dimension_object_id))
        return distribute(line.amount, pattern_weights(line.amount, pattern))
    return distribute(line.amount)


@transaction.atomic
def line_save(
    *,
    budget: Budget,
    actor: User,
    account: Account,
    amount: Decimal,
    distribution: str = BudgetLine.Distribution.EVEN,
    dimension_object: DimensionObject | None = None,
    months: Sequence[Decimal] | None = None,
    line: BudgetLine | None = None,
) -> BudgetLine:
    """Add a line or change one. With the custom distribution the twelve months are given and the annual amount
    is their sum; otherwise the months are computed from the annual amount."""
    budget = _lock(budget)
    if line is not None and line.budget_id != budget.pk:
        raise ValidationError("Raden hör inte till budgeten.")
    _check_line_target(budget, account, dimension_object, line=line)
    if distribution == BudgetLine.Distribution.CUSTOM:
        if months is None or len(months) != MONTHS:
            raise ValidationError({"months": "Ange belopp för alla tolv månader."})
        months = [Decimal(m) for m in months]
        for month in months:
            _check_amount(month, "months")
        amount = sum(months, ZERO)
    _check_amount(Decimal(amount))
    if line is None:
        line = BudgetLine(budget=budget)
    line.account, line.dimension_object, line.amount, line.distribution = (
        account,
        dimension_object,
        amount,
        distribution,
    )
    _save(line, actor)
    if distribution != BudgetLine.Distribution.CUSTOM:
        months = _months_for(budget, line)
    _write_months(line, months, actor)
    return line


@transaction.atomic
def line_delete(*, line: BudgetLine, actor: User) -> None:
    _lock(line.budget)
    line._history_user = actor
    for month in line.months.all():
        month._history_user = actor
        month.delete()
    line.delete()


@transaction.atomic
def budget_distribute(*, budget: Budget, actor: User, distribution: str) -> int:
    """Give every line the chosen distribution (even or by last year's pattern). Returns the number of lines."""
    if distribution not in (BudgetLine.Distribution.EVEN, BudgetLine.Distribution.PATTERN):
        raise ValidationError({"distribution": "Välj jämn fördelning eller fördelning som förra årets utfall."})
    budget = _lock(budget)
    patterns = last_year_patterns(budget) if distribution == BudgetLine.Distribution.PATTERN else None
    lines = list(budget.lines.prefetch_related("months"))
    for line in lines:
        if line.distribution != distribution:
            line.distribution = distribution
            _save(line, actor)
        _write_months(line, _months_for(budget, line, patterns or {}), actor, existing=list(line.months.all()))
    return len(lines)


@transaction.atomic
def budget_adopt(*, budget: Budget, actor: User, adopted_on: dt.date) -> Budget:
    """Fastställ: the budget is locked from now on."""
    budget = _lock(budget)
    budget.status, budget.adopted_on = Budget.Status.ADOPTED, adopted_on
    return _save(budget, actor)


# Excel import -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedLine:
    row: int
    account: Account
    dimension_object: DimensionObject | None
    amount: Decimal
    months: list[Decimal] | None


def _column(index: int) -> str:
    return HEADERS[index] if index < len(HEADERS) else f"kolumn {index + 1}"


def read_workbook(*, budget: Budget, data: bytes) -> list[ImportedLine]:
    """The lines of a filled-in budget template; raises ValidationError with every problem, row and column."""
    from openpyxl import load_workbook

    from .tabular import parse_number

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    except Exception as exc:  # a broken, password-protected or non-Excel file
        raise ValidationError("Filen kunde inte läsas som en Excel-arbetsbok (.xlsx).") from exc
    if not rows:
        raise ValidationError("Filen är tom.")
    header = [str(h or "").strip().casefold() for h in rows[0]]
    expected = [h.casefold() for h in HEADERS]
    if header[: len(expected)] != expected:
        raise ValidationError(
            "Rad 1: kolumnerna ska vara " + ", ".join(f"”{h}”" for h in HEADERS) + " som i budgetens Excelmall."
        )
    accounts = {a.code: a for a in Account.objects.for_organisation(budget.organisation)}
    objects: dict[str, list[DimensionObject]] = {}
    for item in DimensionObject.objects.for_organisation(budget.organisation).select_related("dimension"):
        objects.setdefault(item.code.casefold(), []).append(item)
    problems: list[str] = []
    lines: list[ImportedLine] = []
    seen: dict[tuple, int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        raw = list(raw) + [None] * (len(HEADERS) - len(raw))
        if all(v is None or str(v).strip() == "" for v in raw[: len(HEADERS)]):
            continue

        def problem(index: int, text: str, number=number) -> None:
            problems.append(f"Rad {number}, kolumn ”{_column(index)}”: {text}.")

        code = str(raw[0] if raw[0] is not None else "").strip()
        if code.endswith(".0"):
            code = code[:-2]
        account = accounts.get(code)
        if not code:
            problem(0, "kontonummer saknas")
        elif account is None:
            problem(0, f"konto {code} finns inte i kontoplanen")
        item = None
        object_code = str(raw[2] if raw[2] is not None else "").strip()
        if object_code:
            found = objects.get(object_code.casefold(), [])
            if not found:
                problem(2, f"objektet {object_code} finns inte bland dimensionernas objekt")
            elif len(found) > 1:
                problem(2, f"objektet {object_code} finns i flera dimensioner")
            else:
                item = found[0]
        amount = None
        if raw[3] is not None and str(raw[3]).strip():
            try:
                amount = parse_number(raw[3])
            except ValueError as exc:
                problem(3, str(exc))
            else:
                if amount_problem(amount):
                    problem(3, amount_problem(amount))
                    amount = None
        months: list[Decimal] | None = None
        given = [v for v in raw[4 : 4 + MONTHS] if v is not None and str(v).strip()]
        if given:
            months = []
            for index in range(4, 4 + MONTHS):
                value = raw[index]
                try:
                    month = parse_number(value if value is not None and str(value).strip() else "0")
                except ValueError as exc:
                    problem(index, str(exc))
                    continue
                if amount_problem(month):
                    problem(index, amount_problem(month))
                    continue
                months.append(month)
            if len(months) != MONTHS:
                months = None
            elif amount is not None and sum(months, ZERO) != amount:
                problem(3, f"årsbeloppet {amount} är inte summan av månaderna ({sum(months, ZERO)})")
            elif amount is None:
                amount = sum(months, ZERO)
                if amount_problem(amount):
                    problem(3, amount_problem(amount))
                    amount = None
        elif amount is None:
            problem(3, "årsbelopp saknas (eller fyll i månaderna)")
        if account is not None and amount is not None:
            key = (account.pk, item.pk if item else None)
            if key in seen:
                problem(0, f"konto {code}{' med objekt ' + object_code if item else ''} finns redan på rad {seen[key]}")
            seen[key] = number
            lines.append(ImportedLine(number, account, item, amount, months))
    if problems:
        raise ValidationError(problems)
    if not lines:
        raise ValidationError("Filen innehåller inga budgetrader.")
    return lines


@transaction.atomic
def budget_import(*, budget: Budget, actor: User, data: bytes) -> int:
    """Replace the budget's lines by the workbook's, all or nothing. Rows without months are spread evenly."""
    budget = _lock(budget)
    lines = read_workbook(budget=budget, data=data)
    for line in budget.lines.all():
        line_delete(line=line, actor=actor)
    for item in lines:
        line = _save(
            BudgetLine(
                budget=budget,
                account=item.account,
                dimension_object=item.dimension_object,
                amount=item.amount,
                distribution=BudgetLine.Distribution.CUSTOM if item.months else BudgetLine.Distribution.EVEN,
            ),
            actor,
        )
        _write_months(line, item.months or distribute(item.amount), actor, existing=[])
    return len(lines)
