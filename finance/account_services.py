"""Writes for the kontoplan and the fiscal years. Each write leaves its history row (simple-history) with the actor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Organisation, User

from .kontoplan_templates import TEMPLATES
from .models import Account, AccountGroup, FiscalYear


def _save(row, actor: User, *, exclude=None):
    row.full_clean(validate_unique=False, validate_constraints=False, exclude=exclude)
    row._history_user = actor
    row.save()
    return row


def _same_organisation(organisation: Organisation, group: AccountGroup | None) -> None:
    if group is not None and group.organisation_id != organisation.pk:
        raise ValidationError({"group": "Kontogruppen hör inte till organisationen."})


@dataclass(frozen=True)
class TemplateOutcome:
    created: int
    skipped: int


@transaction.atomic
def kontoplan_apply_template(*, organisation: Organisation, actor: User, template: str) -> TemplateOutcome:
    """Add a template's groups and accounts. Accounts whose number is already used are left as they are."""
    try:
        _label, groups = TEMPLATES[template]
    except KeyError as exc:
        raise ValidationError("Okänd mall för kontoplan.") from exc
    existing_groups = {g.code: g for g in AccountGroup.objects.for_organisation(organisation)}
    existing_accounts = set(Account.objects.for_organisation(organisation).values_list("code", flat=True))
    created = skipped = 0
    for group_code, group_name, kind, accounts in groups:
        group = existing_groups.get(group_code)
        if group is None:
            group = _save(AccountGroup(organisation=organisation, code=group_code, name=group_name), actor)
            existing_groups[group_code] = group
        for code, name in accounts:
            if code in existing_accounts:
                skipped += 1
                continue
            _save(Account(organisation=organisation, code=code, name=name, kind=kind, group=group), actor)
            existing_accounts.add(code)
            created += 1
    return TemplateOutcome(created=created, skipped=skipped)


def _check_code_free(organisation: Organisation, code: str, *, instance: Account | None = None) -> None:
    taken = Account.objects.for_organisation(organisation).filter(code=code)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise ValidationError({"code": f"Kontonummer {code} finns redan i kontoplanen."})


@transaction.atomic
def account_create(
    *, organisation: Organisation, actor: User, code: str, name: str, kind: str, group: AccountGroup | None = None
) -> Account:
    _same_organisation(organisation, group)
    code = code.strip()
    _check_code_free(organisation, code)
    return _save(Account(organisation=organisation, code=code, name=name.strip(), kind=kind, group=group), actor)


@transaction.atomic
def account_update(
    *,
    account: Account,
    actor: User,
    code: str,
    name: str,
    kind: str,
    group: AccountGroup | None = None,
    active: bool = True,
) -> Account:
    account = Account.objects.select_for_update().get(pk=account.pk)
    _same_organisation(account.organisation, group)
    code = code.strip()
    if code != account.code:
        if account.entries.exists() or account.balances.exists():
            raise ValidationError(
                {"code": "Kontot har bokförda transaktioner eller saldon; kontonumret kan inte ändras."}
            )
        _check_code_free(account.organisation, code, instance=account)
    account.code, account.name, account.kind, account.group, account.active = code, name.strip(), kind, group, active
    return _save(account, actor)


@transaction.atomic
def account_group_create(*, organisation: Organisation, actor: User, code: str, name: str) -> AccountGroup:
    code = code.strip()
    if AccountGroup.objects.for_organisation(organisation).filter(code=code).exists():
        raise ValidationError({"code": f"Kontogrupp {code} finns redan."})
    return _save(AccountGroup(organisation=organisation, code=code, name=name.strip()), actor)


@transaction.atomic
def fiscal_year_create(*, organisation: Organisation, actor: User, start: dt.date, end: dt.date) -> FiscalYear:
    if end <= start:
        raise ValidationError({"end": "Sista dagen måste komma efter första dagen."})
    if (end - start).days > 550:
        raise ValidationError({"end": "Ett räkenskapsår kan vara högst 18 månader."})
    overlapping = FiscalYear.objects.for_organisation(organisation).filter(start__lte=end, end__gte=start).first()
    if overlapping is not None:
        raise ValidationError({"start": f"Räkenskapsåret överlappar räkenskapsår {overlapping}."})
    return _save(FiscalYear(organisation=organisation, start=start, end=end), actor)


@dataclass(frozen=True)
class KontoplanImportOutcome:
    created: int
    skipped: int
    encoding: str = ""


def _is_sie(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"#")


@transaction.atomic
def kontoplan_import(*, organisation: Organisation, actor: User, filename: str, data: bytes) -> KontoplanImportOutcome:
    """Accounts from an SIE file (#KONTO, #KTYP) or an Excel/CSV sheet (Konto, Namn, Typ, Grupp), all or none.

    Accounts whose number is already in the kontoplan are left as they are. Raises ValidationError with every
    problem ("Rad 4, kolumn ”Konto”: …") and saves nothing then.
    """
    from . import sie, tabular

    encoding = ""
    if _is_sie(data):
        parsed = sie.parse(data)
        encoding = parsed.encoding_label
        problems = [str(e) for e in parsed.errors if e.field.startswith(("#KONTO", "#KTYP"))]
        rows = [
            tabular.AccountRow(a.line, a.number, a.name or f"Konto {a.number}", sie.account_kind(a, a.number))
            for a in parsed.accounts.values()
        ]
    else:
        rows, found = tabular.read_accounts(data, filename)
        problems = [str(p) for p in found]
    if not rows and not problems:
        problems = ["Filen innehåller inga konton."]
    if problems:
        raise ValidationError(problems)
    groups = {g.code: g for g in AccountGroup.objects.for_organisation(organisation)}
    groups_by_name = {g.name.casefold(): g for g in groups.values()}
    existing = set(Account.objects.for_organisation(organisation).values_list("code", flat=True))
    created = skipped = 0
    for row in rows:
        if row.code in existing:
            skipped += 1
            continue
        group = None
        if row.group:
            group = groups.get(row.group) or groups_by_name.get(row.group.casefold())
            if group is None:
                code, _, name = row.group.partition(" ")
                if not code.isdigit():
                    code, name = row.code[:2], row.group
                group = groups.get(code) or _save(
                    AccountGroup(organisation=organisation, code=code[:10], name=(name or row.group)[:200]), actor
                )
                groups[group.code] = group
                groups_by_name[group.name.casefold()] = group
        kind = row.kind or sie.account_kind(None, row.code)
        _save(Account(organisation=organisation, code=row.code, name=row.name, kind=kind, group=group), actor)
        existing.add(row.code)
        created += 1
    return KontoplanImportOutcome(created=created, skipped=skipped, encoding=encoding)


@transaction.atomic
def dimension_create(*, organisation: Organisation, actor: User, name: str, kind: str, sie_number: int):
    from .models import Dimension

    if Dimension.objects.for_organisation(organisation).filter(sie_number=sie_number).exists():
        raise ValidationError({"sie_number": f"Dimensionsnummer {sie_number} används redan."})
    return _save(Dimension(organisation=organisation, name=name.strip(), kind=kind, sie_number=sie_number), actor)


@transaction.atomic
def dimension_object_create(*, dimension, actor: User, code: str, name: str):
    from .models import DimensionObject

    code = code.strip()
    if dimension.items.filter(code=code).exists():
        raise ValidationError({"code": f"Objektet {code} finns redan i dimensionen {dimension.name}."})
    return _save(DimensionObject(dimension=dimension, code=code, name=name.strip()), actor)
