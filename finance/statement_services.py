"""Writes for the year-end statements: the mapping of accounts to lines, and figures typed in for a year whose
ledger is not in Paragraf. Every write keeps history and is refused for a locked year (docs/decisions/0024).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Organisation, User

from .account_services import _save
from .models import FiscalYear, StatementFigure, StatementLine
from .statement_selectors import ACCOUNT_SOURCES, parse_ranges, parse_refs, statements_for_year, year_has_ledger
from .statement_templates import TEMPLATES

# Another part of Paragraf (the årsredovisning) registers here what locks a year: each check returns a Swedish
# reason when the year may no longer change, else None. Kept as a hook so finance does not import it.
YEAR_LOCKS: list[Callable[[FiscalYear], str | None]] = []

# Another part registers here which years are fastställda (a list per organisation): the mapping may change for
# later years, but not in a way that changes what a fastställd year's statements show.
FROZEN_YEARS: list[Callable[[Organisation], list[FiscalYear]]] = []

MAX_AMOUNT = Decimal("1e13")


def year_lock_reason(fiscal_year: FiscalYear) -> str | None:
    for check in YEAR_LOCKS:
        reason = check(fiscal_year)
        if reason:
            return reason
    return None


def frozen_years(organisation: Organisation) -> list[FiscalYear]:
    return [year for hook in FROZEN_YEARS for year in hook(organisation)]


def mapping_notice(organisation: Organisation) -> str | None:
    """What the mapping pages say while a year is fastställd (a notice: changes for later years are allowed)."""
    years = frozen_years(organisation)
    if not years:
        return None
    labels = ", ".join(year.label for year in years)
    return (
        f"Årsredovisningen för {labels} är fastställd. Uppställningen kan ändras inför kommande år, men en ändring "
        "som skulle ändra ett belopp eller en radtext i det fastställda bokslutet görs inte."
    )


def _shown(organisation: Organisation, fiscal_year: FiscalYear) -> dict[tuple[str, str], tuple]:
    """What a year's statements show: every row that carries an amount, with its text and amounts."""
    statements = statements_for_year(organisation=organisation, fiscal_year=fiscal_year)
    shown: dict[tuple[str, str], tuple] = {}
    groups = [(statement.title, statement.rows) for statement in statements.statements]
    groups += [(f"Not {note.number}", note.rows) for note in statements.notes]
    for title, rows in groups:
        for row in rows:
            amounts = (row.current, row.previous, row.budget)
            if not row.is_heading and not row.hidden and any(amounts):
                shown[(title, row.key)] = (row.label, *amounts, row.note)
    for note in statements.notes:
        shown[(f"Not {note.number}", "")] = (note.title, note.current_total, note.previous_total)
    return shown


@contextmanager
def _keeping_frozen_years(organisation: Organisation):
    """Run a change of the mapping; undo it (by raising inside the caller's transaction) if it changed what a
    fastställd year's statements show."""
    years = frozen_years(organisation)
    before = {year.pk: _shown(organisation, year) for year in years}
    yield
    for year in years:
        after = _shown(organisation, year)
        if after == before[year.pk]:
            continue
        key = next(k for k in sorted(before[year.pk].keys() | after.keys()) if before[year.pk].get(k) != after.get(k))
        label = (before[year.pk].get(key) or after.get(key))[0]
        raise ValidationError(
            f"Ändringen görs inte: den skulle ändra ”{label}” ({key[0].lower()}) i bokslutet {year.label}, som den "
            f"fastställda årsredovisningen {year.label} visar."
        )


@transaction.atomic
def mapping_apply_template(*, organisation: Organisation, actor: User, template: str = "federation") -> int:
    """Add the template's lines whose key the organisation does not have yet. Returns how many were added."""
    try:
        _label, rows = TEMPLATES[template]
    except KeyError as exc:
        raise ValidationError("Okänd mall för uppställningen.") from exc
    existing = set(StatementLine.objects.for_organisation(organisation).values_list("key", flat=True))
    if all(row["key"] in existing for row in rows):
        return 0  # applying it again when nothing is missing changes nothing
    created = 0
    with _keeping_frozen_years(organisation):
        for position, row in enumerate(rows, start=1):
            if row["key"] in existing:
                continue
            _save(StatementLine(organisation=organisation, position=position * 10, **row), actor)
            created += 1
    return created


def _check_line(organisation: Organisation, line: StatementLine) -> None:
    errors: dict[str, str] = {}
    if line.source in ACCOUNT_SOURCES:
        try:
            if not parse_ranges(line.accounts):
                errors["accounts"] = "Ange vilka konton raden summerar, t.ex. 3000-3899."
        except ValueError as exc:
            errors["accounts"] = f"Konton: {exc}."
    keys = dict(StatementLine.objects.for_organisation(organisation).exclude(pk=line.pk).values_list("key", "source"))
    if line.key in keys:
        errors["key"] = f"Nyckeln ”{line.key}” används redan av en annan rad."
    if line.source in (StatementLine.Source.TOTAL, StatementLine.Source.CHANGE, StatementLine.Source.PREVIOUS):
        refs = parse_refs(line.refs)
        if not refs:
            errors["refs"] = "Ange vilka rader som ska summeras, med nycklar åtskilda av mellanslag."
        missing = [ref for _f, ref in refs if ref not in keys and ref != line.key]
        if any(ref == line.key for _f, ref in refs):
            errors["refs"] = "En rad kan inte summera sig själv."
        elif missing:
            errors["refs"] = "Det finns ingen rad med nyckeln " + ", ".join(f"”{m}”" for m in missing) + "."
        elif _reaches(line.key, refs, organisation, line.pk):
            errors["refs"] = "Raderna summerar varandra i en cirkel."
    if line.statement == StatementLine.Statement.NOTE:
        if line.note_number is None:
            errors["note_number"] = "Ange vilken not raden hör till."
        if not line.explains:
            errors["explains"] = "Ange nyckeln till raden som noten förklarar."
        elif line.explains not in keys:
            errors["explains"] = f"Det finns ingen rad med nyckeln ”{line.explains}”."
    if errors:
        raise ValidationError(errors)


def _reaches(key: str, refs, organisation: Organisation, pk) -> bool:
    """Whether following the refs leads back to `key` (a circle of totals)."""
    graph = {
        other_key: [ref for _f, ref in parse_refs(other_refs)]
        for other_key, other_refs in StatementLine.objects.for_organisation(organisation)
        .exclude(pk=pk)
        .values_list("key", "refs")
    }
    seen, todo = set(), [ref for _f, ref in refs]
    while todo:
        current = todo.pop()
        if current == key:
            return True
        if current in seen:
            continue
        seen.add(current)
        todo.extend(graph.get(current, []))
    return False


FIELDS = ("statement", "key", "label", "position", "source", "accounts", "refs", "sign")
OPTIONAL = ("note_number", "explains", "role", "emphasis", "hide_if_zero")


@transaction.atomic
def line_save(*, organisation: Organisation, actor: User, line: StatementLine | None = None, **values) -> StatementLine:
    """Create or change a line of the mapping. Values: the model's fields by name."""
    if line is None:
        line = StatementLine(organisation=organisation)
    elif line.organisation_id != organisation.pk:
        raise ValidationError("Raden hör inte till organisationen.")
    for name in FIELDS + OPTIONAL:
        if name in values:
            value = values[name]
            setattr(line, name, value.strip() if isinstance(value, str) else value)
    line.role = line.role or ""
    _check_line(organisation, line)
    if line.role:
        taken = StatementLine.objects.for_organisation(organisation).filter(role=line.role).exclude(pk=line.pk).first()
        if taken is not None:
            raise ValidationError({"role": f"Rollen har redan raden ”{taken.label}”."})
    with _keeping_frozen_years(organisation):
        _save(line, actor)
    return line


@transaction.atomic
def line_delete(*, organisation: Organisation, actor: User, line: StatementLine) -> None:
    if line.organisation_id != organisation.pk:
        raise ValidationError("Raden hör inte till organisationen.")
    users = [
        other.label
        for other in StatementLine.objects.for_organisation(organisation).exclude(pk=line.pk)
        if line.key in {ref for _f, ref in parse_refs(other.refs)} or other.explains == line.key
    ]
    if users:
        raise ValidationError(f"Raden används av {', '.join(users)}; ändra dem först.")
    line._history_user = actor
    with _keeping_frozen_years(organisation):
        line.delete()


@transaction.atomic
def figures_save(
    *,
    organisation: Organisation,
    actor: User,
    fiscal_year: FiscalYear,
    values: Mapping[int, Decimal | None],
) -> int:
    """Set the typed figures of a year without ledger: {line id: amount or None to clear}. All or nothing.

    Returns how many figures changed.
    """
    if fiscal_year.organisation_id != organisation.pk:
        raise ValidationError("Räkenskapsåret hör inte till organisationen.")
    reason = year_lock_reason(fiscal_year)
    if reason:
        raise ValidationError(reason)
    if year_has_ledger(fiscal_year=fiscal_year):
        raise ValidationError(
            f"Räkenskapsår {fiscal_year} har importerad bokföring; bokslutet räknas fram ur den "
            "och kan inte skrivas in."
        )
    lines = {line.pk: line for line in StatementLine.objects.for_organisation(organisation)}
    errors = []
    for line_id, amount in values.items():
        line = lines.get(line_id)
        if line is None:
            errors.append("En rad finns inte i organisationens uppställning.")
        elif line.source == StatementLine.Source.HEADING and amount is not None:
            errors.append(f"{line.label} är en rubrik och har inget belopp.")
        elif amount is not None and abs(amount) >= MAX_AMOUNT:
            errors.append(f"{line.label}: beloppet är för stort.")
    if errors:
        raise ValidationError(errors)
    existing = {f.line_id: f for f in StatementFigure.objects.filter(fiscal_year=fiscal_year)}
    changed = 0
    for line_id, amount in values.items():
        figure = existing.get(line_id)
        if amount is None:
            if figure is not None:
                figure._history_user = actor
                figure.delete()
                changed += 1
        elif figure is None:
            _save(
                StatementFigure(organisation=organisation, fiscal_year=fiscal_year, line_id=line_id, amount=amount),
                actor,
            )
            changed += 1
        elif figure.amount != amount:
            figure.amount = amount
            _save(figure, actor)
            changed += 1
    return changed


def figures_save_by_key(
    *, organisation: Organisation, actor: User, fiscal_year: FiscalYear, values: Mapping[str, Decimal | None]
) -> int:
    """As figures_save, by line key (the demo and tests type the figures of an old årsredovisning this way)."""
    ids = dict(StatementLine.objects.for_organisation(organisation).values_list("key", "pk"))
    unknown = [key for key in values if key not in ids]
    if unknown:
        raise ValidationError(f"Okända rader: {', '.join(unknown)}.")
    return figures_save(
        organisation=organisation,
        actor=actor,
        fiscal_year=fiscal_year,
        values={ids[key]: amount for key, amount in values.items()},
    )
