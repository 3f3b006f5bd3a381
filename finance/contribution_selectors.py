"""Reads for medlemsbidrag: the years' allocations and their split (finance/contributions.py)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch

from core.formatting import format_number
from core.models import Organisation

from .contributions import ContributionPart, split_contributions
from .models import ContributionAllocation, ContributionMunicipality, FiscalYear


def allocation_for(*, fiscal_year: FiscalYear) -> ContributionAllocation | None:
    return (
        ContributionAllocation.objects.filter(fiscal_year=fiscal_year)
        .prefetch_related(Prefetch("municipalities", queryset=ContributionMunicipality.objects.order_by("position")))
        .first()
    )


def allocation_list(*, organisation: Organisation):
    return (
        ContributionAllocation.objects.for_organisation(organisation)
        .select_related("fiscal_year")
        .prefetch_related(Prefetch("municipalities", queryset=ContributionMunicipality.objects.order_by("position")))
        .order_by("-fiscal_year__start")
    )


def split(allocation: ContributionAllocation) -> list[ContributionPart]:
    return split_contributions(
        allocation.total,
        [(row.name, row.share) for row in allocation.municipalities.all()],
        unit=Decimal(allocation.rounding_unit),
        state_name=allocation.state_name,
        region_name=allocation.region_name,
    )


def share_label(share: Decimal | None) -> str:
    """A kommun's share as typed: 41 500, 95,18 (Swedish digits, no trailing zeros)."""
    if share is None:
        return ""
    places = max(0, -int(share.normalize().as_tuple().exponent))
    return format_number(share, min(places, 4))


def split_total(parts: list[ContributionPart]) -> Decimal:
    return sum((part.amount for part in parts), Decimal(0))
