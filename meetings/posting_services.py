"""Writes for anslag and överklagande.

Both need a justerat (locked) protokoll and neither changes its content: they re-read the protokoll FOR UPDATE so
that a concurrent change of its state is seen, and refuse anything but a verified one.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import User

from . import dates
from .models import Appeal, Minutes, Paragraph, Posting
from .posting_selectors import verified_on

LATE_APPEAL_WARNING = "Överklagandet inkom efter överklagandetiden, som gick ut {last_day}."


def _lock_verified_minutes(minutes: Minutes) -> Minutes:
    locked = Minutes.objects.select_for_update().select_related("meeting__committee").get(pk=minutes.pk)
    if not locked.is_locked or locked.status != Minutes.Status.VERIFIED:
        raise ValidationError(
            "Protokollet är inte justerat. Det kan anslås först när alla har justerat det.", code="not_verified"
        )
    return locked


@transaction.atomic
def posting_create(
    *,
    minutes: Minutes,
    actor: User,
    posted_on: dt.date,
    taken_down_on: dt.date,
    storage_place: str,
) -> Posting:
    """Post the anslag of a justerat protokoll, within the legal dates (KL 8 kap. 12 §, three weeks up)."""
    minutes = _lock_verified_minutes(minutes)
    if Posting.objects.filter(minutes=minutes).exists():
        raise ValidationError("Protokollet är redan anslaget.", code="already_posted")
    justered = verified_on(minutes)
    errors: dict[str, list[str]] = {}
    if posted_on < justered:
        errors.setdefault("posted_on", []).append(
            f"Anslaget kan inte sättas upp före justeringen ({justered.isoformat()})."
        )
    deadline = dates.posting_deadline(justered)
    if posted_on > deadline:
        errors.setdefault("posted_on", []).append(
            f"Anslaget ska sättas upp senast andra dagen efter justeringen, alltså senast {deadline.isoformat()}."
        )
    earliest = dates.earliest_take_down(posted_on)
    if taken_down_on < earliest:
        errors.setdefault("taken_down_on", []).append(
            f"Anslaget ska sitta uppe minst tre veckor och kan tas ned tidigast {earliest.isoformat()}."
        )
    storage_place = (storage_place or "").strip()
    if not storage_place:
        errors.setdefault("storage_place", []).append("Ange var protokollet förvaras, t.ex. ”Kommunkansliet”.")
    if errors:
        raise ValidationError(errors)
    posting = Posting(
        minutes=minutes,
        posted_on=posted_on,
        taken_down_on=taken_down_on,
        storage_place=storage_place,
        posted_by=actor,
    )
    posting._history_user = actor
    posting.save()
    public_minutes_pdf_request(minutes=minutes, actor=actor)
    return posting


@transaction.atomic
def appeal_register(
    *,
    paragraph: Paragraph,
    actor: User,
    received_on: dt.date,
    appellant: str,
    court: str,
    note: str = "",
) -> tuple[Appeal, list[str]]:
    """Register an överklagande of a § of an anslaget protokoll. Returns the appeal and warnings (Swedish).

    A late appeal is registered all the same (the court decides whether to dismiss it), with a warning.
    """
    paragraph = Paragraph.objects.select_related("minutes").get(pk=paragraph.pk)
    minutes = _lock_verified_minutes(paragraph.minutes)
    posting = Posting.objects.filter(minutes=minutes).first()
    if posting is None:
        raise ValidationError(
            "Protokollet är inte anslaget. Ett överklagande kan registreras först när anslaget har satts upp.",
            code="not_posted",
        )
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "Dagen då överklagandet inkom kan inte ligga i framtiden."})
    court = (court or "").strip()
    if not court:
        raise ValidationError({"court": "Ange vilken domstol överklagandet gäller, t.ex. ”Förvaltningsrätten i …”."})
    warnings = []
    last_day = dates.appeal_last_day(posting.posted_on)
    if received_on > last_day:
        warnings.append(LATE_APPEAL_WARNING.format(last_day=last_day.isoformat()))
    appeal = Appeal(
        paragraph=paragraph,
        received_on=received_on,
        appellant=(appellant or "").strip(),
        court=court,
        note=(note or "").strip(),
        registered_by=actor,
    )
    appeal._history_user = actor
    appeal.save()
    return appeal, warnings


def public_minutes_pdf_request(*, minutes: Minutes, actor: User | None) -> None:
    """Ask, once the transaction commits, for the public PDF of an anslaget protokoll (no sekretess in it).

    The anslagstavla links to it. Nothing is asked when one is finished or on its way; a protokoll that cannot be
    rendered now (DocumentInputError) is left for the next visitor or anslag to ask again. Rendering reuses a
    finished file with the same content (reporting's fingerprint), so asking twice costs little.
    """
    from reporting.documents import DocumentInputError
    from reporting.services import render_job_request

    from .posting_selectors import PUBLIC_MINUTES_KIND, public_minutes_pdf_job, public_minutes_pdf_pending

    def request() -> None:
        if public_minutes_pdf_job(minutes=minutes) or public_minutes_pdf_pending(minutes=minutes):
            return
        try:
            render_job_request(
                organisation=minutes.meeting.committee.organisation,
                user=actor,
                kind=PUBLIC_MINUTES_KIND,
                params={"minutes": minutes.pk},
            )
        except DocumentInputError:
            return

    transaction.on_commit(request)
