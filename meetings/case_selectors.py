"""Reads for diarieserier, ärenden and their tjänsteskrivelse. Every selector takes the organisation."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from core.models import Organisation, Person, RoleAssignment

from .confidentiality import Viewer
from .models import (
    AgendaItem,
    Attachment,
    Case,
    CaseNumberCounter,
    CaseNumberSeries,
    Committee,
    Membership,
    Paragraph,
)


def organisation_committees(*, organisation: Organisation) -> QuerySet[Committee]:
    return Committee.objects.for_organisation(organisation).order_by("name")


def organisation_people(*, organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.for_organisation(organisation).order_by("last_name", "first_name")


def staff_people(*, organisation: Organisation, include_pk: int | None = None) -> QuerySet[Person]:
    """Who may be handläggare: the organisation's tjänstepersoner, never a politician or a guest.

    A person is staff when their login holds a staff role here, or when they have no login, have never held a
    seat and have never attended a meeting as a ledamot, ersättare or övrig deltagare (a tjänsteperson recorded
    without a login, such as the demo's "Sanna Andrén, Ekonom"). `include_pk` keeps the current choice of an
    existing ärende selectable.
    """
    from core.user_services import STAFF_ROLES

    from .models import Attendance

    not_staff_attendance = Attendance.objects.exclude(capacity=Attendance.Capacity.OFFICIAL).values("person_id")
    staff_logins = RoleAssignment.objects.filter(organisation=organisation, role__in=STAFF_ROLES).values("user_id")
    staff = Q(user__in=staff_logins) | (
        Q(user__isnull=True) & ~Q(pk__in=Membership.objects.values("person_id")) & ~Q(pk__in=not_staff_attendance)
    )
    if include_pk is not None:
        staff |= Q(pk=include_pk)
    return Person.objects.for_organisation(organisation).filter(staff).order_by("last_name", "first_name")


def series_list(*, organisation: Organisation, year: int) -> QuerySet[CaseNumberSeries]:
    """The organisation's series, each with `last_value` (the last number given in `year`, or None)."""
    last = CaseNumberCounter.objects.filter(series=OuterRef("pk"), year=year).values("last_value")[:1]
    return (
        CaseNumberSeries.objects.for_organisation(organisation)
        .select_related("committee")
        .annotate(last_value=Subquery(last))
        .order_by("-is_active", "name")
    )


def series_active(*, organisation: Organisation) -> QuerySet[CaseNumberSeries]:
    return (
        CaseNumberSeries.objects.for_organisation(organisation)
        .filter(is_active=True)
        .select_related("committee")
        .order_by("name")
    )


def series_next_sequence(*, series: CaseNumberSeries | None, year: int) -> int:
    """The löpnummer the next ärende of the series would get in `year` (a preview; nothing is taken)."""
    if series is None or series.pk is None:
        return 1
    counter = CaseNumberCounter.objects.filter(series=series, year=year).values_list("last_value", flat=True).first()
    return (counter or 0) + 1


def case_list(
    *,
    organisation: Organisation,
    viewer: Viewer,
    committee: Committee | None = None,
    status: str = "",
    year: int | None = None,
    text: str = "",
) -> QuerySet[Case]:
    """Ärenden for the list page: one query for the rows however many there are.

    The text filter looks into a confidential ärende's title only when `viewer` may read it (the diarienummer
    itself is public), so a search cannot confirm what a confidential ärende is about.
    """
    cases = Case.objects.for_organisation(organisation).select_related("series", "committee", "handler")
    if committee is not None:
        cases = cases.filter(committee=committee)
    if status:
        cases = cases.filter(status=status)
    if year:
        cases = cases.filter(year=year)
    text = (text or "").strip()
    if text:
        in_title = Q(title__icontains=text) & viewer.readable_cases()
        cases = cases.filter(Q(case_number__icontains=text) | in_title)
    return cases.order_by("-year", "-sequence", "-pk")


def case_years(*, organisation: Organisation) -> list[int]:
    return list(Case.objects.for_organisation(organisation).order_by("-year").values_list("year", flat=True).distinct())


def case_detail(*, organisation: Organisation, pk: int) -> Case:
    """One ärende with everything its page shows: tjänsteskrivelse, bilagor, agenda items and §."""
    agenda_items = AgendaItem.objects.select_related("meeting__committee").order_by("-meeting__date", "position")
    paragraphs = Paragraph.objects.select_related("committee", "minutes__meeting", "agenda_item").order_by(
        "-year", "-number"
    )
    return (
        Case.objects.for_organisation(organisation)
        .select_related(
            "series__committee",
            "committee",
            "handler",
            "created_by",
            "officer_report__handler",
            "officer_report__signed_by",
        )
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk")),
            Prefetch("agenda_items", queryset=agenda_items),
            Prefetch("paragraphs", queryset=paragraphs),
        )
        .get(pk=pk)
    )


def case_by_number(*, organisation: Organisation, case_number: str) -> Case | None:
    return Case.objects.for_organisation(organisation).filter(case_number__iexact=case_number.strip()).first()


def case_on_confidential_agenda_item() -> Exists:
    """True for an ärende that has been on an agenda as a confidential item."""
    return Exists(AgendaItem.objects.filter(case=OuterRef("pk"), confidential=True))
