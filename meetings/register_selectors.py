"""Reads for the delegationsbeslut and meddelanden registers. Every selector takes the organisation."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from core.models import Organisation

from .confidentiality import Viewer
from .models import Committee, Communication, DelegatedDecision, Meeting


def delegated_list(
    *,
    organisation: Organisation,
    viewer: Viewer,
    committee: Committee | None = None,
    unreported: bool = False,
    text: str = "",
) -> QuerySet[DelegatedDecision]:
    """Delegationsbeslut for the list page, in one query however many rows there are.

    The text filter looks into a confidential row (marked, or of a confidential ärende) only when `viewer` may
    read it.
    """
    rows = DelegatedDecision.objects.for_organisation(organisation).select_related(
        "committee", "case", "reported_in__meeting__committee"
    )
    if committee is not None:
        rows = rows.filter(committee=committee)
    if unreported:
        rows = rows.filter(reported_in__isnull=True)
    text = (text or "").strip()
    if text:
        matched = Q(decision__icontains=text) | Q(delegate__icontains=text) | Q(delegation_point__icontains=text)
        matched &= viewer.readable_register_rows()
        rows = rows.filter(matched | Q(case__case_number__icontains=text))
    return rows.order_by("-decided_on", "-pk")


def communication_list(
    *,
    organisation: Organisation,
    viewer: Viewer,
    committee: Committee | None = None,
    unreported: bool = False,
    text: str = "",
) -> QuerySet[Communication]:
    rows = Communication.objects.for_organisation(organisation).select_related(
        "committee", "case", "reported_in__meeting__committee"
    )
    if committee is not None:
        rows = rows.filter(committee=committee)
    if unreported:
        rows = rows.filter(reported_in__isnull=True)
    text = (text or "").strip()
    if text:
        matched = Q(subject__icontains=text) | Q(sender__icontains=text)
        matched &= viewer.readable_register_rows()
        rows = rows.filter(matched | Q(case__case_number__icontains=text))
    return rows.order_by("-received_on", "-pk")


def unreported_delegated(*, committee: Committee, on_or_before: dt.date) -> QuerySet[DelegatedDecision]:
    return DelegatedDecision.objects.filter(committee=committee, reported_in__isnull=True, decided_on__lte=on_or_before)


def unreported_communications(*, committee: Committee, on_or_before: dt.date) -> QuerySet[Communication]:
    return Communication.objects.filter(committee=committee, reported_in__isnull=True, received_on__lte=on_or_before)


def meeting_unreported_counts(*, meeting: Meeting) -> dict[str, int]:
    """How many register rows the meeting would take up: for a button on the meeting page."""
    return {
        "delegated": unreported_delegated(committee=meeting.committee, on_or_before=meeting.date).count(),
        "communications": unreported_communications(committee=meeting.committee, on_or_before=meeting.date).count(),
    }
