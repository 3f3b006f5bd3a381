"""Writes for anslag, överklagande and begäran om lagakraftbevis with the court's answer.

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
from .models import Appeal, FinalityRequest, FinalityRequestItem, Minutes, Paragraph, Posting
from .posting_selectors import finality_status, verified_on

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


# -- Begäran om lagakraftbevis ------------------------------------------------------------------------------

NO_DECISION_MESSAGE = "§ {number} har inget beslut. Lagakraftbevis kan bara begäras för paragrafer med beslut."


def _paragraph_statuses(paragraphs: list[Paragraph], posting: Posting, today: dt.date) -> dict[int, object]:
    first_appeal: dict[int, dt.date] = {}
    for appeal in Appeal.objects.filter(paragraph__in=paragraphs).order_by("received_on"):
        first_appeal.setdefault(appeal.paragraph_id, appeal.received_on)
    items: dict[int, list[FinalityRequestItem]] = {}
    for item in FinalityRequestItem.objects.filter(paragraph__in=paragraphs).select_related("request"):
        items.setdefault(item.paragraph_id, []).append(item)
    return {
        p.pk: finality_status(
            posting=posting, appealed_on=first_appeal.get(p.pk), today=today, items=items.get(p.pk, [])
        )
        for p in paragraphs
    }


@transaction.atomic
def finality_request_create(
    *,
    minutes: Minutes,
    actor: User,
    paragraphs: list[Paragraph],
    court: str,
    requested_on: dt.date,
    signed_name: str,
    court_address: str = "",
    case_number: str = "",
    return_address: str = "",
    signed_title: str = "",
    contact: str = "",
) -> FinalityRequest:
    """Record a begäran om lagakraftbevis to the förvaltningsrätt for chosen §§ of an anslaget protokoll.

    Only §§ with a beslut, whose appeal period has run out, that are not registered as överklagade and have no
    court answer yet. The letter itself is the document "meetings.finality_request" (PDF/A).
    """
    minutes = _lock_verified_minutes(minutes)
    posting = Posting.objects.filter(minutes=minutes).first()
    if posting is None:
        raise ValidationError(
            "Protokollet är inte anslaget. Lagakraftbevis kan begäras först när överklagandetiden har gått ut.",
            code="not_posted",
        )
    errors: dict[str, list[str]] = {}
    chosen = sorted({p.pk: p for p in paragraphs}.values(), key=lambda p: p.number)
    if not chosen:
        errors.setdefault("paragraphs", []).append("Välj minst en paragraf.")
    if any(p.minutes_id != minutes.pk for p in chosen):
        errors.setdefault("paragraphs", []).append("Välj paragrafer ur protokollet.")
    today = timezone.localdate()
    if requested_on > today:
        errors.setdefault("requested_on", []).append("Begärans datum kan inte ligga i framtiden.")
    last_day = dates.appeal_last_day(posting.posted_on)
    if requested_on <= last_day:
        errors.setdefault("requested_on", []).append(
            f"Överklagandetiden går ut {last_day.isoformat()}. Lagakraftbevis kan begäras först dagen efter."
        )
    statuses = _paragraph_statuses(chosen, posting, max(today, requested_on))
    for paragraph in chosen:
        if paragraph.minutes_id != minutes.pk:
            continue
        status = statuses[paragraph.pk]
        if not paragraph.has_decision:
            errors.setdefault("paragraphs", []).append(NO_DECISION_MESSAGE.format(number=paragraph.number))
        elif status.state == "appealed":
            errors.setdefault("paragraphs", []).append(f"§ {paragraph.number} är överklagad.")
        elif status.state == "final":
            errors.setdefault("paragraphs", []).append(f"§ {paragraph.number} har redan vunnit laga kraft.")
    court = " ".join((court or "").split())
    if not court or court == "Förvaltningsrätten i":
        errors.setdefault("court", []).append("Ange vilken förvaltningsrätt, t.ex. ”Förvaltningsrätten i Karlstad”.")
    signed_name = " ".join((signed_name or "").split())
    if not signed_name:
        errors.setdefault("signed_name", []).append("Ange vem som undertecknar begäran.")
    if errors:
        raise ValidationError(errors)
    request = FinalityRequest(
        minutes=minutes,
        court=court,
        court_address=(court_address or "").strip(),
        case_number=(case_number or "").strip(),
        return_address=(return_address or "").strip(),
        signed_name=signed_name,
        signed_title=(signed_title or "").strip(),
        contact=(contact or "").strip(),
        requested_on=requested_on,
        created_by=actor,
    )
    request._history_user = actor
    request.save()
    for paragraph in chosen:
        item = FinalityRequestItem(request=request, paragraph=paragraph)
        item._history_user = actor
        item.save()
    return request


@transaction.atomic
def finality_answer_register(
    *,
    request: FinalityRequest,
    actor: User,
    answered_on: dt.date,
    court_reference: str,
    appealed: set[int] | frozenset[int] = frozenset(),
) -> list[FinalityRequestItem]:
    """Register the förvaltningsrätt's answer to a begäran: its date, målnummer or reference, and per § whether
    an överklagande had come in (`appealed`: the ids of those §§). Only then can a § vinna laga kraft.

    Every § of the request still without an answer gets this one; an answer once registered is not changed.
    """
    request = FinalityRequest.objects.select_for_update().get(pk=request.pk)
    items = list(
        FinalityRequestItem.objects.select_for_update()
        .filter(request=request, answered_on__isnull=True)
        .select_related("paragraph")
        .order_by("paragraph__number")
    )
    if not items:
        raise ValidationError("Förvaltningsrättens svar är redan registrerat för alla paragrafer i begäran.")
    errors: dict[str, list[str]] = {}
    if answered_on > timezone.localdate():
        errors.setdefault("answered_on", []).append("Dagen för svaret kan inte ligga i framtiden.")
    if answered_on < request.requested_on:
        errors.setdefault("answered_on", []).append(
            f"Svaret kan inte vara daterat före begäran ({request.requested_on.isoformat()})."
        )
    court_reference = " ".join((court_reference or "").split())
    if not court_reference:
        errors.setdefault("court_reference", []).append(
            "Ange förvaltningsrättens målnummer eller referens, som det står på svaret."
        )
    unknown = set(appealed) - {item.paragraph_id for item in items}
    if unknown:
        errors.setdefault("appealed", []).append("Välj paragrafer ur begäran.")
    if errors:
        raise ValidationError(errors)
    for item in items:
        item.answered_on = answered_on
        item.court_reference = court_reference
        item.appeal_received = item.paragraph_id in appealed
        item.answered_by = actor
        item._history_user = actor
        item.save()
    return items


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
