"""Writes for the prognos: an ekonom's prognos helår for one verksamhet or kontoklass in one month, always with
its comment. The default prognos (utfall so far plus the remaining budget) is never stored; history keeps every
earlier amount and comment of an entry (finance/followup_selectors.py)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Organisation, User

from .budget_services import amount_problem
from .models import AccountGroup, DimensionObject, FiscalYear, FollowupSettings, ForecastEntry

COMMENT_REQUIRED = "Skriv en kommentar som förklarar prognosen; en ändrad prognos kräver alltid en kommentar."


def _check_target(organisation: Organisation, dimension_object, account_group) -> None:
    if dimension_object is not None and account_group is not None:
        raise ValidationError("Välj antingen en verksamhet eller en kontoklass, inte båda.")
    if dimension_object is not None and dimension_object.dimension.organisation_id != organisation.pk:
        raise ValidationError({"dimension_object": "Verksamheten hör inte till organisationen."})
    if account_group is not None and account_group.organisation_id != organisation.pk:
        raise ValidationError({"account_group": "Kontoklassen hör inte till organisationen."})


@transaction.atomic
def forecast_save(
    *,
    organisation: Organisation,
    actor: User,
    fiscal_year: FiscalYear,
    month: int,
    amount: Decimal,
    comment: str,
    dimension_object: DimensionObject | None = None,
    account_group: AccountGroup | None = None,
) -> ForecastEntry:
    """Set the month's prognos helår of a verksamhet (or kontoklass, or what has none). Refused without a comment."""
    if fiscal_year.organisation_id != organisation.pk:
        raise ValidationError({"fiscal_year": "Räkenskapsåret hör inte till organisationen."})
    _check_target(organisation, dimension_object, account_group)
    if not 1 <= int(month) <= 12:
        raise ValidationError({"month": "Månaden ska vara 1–12."})
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": COMMENT_REQUIRED})
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError) as exc:
        raise ValidationError({"amount": "Prognosen ska vara ett belopp i kronor."}) from exc
    problem = amount_problem(amount)
    if problem:
        raise ValidationError({"amount": problem[:1].upper() + problem[1:] + "."})
    # Serialises two ekonomer saving the same prognos at once (NULLs make the unique constraint blind to it).
    FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    entry = ForecastEntry.objects.filter(
        fiscal_year=fiscal_year, month=month, dimension_object=dimension_object, account_group=account_group
    ).first()
    if entry is None:
        entry = ForecastEntry(
            organisation=organisation,
            fiscal_year=fiscal_year,
            month=month,
            dimension_object=dimension_object,
            account_group=account_group,
        )
    entry.amount, entry.comment = amount, comment
    entry.updated_by, entry.updated_at = actor, timezone.now()
    entry._history_user = actor
    entry.save()
    return entry


@transaction.atomic
def forecast_reset(*, entry: ForecastEntry, actor: User) -> None:
    """Back to the default prognos; history keeps what it was."""
    entry._history_user = actor
    entry.delete()


@transaction.atomic
def followup_settings_save(
    *,
    organisation: Organisation,
    actor: User,
    percent_threshold: Decimal,
    amount_threshold: Decimal,
    report_heading: str = "",
) -> FollowupSettings:
    if percent_threshold < 0 or amount_threshold < 0:
        raise ValidationError("Gränserna för stor avvikelse kan inte vara negativa.")
    row = FollowupSettings.objects.filter(organisation=organisation).first() or FollowupSettings(
        organisation=organisation
    )
    row.percent_threshold, row.amount_threshold = percent_threshold, amount_threshold
    row.report_heading = report_heading.strip()
    row._history_user = actor
    row.save()
    return row
