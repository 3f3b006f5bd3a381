"""The checks a year's statements must pass before the årsredovisning can be finalised (docs/decisions/0024).

Pure functions over the figures of `statement_selectors.Statements` (one `Column` per year shown), and
`validate_year`, which reads them and returns every failure with its numbers, in Swedish:

- the balansräkning balances: summa tillgångar = summa eget kapital, avsättningar och skulder;
- ingående eget kapital + årets resultat = utgående eget kapital, and the ingående is last year's utgående;
- the kassaflödesanalys ends at kassa och bank of the balansräkning, and starts at last year's;
- each note sums to the statement line it explains;
- the medlemsbidrag sum to the intäkter they explain;
- a total typed in for a year without ledger equals the sum of its lines; every account with money is on a line.

A ledger year passes the arithmetic checks by construction; they matter for the typed-in previous year and for a
mapping that leaves accounts out. Both columns shown are checked, since both are printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.formatting import format_kr
from core.models import Organisation

from .models import FiscalYear, StatementLine
from .statement_selectors import Statements, statements_for_year

Role = StatementLine.Role


@dataclass(frozen=True)
class ValidationFailure:
    # empty, balance, equity, equity_opening, cash_flow, cash_flow_opening, note, contributions, total, unmapped
    rule: str
    message: str
    numbers: dict[str, Decimal] = field(default_factory=dict)
    year: str = ""
    key: str = ""  # the statement line concerned, when there is one


@dataclass(frozen=True)
class ColumnRow:
    key: str
    label: str
    value: Decimal | None
    computed: Decimal | None = None
    typed: bool = False
    source: str = ""


@dataclass(frozen=True)
class ColumnNote:
    number: int
    title: str
    total: Decimal | None
    line_label: str
    line_value: Decimal | None
    statement_title: str = ""


@dataclass(frozen=True)
class Column:
    """One year's figures as printed."""

    year: str
    rows: dict[str, ColumnRow]
    roles: dict[str, str]  # role → key
    notes: tuple[ColumnNote, ...] = ()
    contributions: Decimal | None = None

    def by_role(self, role: str) -> ColumnRow | None:
        key = self.roles.get(role)
        return self.rows.get(key) if key else None


def kr(value: Decimal | None) -> str:
    return format_kr(value) if value is not None else "(saknas)"


def _differs(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and a != b


def check_balance(column: Column) -> list[ValidationFailure]:
    assets, other = column.by_role(Role.ASSETS_TOTAL), column.by_role(Role.EQUITY_LIABILITIES_TOTAL)
    if assets is None or other is None or not _differs(assets.value, other.value):
        return []
    return [
        ValidationFailure(
            rule="balance",
            message=(
                f"Balansräkningen {column.year} balanserar inte: summa tillgångar {kr(assets.value)} stämmer inte med "
                f"summa eget kapital, avsättningar och skulder {kr(other.value)} "
                f"(skillnad {kr(assets.value - other.value)})."
            ),
            numbers={"tillgangar": assets.value, "eget_kapital_och_skulder": other.value},
            year=column.year,
            key=assets.key,
        )
    ]


def check_equity(column: Column) -> list[ValidationFailure]:
    opening, result, closing = (
        column.by_role(Role.EQUITY_OPENING),
        column.by_role(Role.EQUITY_RESULT),
        column.by_role(Role.EQUITY_TOTAL),
    )
    failures = []
    if opening and result and closing and None not in (opening.value, result.value, closing.value):
        expected = opening.value + result.value
        if closing.value != expected:
            failures.append(
                ValidationFailure(
                    rule="equity",
                    message=(
                        f"{column.year}: utgående eget kapital {kr(closing.value)} stämmer inte med ingående "
                        f"{kr(opening.value)} + årets resultat {kr(result.value)} = {kr(expected)}."
                    ),
                    numbers={"utgaende": closing.value, "ingaende": opening.value, "resultat": result.value},
                    year=column.year,
                    key=closing.key,
                )
            )
    statement_result = column.by_role(Role.RESULT)
    if result and statement_result and _differs(result.value, statement_result.value):
        failures.append(
            ValidationFailure(
                rule="equity",
                message=(
                    f"{column.year}: årets resultat i balansräkningen {kr(result.value)} stämmer inte med "
                    f"resultaträkningens {kr(statement_result.value)}."
                ),
                numbers={"balansrakningen": result.value, "resultatrakningen": statement_result.value},
                year=column.year,
                key=result.key,
            )
        )
    return failures


def check_cash_flow(column: Column) -> list[ValidationFailure]:
    end, cash = column.by_role(Role.CASH_FLOW_END), column.by_role(Role.CASH)
    if end is None or cash is None or not _differs(end.value, cash.value):
        return []
    return [
        ValidationFailure(
            rule="cash_flow",
            message=(
                f"Kassaflödesanalysen {column.year} slutar på likvida medel {kr(end.value)} men kassa och bank i "
                f"balansräkningen är {kr(cash.value)} (skillnad {kr(end.value - cash.value)})."
            ),
            numbers={"kassaflodet": end.value, "balansrakningen": cash.value},
            year=column.year,
            key=end.key,
        )
    ]


def check_notes(column: Column) -> list[ValidationFailure]:
    failures = []
    for note in column.notes:
        if _differs(note.total, note.line_value):
            where = f" {note.statement_title}" if note.statement_title else ""
            failures.append(
                ValidationFailure(
                    rule="note",
                    message=(
                        f"Not {note.number} ({note.title}) {column.year} summerar till {kr(note.total)} men raden "
                        f"{note.line_label}{where} är {kr(note.line_value)} "
                        f"(skillnad {kr(note.total - note.line_value)})."
                    ),
                    numbers={"noten": note.total, "raden": note.line_value},
                    year=column.year,
                )
            )
    return failures


def check_contributions(column: Column) -> list[ValidationFailure]:
    line = column.by_role(Role.CONTRIBUTIONS)
    if line is None or not _differs(column.contributions, line.value):
        return []
    return [
        ValidationFailure(
            rule="contributions",
            message=(
                f"Medlemsbidragen {column.year} summerar till {kr(column.contributions)} men {line.label.lower()} "
                f"som de förklarar är {kr(line.value)} (skillnad {kr(column.contributions - line.value)})."
            ),
            numbers={"medlemsbidrag": column.contributions, "intakter": line.value},
            year=column.year,
            key=line.key,
        )
    ]


def check_totals(column: Column) -> list[ValidationFailure]:
    """A typed-in total against the sum of its lines (utgående eget kapital is check_equity's)."""
    skip = {column.roles.get(Role.EQUITY_TOTAL)}
    failures = []
    for row in column.rows.values():
        if row.typed and row.key not in skip and _differs(row.value, row.computed):
            against = {
                StatementLine.Source.CHANGE: "förändringen i balansräkningarna från föregående år är",
                StatementLine.Source.PREVIOUS: "föregående års belopp är",
            }.get(row.source, "raderna summerar till")
            failures.append(
                ValidationFailure(
                    rule="total",
                    message=(
                        f"{column.year}: {row.label} är inskrivet som {kr(row.value)} men {against} "
                        f"{kr(row.computed)} (skillnad {kr(row.value - row.computed)})."
                    ),
                    numbers={"inskrivet": row.value, "summa": row.computed},
                    year=column.year,
                    key=row.key,
                )
            )
    return failures


def check_column(column: Column) -> list[ValidationFailure]:
    return [
        *check_balance(column),
        *check_equity(column),
        *check_cash_flow(column),
        *check_notes(column),
        *check_contributions(column),
        *check_totals(column),
    ]


def check_continuity(
    current: Column, previous: Column, opening_values: dict[str, Decimal | None]
) -> list[ValidationFailure]:
    """The year starts where the previous one ended: eget kapital and likvida medel."""
    failures = []
    opening, closing = current.by_role(Role.EQUITY_OPENING), previous.by_role(Role.EQUITY_TOTAL)
    if opening and closing and _differs(opening.value, closing.value):
        failures.append(
            ValidationFailure(
                rule="equity_opening",
                message=(
                    f"Eget kapital vid årets ingång {current.year} {kr(opening.value)} stämmer inte med utgående eget "
                    f"kapital {previous.year} {kr(closing.value)} (skillnad {kr(opening.value - closing.value)})."
                ),
                numbers={"ingaende": opening.value, "foregaende_utgaende": closing.value},
                year=current.year,
                key=opening.key,
            )
        )
    cash_key = current.roles.get(Role.CASH)
    last_cash = previous.by_role(Role.CASH)
    start = opening_values.get(cash_key) if cash_key else None
    if last_cash and _differs(start, last_cash.value):
        failures.append(
            ValidationFailure(
                rule="cash_flow_opening",
                message=(
                    f"Kassa och bank vid årets ingång {current.year} {kr(start)} stämmer inte med kassa och bank "
                    f"{previous.year} {kr(last_cash.value)} (skillnad {kr(start - last_cash.value)})."
                ),
                numbers={"ingaende": start, "foregaende_utgaende": last_cash.value},
                year=current.year,
                key=cash_key,
            )
        )
    return failures


def check_unmapped(statements: Statements) -> list[ValidationFailure]:
    return [
        ValidationFailure(
            rule="unmapped",
            message=(
                f"Konto {code} {name} har {kr(amount)} {statements.fiscal_year.label} men ingår inte i någon rad i "
                "resultat- eller balansräkningen. Lägg till kontot i uppställningen."
            ),
            numbers={"belopp": amount},
            year=statements.fiscal_year.label,
        )
        for code, name, amount in statements.unmapped
    ]


IN_STATEMENT = {
    "operating": "i driftsredovisningen",
    "income": "i resultaträkningen",
    "balance": "i balansräkningen",
    "cash_flow": "i kassaflödesanalysen",
    "budget": "i sammanställningen av budget och utfall",
}


def columns(statements: Statements) -> tuple[Column, Column | None]:
    """The current and the previous year's figures of the statements as plain columns."""

    def build(previous: bool, label: str) -> Column:
        rows, roles = {}, {}
        for statement in statements.statements:
            for row in statement.rows:
                if row.is_heading:
                    continue
                rows[row.key] = ColumnRow(
                    key=row.key,
                    label=row.label,
                    value=row.previous if previous else row.current,
                    computed=row.previous_computed if previous else row.current_computed,
                    typed=row.previous_typed if previous else row.current_typed,
                    source=row.source,
                )
                if row.role and row.role not in roles:
                    roles[row.role] = row.key
        where = {
            row.key: IN_STATEMENT.get(statement.kind, "")
            for statement in statements.statements
            for row in statement.rows
        }
        notes = tuple(
            ColumnNote(
                number=note.number,
                title=note.title,
                total=note.previous_total if previous else note.current_total,
                line_label=note.line.label if note.line else note.explains,
                line_value=(note.line.previous if previous else note.line.current) if note.line else None,
                statement_title=where.get(note.explains, ""),
            )
            for note in statements.notes
        )
        contributions = statements.previous_contributions if previous else statements.contributions
        return Column(year=label, rows=rows, roles=roles, notes=notes, contributions=contributions)

    current = build(False, statements.fiscal_year.label)
    previous = build(True, statements.previous_year.label) if statements.previous_year else None
    return current, previous


def validate_statements(statements: Statements) -> list[ValidationFailure]:
    current, previous = columns(statements)
    failures = check_column(current)
    if previous is not None:
        failures += check_column(previous)
        failures += check_continuity(current, previous, statements.opening_values)
    failures += check_unmapped(statements)
    return failures


def validate_year(*, organisation: Organisation, fiscal_year: FiscalYear) -> list[ValidationFailure]:
    """Every failure of the year's statements (both columns shown); an empty list means they may be finalised."""
    statements = statements_for_year(organisation=organisation, fiscal_year=fiscal_year)
    if not statements.has_mapping:
        return [
            ValidationFailure(
                rule="mapping",
                message="Det finns ingen uppställning av bokslutet ännu. Skapa den från mallen på sidan Uppställning.",
                year=fiscal_year.label,
            )
        ]
    if not statements.from_ledger and not fiscal_year.statement_figures.exists():
        # Nothing computed and nothing typed: every check would pass on zeros, so say what is missing instead.
        return [
            ValidationFailure(
                rule="empty",
                message=(
                    f"Räkenskapsår {fiscal_year.label} har ingen bokföring i Paragraf och inga inskrivna siffror: det "
                    "finns inget att fastställa. Importera årets bokföring (SIE eller Excel) eller skriv in bokslutets "
                    "siffror."
                ),
                year=fiscal_year.label,
            )
        ]
    return validate_statements(statements)
