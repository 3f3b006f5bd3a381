"""The one confidentiality rule: what is sekretess, and who may read it (docs/decisions/0006).

What is confidential (`is_confidential`): an object marked sekretess itself, or through what it belongs to –
a § through its agenda item or ärende, an agenda item through its ärende, a bilaga through its agenda item or
ärende, a delegationsbeslut or meddelande through its ärende, a rättelse through its §, a tjänsteskrivelse
through its ärende.

Who may read it (`Viewer.may_read`): each nämnd is its own myndighet (OSL 2 kap. 3 §), so

- administratör, nämndsekreterare, förbundschef and revisor read the whole organisation's (the staff who
  prepare every nämnd's ärenden, and the auditors who examine every nämnd);
- a ledamot reads the confidential material of a committee where they hold a seat today (ledamot or
  ersättare), or held one on the date of the meeting concerned; an utskott counts as part of its nämnd;
- everyone else (ekonom, the public, a ledamot without such a seat) reads none of it.

Views get a viewer with `viewer_for(request)` (every template has it as `viewer`, from the context processor
below); templates ask `{% if obj|hidden_for:viewer %}` (meetings/templatetags/confidentiality.py). Documents
use the fixed viewers `PUBLIC` (public versions: nothing confidential) and `INTERNAL` (internal versions, whose
access `require_may_read` checked when they were requested; a rendered PDF is shared by everyone who asks for
the same document, so it can never depend on who asked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core.models import Role

# Roles that read every committee's confidential material in their organisation.
ORGANISATION_WIDE_ROLES = frozenset({Role.ADMIN, Role.SECRETARY, Role.DIRECTOR, Role.AUDITOR})
# The role whose access follows the user's seats.
SEAT_ROLE = Role.MEMBER

NOT_ENTITLED = "Uppgifterna omfattas av sekretess. Du har inte behörighet att se dem."


# -- What is confidential -------------------------------------------------------------------------------------


def is_confidential(obj: Any) -> bool:
    """Whether `obj` is sekretess, itself or through what it belongs to (None and unknown objects: False)."""
    from .models import (
        AgendaItem,
        Attachment,
        Case,
        Communication,
        Correction,
        DelegatedDecision,
        OfficerReport,
        Paragraph,
    )

    if obj is None:
        return False
    if isinstance(obj, (Paragraph, AgendaItem)):
        return obj.is_confidential
    if isinstance(obj, Case):
        return obj.confidential
    if isinstance(obj, Attachment):
        return (
            obj.confidential
            or bool(obj.agenda_item_id and obj.agenda_item.is_confidential)
            or bool(obj.case_id and obj.case.confidential)
        )
    if isinstance(obj, (DelegatedDecision, Communication)):
        return obj.confidential or bool(obj.case_id and obj.case.confidential)
    if isinstance(obj, Correction):
        return bool(obj.paragraph_id and obj.paragraph.is_confidential)
    if isinstance(obj, OfficerReport):
        return obj.case.confidential
    # Value objects that carry the answer themselves (AgendaChange, PublicParagraph …).
    if hasattr(obj, "masked"):
        return bool(obj.masked)
    return bool(getattr(obj, "confidential", False))


def legal_basis(obj: Any) -> str:
    """The sekretessgrund that makes `obj` confidential: its own, else that of what it belongs to."""
    if obj is None or not is_confidential(obj):
        return ""
    for link in _chain(obj):
        if link is not None and link.confidential and (link.legal_basis or "").strip():
            return link.legal_basis.strip()
    return ""


def _chain(obj: Any) -> list[Any]:
    """`obj` and what its confidentiality comes from, nearest first (only relations is_confidential has read)."""
    from .models import AgendaItem, Attachment, Communication, Correction, DelegatedDecision, OfficerReport, Paragraph

    if isinstance(obj, Correction):
        return _chain(obj.paragraph) if obj.paragraph_id else []
    if isinstance(obj, OfficerReport):
        return [obj.case]
    if isinstance(obj, Paragraph):
        return [obj, obj.agenda_item if obj.agenda_item_id else None, obj.case if obj.case_id else None]
    if isinstance(obj, Attachment):
        item = obj.agenda_item if obj.agenda_item_id else None
        return [obj, *(_chain(item) if item is not None else []), obj.case if obj.case_id else None]
    if isinstance(obj, (AgendaItem, DelegatedDecision, Communication)):
        return [obj, obj.case if obj.case_id else None]
    return [obj] if hasattr(obj, "legal_basis") else []


def scope(obj: Any) -> tuple[int | None, dt.date | None]:
    """(committee id, date) that decides who may read `obj`: the meeting's date where there is one.

    An ärende is a living file with no meeting date: only a seat held today counts for it.
    """
    from .models import (
        AgendaItem,
        Attachment,
        Case,
        Communication,
        Correction,
        DelegatedDecision,
        Meeting,
        Minutes,
        OfficerReport,
        Paragraph,
    )

    if isinstance(obj, Meeting):
        return obj.committee_id, obj.date
    if isinstance(obj, Minutes):
        return scope(obj.meeting)
    if isinstance(obj, Paragraph):
        return obj.committee_id, obj.minutes.meeting.date
    if isinstance(obj, AgendaItem):
        return scope(obj.meeting)
    if isinstance(obj, Case):
        return obj.committee_id, None
    if isinstance(obj, OfficerReport):
        return scope(obj.case)
    if isinstance(obj, Attachment):
        return scope(obj.agenda_item) if obj.agenda_item_id else scope(obj.case)
    if isinstance(obj, Correction):
        return scope(obj.minutes)
    if isinstance(obj, (DelegatedDecision, Communication)):
        return obj.committee_id, obj.reported_in.meeting.date if obj.reported_in_id else None
    committee_id = getattr(obj, "committee_id", None)
    return committee_id, getattr(obj, "on", None)


# -- Who may read it ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    committees: frozenset[int]  # the seat's committee and the rest of its myndighet (nämnd and utskott)
    starts_on: dt.date
    ends_on: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


@dataclass(frozen=True)
class Viewer:
    """Who is reading: organisation-wide access, seats, or nothing. Immutable and cheap to ask."""

    organisation_id: int | None = None
    organisation_wide: bool = False
    seats: tuple[Seat, ...] = ()
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def reads_nothing(self) -> bool:
        return not self.organisation_wide and not self.seats

    def _current(self) -> frozenset[int]:
        found: set[int] = set()
        for seat in self.seats:
            if seat.covers(self.today):
                found |= seat.committees
        return frozenset(found)

    def may_read(self, committee_id: int | None, on: dt.date | None = None) -> bool:
        """Whether confidential material of this committee (and meeting date) may be read."""
        if self.organisation_wide:
            return True
        if committee_id is None:
            return False
        for seat in self.seats:
            if committee_id in seat.committees and (seat.covers(self.today) or (on is not None and seat.covers(on))):
                return True
        return False

    def may_see(self, obj: Any) -> bool:
        """Whether `obj` may be shown in full: it is not confidential, or this viewer may read it."""
        if not is_confidential(obj):
            return True
        if self.organisation_wide:
            return True
        if self.reads_nothing:
            return False
        return self.may_read(*scope(obj))

    def hides(self, obj: Any) -> bool:
        return not self.may_see(obj)

    # Query conditions for lists and searches: the rows whose confidential text may be matched or shown.

    def _seat_condition(self, committee_field: str, date_field: str | None) -> Q:
        current = self._current()
        condition = Q(**{f"{committee_field}__in": sorted(current)}) if current else Q(pk__in=[])
        if date_field is None:
            return condition
        for seat in self.seats:
            if seat.covers(self.today):
                continue
            period = Q(**{f"{committee_field}__in": sorted(seat.committees), f"{date_field}__gte": seat.starts_on})
            if seat.ends_on is not None:
                period &= Q(**{f"{date_field}__lte": seat.ends_on})
            condition |= period
        return condition

    def readable_cases(self) -> Q:
        """Ärenden whose confidential content this viewer may read (every non-confidential one too)."""
        if self.organisation_wide:
            return Q()
        public = Q(confidential=False)
        return public if self.reads_nothing else public | self._seat_condition("committee_id", None)

    def readable_paragraphs(self) -> Q:
        from .models import PUBLIC_PARAGRAPH

        if self.organisation_wide:
            return Q()
        if self.reads_nothing:
            return PUBLIC_PARAGRAPH
        return PUBLIC_PARAGRAPH | self._seat_condition("committee_id", "minutes__meeting__date")

    def readable_register_rows(self) -> Q:
        """Delegationsbeslut and meddelanden (both have committee, case and reported_in)."""
        if self.organisation_wide:
            return Q()
        public = Q(confidential=False) & (Q(case__isnull=True) | Q(case__confidential=False))
        if self.reads_nothing:
            return public
        return public | self._seat_condition("committee_id", "reported_in__meeting__date")

    def unmasked_search_cases(self) -> Q:
        """For search: also keeps out a public ärende that has been on a confidential agenda item."""
        from .models import AgendaItem

        if self.organisation_wide:
            return Q()
        on_secret_item = Exists(AgendaItem.objects.filter(case=OuterRef("pk"), confidential=True))
        public = Q(confidential=False) & ~Q(on_secret_item)
        return public if self.reads_nothing else public | self._seat_condition("committee_id", None)


PUBLIC = Viewer()
# Internal documents print everything, marked; who may ask for them is checked when they are requested.
INTERNAL = Viewer(organisation_wide=True)


def _authority_map(organisation_id: int) -> dict[int, frozenset[int]]:
    """Committee id -> every committee of the same myndighet: a nämnd with its utskott (walked up the tree)."""
    from .models import Committee

    rows = {
        pk: (parent_id, kind)
        for pk, parent_id, kind in Committee.objects.filter(organisation_id=organisation_id).values_list(
            "pk", "parent_id", "kind"
        )
    }

    def root(pk: int) -> int:
        seen = set()
        while pk in rows and pk not in seen:
            seen.add(pk)
            parent_id, kind = rows[pk]
            if kind != Committee.Kind.SUBCOMMITTEE or parent_id is None:
                break
            pk = parent_id
        return pk

    groups: dict[int, set[int]] = {}
    for pk in rows:
        groups.setdefault(root(pk), set()).add(pk)
    return {pk: frozenset(groups[root(pk)]) for pk in rows}


def viewer_for_user(user, organisation, roles: Iterable[str] | None = None) -> Viewer:
    """The viewer for a user in an organisation (roles read from the database when not given)."""
    from core.models import RoleAssignment

    from .models import Membership

    if user is None or not getattr(user, "is_authenticated", False) or organisation is None:
        return PUBLIC
    if roles is None:
        roles = RoleAssignment.objects.filter(user=user, organisation=organisation).values_list("role", flat=True)
    roles = frozenset(roles)
    if roles & ORGANISATION_WIDE_ROLES:
        return Viewer(organisation_id=organisation.pk, organisation_wide=True)
    if SEAT_ROLE not in roles:
        return Viewer(organisation_id=organisation.pk)
    memberships = list(
        Membership.objects.filter(person__user=user, committee__organisation=organisation).values_list(
            "committee_id", "starts_on", "ends_on"
        )
    )
    if not memberships:
        return Viewer(organisation_id=organisation.pk)
    authorities = _authority_map(organisation.pk)
    seats = tuple(
        Seat(committees=authorities.get(committee_id, frozenset({committee_id})), starts_on=start, ends_on=end)
        for committee_id, start, end in memberships
    )
    return Viewer(organisation_id=organisation.pk, seats=seats)


def viewer_for(request: HttpRequest) -> Viewer:
    """The request's viewer, worked out once per request."""
    cached = getattr(request, "_confidentiality_viewer", None)
    if cached is None:
        cached = viewer_for_user(
            getattr(request, "user", None), getattr(request, "organisation", None), getattr(request, "roles", ())
        )
        request._confidentiality_viewer = cached
    return cached


def may_read(request: HttpRequest, committee_id: int | None, on: dt.date | None = None) -> bool:
    return viewer_for(request).may_read(committee_id, on)


def require_may_read(request: HttpRequest, obj: Any) -> None:
    """403 unless the request's viewer may read confidential material in `obj`'s committee (and date)."""
    if not viewer_for(request).may_read(*scope(obj)):
        raise PermissionDenied(NOT_ENTITLED)


def require_may_see(request: HttpRequest, obj: Any) -> None:
    """403 when `obj` is confidential and the request's viewer may not read it."""
    if viewer_for(request).hides(obj):
        raise PermissionDenied(NOT_ENTITLED)


def context_processor(request: HttpRequest) -> dict:
    """`viewer` in every template rendered with a request (worked out only if a template asks)."""
    return {"viewer": SimpleLazyObject(lambda: viewer_for(request))}
