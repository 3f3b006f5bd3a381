"""Year-end statements computed from the ledger through the organisation's mapping (docs/decisions/0024).

`statements_for_year` returns the driftsredovisning, resultaträkning, balansräkning, kassaflödesanalys, noter and
sammanställning av budget och utfall of a fiscal year, each with the previous year. A year with an imported ledger
is computed from it (ingående balans from #IB, the year's movement from the transactions, else from #RES/#UB), so
its statements cannot disagree with each other; a year without one shows the figures the ekonom typed in
(StatementFigure), with every total the ekonom left empty computed from its lines. The queries do not grow with
the number of accounts, lines or transactions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from core.models import Organisation

from .models import (
    Account,
    AccountBalance,
    AccountKind,
    Budget,
    BudgetLine,
    ContributionAllocation,
    FiscalYear,
    LedgerEntry,
    StatementFigure,
    StatementLine,
)

ZERO = Decimal(0)
Source = StatementLine.Source
Kind = StatementLine.Statement

STATEMENT_ORDER = (Kind.OPERATING, Kind.INCOME, Kind.BALANCE, Kind.CASH_FLOW, Kind.BUDGET)
ACCOUNT_SOURCES = (Source.MOVEMENT, Source.CLOSING, Source.OPENING)


# Account ranges -------------------------------------------------------------------------------------------------


def parse_ranges(text: str) -> list[tuple[str, str]]:
    """ "3000-3899, 3990" → [("3000", "3899"), ("3990", "3990")]. Raises ValueError with a Swedish message."""
    ranges = []
    for part in text.replace(";", ",").split(","):
        part = part.strip().replace("–", "-").replace(" ", "")
        if not part:
            continue
        low, _, high = part.partition("-")
        high = high or low
        if not (low.isdigit() and high.isdigit()):
            raise ValueError(f"”{part}” är inget kontonummer eller intervall (skriv t.ex. 3000-3899)")
        if len(low) != len(high):
            raise ValueError(f"”{part}”: båda ändarna av intervallet ska ha lika många siffror")
        if low > high:
            raise ValueError(f"”{part}”: intervallet börjar efter att det slutar")
        ranges.append((low, high))
    return ranges


def account_in_ranges(code: str, ranges: list[tuple[str, str]]) -> bool:
    """An account belongs to a range by its leading digits, so 3000-3899 also takes Kommun-Bas' 35190."""
    for low, high in ranges:
        prefix = code[: len(low)].ljust(len(low), "0")
        if low <= prefix <= high:
            return True
    return False


def parse_refs(text: str) -> list[tuple[int, str]]:
    """ "rr_intakter -rr_kostnader" → [(1, "rr_intakter"), (-1, "rr_kostnader")]."""
    refs = []
    for token in text.replace(",", " ").split():
        refs.append((-1, token[1:]) if token.startswith("-") else (1, token.lstrip("+")))
    return refs


# What the pages and the årsredovisning read ----------------------------------------------------------------------


@dataclass(frozen=True)
class StatementRow:
    key: str
    label: str
    kind: str  # "heading", "line" or "total"
    emphasis: bool
    note: int | None
    role: str
    current: Decimal | None
    previous: Decimal | None
    budget: Decimal | None = None  # aktuell budget of the current year (driftsredovisning, budget och utfall)
    deviation: Decimal | None = None  # budget against utfall, positive when better than budget
    current_typed: bool = False
    previous_typed: bool = False
    current_computed: Decimal | None = None  # what the row's parts sum to (equals current unless typed)
    previous_computed: Decimal | None = None
    accounts: tuple[str, ...] = ()
    line_id: int | None = None
    hide_if_zero: bool = False
    source: str = ""
    # Ledger years: (account id, code, name, amount as printed) of each account on the line, for the drill-down.
    account_figures: tuple[tuple[int, str, str, Decimal], ...] = ()

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"

    @property
    def hidden(self) -> bool:
        return self.hide_if_zero and not self.current and not self.previous


@dataclass(frozen=True)
class Statement:
    kind: str
    title: str
    rows: tuple[StatementRow, ...]

    def row(self, key: str) -> StatementRow | None:
        return next((r for r in self.rows if r.key == key), None)

    def by_role(self, role: str) -> StatementRow | None:
        return next((r for r in self.rows if r.role == role), None)


@dataclass(frozen=True)
class Note:
    number: int
    title: str
    explains: str  # key of the statement line the note sums to
    rows: tuple[StatementRow, ...]
    current_total: Decimal | None
    previous_total: Decimal | None
    line: StatementRow | None  # the explained line itself


@dataclass(frozen=True)
class Statements:
    organisation: Organisation
    fiscal_year: FiscalYear
    previous_year: FiscalYear | None
    from_ledger: bool
    previous_from_ledger: bool
    operating: Statement
    income: Statement
    balance: Statement
    cash_flow: Statement
    budget: Statement
    notes: tuple[Note, ...]
    has_mapping: bool
    has_budget: bool
    contributions: Decimal | None  # the medlemsbidrag of the year (ContributionAllocation.total)
    previous_contributions: Decimal | None
    # The balance lines at the year's ingående balans (ledger years only): they must equal last year's closing.
    opening_values: dict[str, Decimal | None] = field(default_factory=dict)
    unmapped: tuple[tuple[str, str, Decimal], ...] = ()  # accounts with money that no line takes

    @property
    def statements(self) -> tuple[Statement, ...]:
        return (self.operating, self.income, self.balance, self.cash_flow, self.budget)

    def row(self, key: str) -> StatementRow | None:
        for statement in self.statements:
            found = statement.row(key)
            if found is not None:
                return found
        for note in self.notes:
            found = next((r for r in note.rows if r.key == key), None)
            if found is not None:
                return found
        return None

    def by_role(self, role: str) -> StatementRow | None:
        for statement in self.statements:
            found = statement.by_role(role)
            if found is not None:
                return found
        return None


# Computation ------------------------------------------------------------------------------------------------------


@dataclass
class _Year:
    fiscal_year: FiscalYear | None
    from_ledger: bool = False
    opening: dict[str, Decimal] = field(default_factory=dict)
    movement: dict[str, Decimal] = field(default_factory=dict)
    typed: dict[int, Decimal] = field(default_factory=dict)
    budget: dict[str, Decimal] | None = None


class _Evaluator:
    """The value of each line in one year; `previous` is the year before (for change and previous lines)."""

    def __init__(self, lines: dict[str, StatementLine], accounts: dict[str, list[str]], year: _Year, previous=None):
        self.lines, self.accounts, self.year, self.previous = lines, accounts, year, previous
        self._memo: dict[tuple[str, str, bool], Decimal | None] = {}
        self._stack: set[str] = set()

    def typed(self, key: str) -> bool:
        line = self.lines.get(key)
        return line is not None and not self.year.from_ledger and line.pk in self.year.typed

    def value(self, key: str, mode: str = "closing", *, use_typed: bool = True) -> Decimal | None:
        memo_key = (key, mode, use_typed)
        if memo_key not in self._memo:
            if key in self._stack:  # a total that sums itself: the mapping page refuses it, never loop
                return None
            self._stack.add(key)
            try:
                self._memo[memo_key] = self._compute(key, mode, use_typed)
            finally:
                self._stack.discard(key)
        return self._memo[memo_key]

    def _sum_accounts(self, line: StatementLine, mode: str) -> Decimal:
        total = ZERO
        for code in self.accounts.get(line.key, ()):
            opening = self.year.opening.get(code, ZERO)
            movement = self.year.movement.get(code, ZERO)
            if line.source == Source.MOVEMENT:
                total += ZERO if mode == "opening" else movement
            elif line.source == Source.OPENING:
                total += opening
            else:
                total += opening if mode == "opening" else opening + movement
        return _clean(line.sign * total)

    def _previous_of(self, key: str) -> Decimal | None:
        if self.year.from_ledger:
            return self.value(key, "opening")
        if self.previous is not None:
            return self.previous.value(key)
        return None

    def _compute(self, key: str, mode: str, use_typed: bool) -> Decimal | None:
        line = self.lines.get(key)
        if line is None or line.source == Source.HEADING:
            return None
        ledger = self.year.from_ledger
        if not ledger and use_typed and line.pk in self.year.typed:
            return self.year.typed[line.pk]
        if line.source in ACCOUNT_SOURCES:
            return self._sum_accounts(line, mode) if ledger else None
        if line.source == Source.TYPED:
            return ZERO if ledger else None
        values: list[Decimal] = []
        for factor, ref in parse_refs(line.refs):
            if line.source == Source.TOTAL:
                value = self.value(ref, mode)
            elif line.source == Source.CHANGE:
                now, before = self.value(ref, mode), self._previous_of(ref)
                value = None if now is None or before is None else now - before
            else:  # PREVIOUS
                value = self._previous_of(ref)
            if value is not None:
                values.append(factor * value)
        if not values:
            return None
        total = sum(values, ZERO)
        return _clean(total if line.source == Source.TOTAL else line.sign * total)

    def budget(self, key: str) -> Decimal | None:
        line = self.lines.get(key)
        if line is None or self.year.budget is None:
            return None
        if line.source == Source.MOVEMENT:
            return _clean(line.sign * sum((self.year.budget.get(c, ZERO) for c in self.accounts.get(key, ())), ZERO))
        if line.source == Source.TOTAL:
            # Only when every line summed has a budget: utgående eget kapital has none.
            refs = parse_refs(line.refs)
            values = [f * v for f, ref in refs if (v := self.budget(ref)) is not None]
            return _clean(sum(values, ZERO)) if refs and len(values) == len(refs) else None
        return None

    def deviation(self, key: str) -> Decimal | None:
        """Budget minus utfall in the ledger's sign: under budget on a kostnad, over it on an intäkt, is positive."""
        line = self.lines.get(key)
        if line is None or self.year.budget is None or not self.year.from_ledger:
            return None
        if line.source == Source.MOVEMENT:
            codes = self.accounts.get(key, ())
            return sum((self.year.budget.get(c, ZERO) - self.year.movement.get(c, ZERO) for c in codes), ZERO)
        if line.source == Source.TOTAL:
            refs = parse_refs(line.refs)
            values = [v for _f, ref in refs if (v := self.deviation(ref)) is not None]
            return _clean(sum(values, ZERO)) if refs and len(values) == len(refs) else None
        return None


def _clean(value: Decimal) -> Decimal:
    return ZERO if value == 0 else value  # never a "-0" (sign −1 times nothing)


def _account_figures(line: StatementLine, accounts, now: _Evaluator, names) -> tuple:
    if not now.year.from_ledger or line.source not in ACCOUNT_SOURCES:
        return ()
    figures = []
    for code in accounts.get(line.key, ()):
        opening, movement = now.year.opening.get(code, ZERO), now.year.movement.get(code, ZERO)
        if line.source == Source.MOVEMENT:
            amount = movement
        elif line.source == Source.OPENING:
            amount = opening
        else:
            amount = opening + movement
        if amount or movement:
            pk, name = names[code]
            figures.append((pk, code, name, _clean(line.sign * amount)))
    return tuple(figures)


def _row(line: StatementLine, accounts, now: _Evaluator, before: _Evaluator | None, names=None) -> StatementRow:
    with_budget = line.statement in (Kind.OPERATING, Kind.BUDGET)
    kind = "heading" if line.source == Source.HEADING else ("total" if line.source == Source.TOTAL else "line")
    return StatementRow(
        key=line.key,
        label=line.label,
        kind=kind,
        emphasis=line.emphasis,
        note=line.note_number if line.statement != Kind.NOTE else None,
        role=line.role,
        current=now.value(line.key),
        previous=before.value(line.key) if before is not None else None,
        budget=now.budget(line.key) if with_budget else None,
        deviation=now.deviation(line.key) if with_budget else None,
        current_typed=now.typed(line.key),
        previous_typed=before.typed(line.key) if before is not None else False,
        current_computed=now.value(line.key, use_typed=False),
        previous_computed=before.value(line.key, use_typed=False) if before is not None else None,
        accounts=tuple(accounts.get(line.key, ())),
        line_id=line.pk,
        hide_if_zero=line.hide_if_zero,
        source=line.source,
        account_figures=_account_figures(line, accounts, now, names) if names else (),
    )


def mapping_lines(*, organisation: Organisation):
    return StatementLine.objects.for_organisation(organisation).order_by("statement", "position", "pk")


def previous_year_of(fiscal_year: FiscalYear) -> FiscalYear | None:
    return (
        FiscalYear.objects.filter(organisation_id=fiscal_year.organisation_id, end__lt=fiscal_year.start)
        .order_by("-start")
        .first()
    )


def _load_years(organisation: Organisation, years: list[FiscalYear]) -> dict[int, _Year]:
    ids = [y.pk for y in years]
    data = {y.pk: _Year(fiscal_year=y) for y in years}
    codes = dict(Account.objects.for_organisation(organisation).values_list("pk", "code"))
    kinds = dict(Account.objects.for_organisation(organisation).values_list("code", "kind"))
    stated: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for year_id, account_id, kind, amount in AccountBalance.objects.filter(
        organisation=organisation, fiscal_year_id__in=ids
    ).values_list("fiscal_year_id", "account_id", "kind", "amount"):
        data[year_id].from_ledger = True
        stated[year_id][kind][codes[account_id]] = amount
    moved = (
        LedgerEntry.objects.filter(organisation=organisation, fiscal_year_id__in=ids)
        .values_list("fiscal_year_id", "account_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    with_entries = set()
    for year_id, account_id, total in moved:
        data[year_id].from_ledger = True
        data[year_id].movement[codes[account_id]] = total or ZERO
        with_entries.add(year_id)
    for year_id, kinds_amounts in stated.items():
        year = data[year_id]
        year.opening = dict(kinds_amounts.get(AccountBalance.Kind.OPENING, {}))
        if year_id not in with_entries:  # SIE 1-3 without #VER: the movement is what #RES and #UB say
            for code, amount in kinds_amounts.get(AccountBalance.Kind.RESULT, {}).items():
                year.movement[code] = amount
            for code, amount in kinds_amounts.get(AccountBalance.Kind.CLOSING, {}).items():
                if kinds.get(code) in (AccountKind.ASSET, AccountKind.LIABILITY, AccountKind.EQUITY):
                    year.movement[code] = amount - year.opening.get(code, ZERO)
    for year_id, line_id, amount in StatementFigure.objects.filter(
        organisation=organisation, fiscal_year_id__in=ids
    ).values_list("fiscal_year_id", "line_id", "amount"):
        data[year_id].typed[line_id] = amount
    budgets = {}
    for budget in Budget.objects.filter(organisation=organisation, fiscal_year_id__in=ids).order_by(
        "fiscal_year_id", "number"
    ):
        # Aktuell budget: the newest fastställd version, else the newest draft.
        current = budgets.get(budget.fiscal_year_id)
        if current is None or budget.is_locked or not current.is_locked:
            budgets[budget.fiscal_year_id] = budget
    if budgets:
        by_budget: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for budget_id, code, amount in BudgetLine.objects.filter(
            budget_id__in=[b.pk for b in budgets.values()]
        ).values_list("budget_id", "account__code", "amount"):
            by_budget[budget_id][code] += amount
        for year_id, budget in budgets.items():
            data[year_id].budget = dict(by_budget.get(budget.pk, {}))
    return data


def statements_for_year(*, organisation: Organisation, fiscal_year: FiscalYear) -> Statements:
    """Every statement of `fiscal_year` with the previous year. About ten queries, whatever the data."""
    if fiscal_year.organisation_id != organisation.pk:
        raise ValueError("The fiscal year belongs to another organisation.")
    lines = list(mapping_lines(organisation=organisation))
    by_key = {line.key: line for line in lines}
    account_rows = list(
        Account.objects.for_organisation(organisation).values_list("pk", "code", "name").order_by("code")
    )
    all_accounts = [(code, name) for _pk, code, name in account_rows]
    names = {code: (pk, name) for pk, code, name in account_rows}
    accounts: dict[str, list[str]] = {}
    for line in lines:
        if line.source in ACCOUNT_SOURCES:
            try:
                ranges = parse_ranges(line.accounts)
            except ValueError:
                ranges = []
            accounts[line.key] = [code for code, _name in all_accounts if account_in_ranges(code, ranges)]
    previous_year = previous_year_of(fiscal_year)
    years = [fiscal_year] + ([previous_year] if previous_year else [])
    data = _load_years(organisation, years)
    before = _Evaluator(by_key, accounts, data[previous_year.pk]) if previous_year else None
    now = _Evaluator(by_key, accounts, data[fiscal_year.pk], previous=before)

    def statement(kind) -> Statement:
        rows = tuple(_row(line, accounts, now, before, names) for line in lines if line.statement == kind)
        return Statement(kind=str(kind), title=Kind(kind).label, rows=rows)

    built = {kind: statement(kind) for kind in STATEMENT_ORDER}
    notes = []
    note_lines: dict[int, list[StatementLine]] = defaultdict(list)
    for line in lines:
        if line.statement == Kind.NOTE and line.note_number is not None:
            note_lines[line.note_number].append(line)
    for number in sorted(note_lines):
        rows = tuple(_row(line, accounts, now, before, names) for line in note_lines[number])
        explains = next((line.explains for line in note_lines[number] if line.explains), "")
        explained = next((r for s in built.values() for r in s.rows if r.key == explains), None)
        notes.append(
            Note(
                number=number,
                title=explained.label if explained else f"Not {number}",
                explains=explains,
                rows=rows,
                current_total=_sum_present(r.current for r in rows),
                previous_total=_sum_present(r.previous for r in rows),
                line=explained,
            )
        )
    contributions = dict(
        ContributionAllocation.objects.filter(
            organisation=organisation, fiscal_year_id__in=[y.pk for y in years]
        ).values_list("fiscal_year_id", "total")
    )
    current = data[fiscal_year.pk]
    opening_values = {}
    unmapped = []
    if not current.from_ledger:
        # What a typed year says it started from: the typed "likvida medel vid årets början" and the like.
        for line in lines:
            refs = parse_refs(line.refs)
            if line.source == Source.PREVIOUS and len(refs) == 1 and now.typed(line.key):
                opening_values[refs[0][1]] = line.sign * refs[0][0] * now.value(line.key)
    if current.from_ledger:
        opening_values = {line.key: now.value(line.key, "opening") for line in lines if line.statement == Kind.BALANCE}
        taken = {
            code
            for line in lines
            if line.statement in (Kind.INCOME, Kind.BALANCE)
            for code in accounts.get(line.key, ())
        }
        for code, name in all_accounts:
            amount = current.opening.get(code, ZERO) + current.movement.get(code, ZERO)
            if code not in taken and (amount or current.movement.get(code)):
                unmapped.append((code, name, amount))
    return Statements(
        organisation=organisation,
        fiscal_year=fiscal_year,
        previous_year=previous_year,
        from_ledger=current.from_ledger,
        previous_from_ledger=data[previous_year.pk].from_ledger if previous_year else False,
        operating=built[Kind.OPERATING],
        income=built[Kind.INCOME],
        balance=built[Kind.BALANCE],
        cash_flow=built[Kind.CASH_FLOW],
        budget=built[Kind.BUDGET],
        notes=tuple(notes),
        has_mapping=bool(lines),
        has_budget=current.budget is not None,
        contributions=contributions.get(fiscal_year.pk),
        previous_contributions=contributions.get(previous_year.pk) if previous_year else None,
        opening_values=opening_values,
        unmapped=tuple(unmapped),
    )


def _sum_present(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def year_has_ledger(*, fiscal_year: FiscalYear) -> bool:
    return (
        AccountBalance.objects.filter(fiscal_year=fiscal_year).exists()
        or LedgerEntry.objects.filter(fiscal_year=fiscal_year).exists()
    )
