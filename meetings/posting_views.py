"""Internal pages for anslag, överklagande, laga kraft and protokollsutdrag (login and permissions required).

Every object is fetched scoped to request.organisation (another organisation's is a 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from core.forms import add_service_errors
from core.params import parse_id
from core.permissions import has_perm, perm_required
from reporting import services as reporting_services
from reporting.documents import DocumentInputError

from . import dates, posting_services
from . import posting_selectors as selectors
from .models import Paragraph
from .posting_forms import AppealForm, ExtractForm, FinalityAnswerForm, FinalityRequestForm, PostingForm

NO_EMAIL_NOTE = (
    "Paragraf har inga e-postadresser till mottagarna i expedieringslistan. Skicka utdraget själv; "
    "utskicket registreras inte här."
)


def _minutes(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.minutes_with_meeting(organisation=request.organisation), pk=pk)


@perm_required("meetings.view")
@require_safe
def posting_overview(request: HttpRequest) -> HttpResponse:
    """Justerade protokoll of the organisation with their anslag."""
    minutes_list = list(selectors.minutes_for_postings(organisation=request.organisation)[:100])
    rows = []
    for minutes in minutes_list:
        posting = minutes.posting if selectors.has_posting(minutes) else None
        rows.append(
            {
                "minutes": minutes,
                "posting": posting,
                "verified_on": selectors.verified_on(minutes),
                "deadline": dates.posting_deadline(selectors.verified_on(minutes)),
            }
        )
    return render(request, "meetings/posting_overview.html", {"rows": rows})


@perm_required("meetings.view")
@require_safe
def minutes_finality(request: HttpRequest, pk: int) -> HttpResponse:
    """One protokoll: its anslag, and every § with its laga kraft status and överklaganden."""
    minutes = _minutes(request, pk)
    today = timezone.localdate()
    posting = minutes.posting if selectors.has_posting(minutes) else None
    rows = selectors.minutes_paragraphs_with_status(minutes=minutes, today=today)
    context = {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "posting": posting,
        "verified_on": selectors.verified_on(minutes),
        "appeal_last_day": dates.appeal_last_day(posting.posted_on) if posting else None,
        "rows": rows,
        "requests": selectors.finality_requests(minutes=minutes),
        "may_request": any(status.may_request and paragraph.has_decision for paragraph, status in rows),
        "can_manage": has_perm(request, "meetings.manage_minutes"),
        "can_render": has_perm(request, "meetings.view"),
        "masked_text": selectors.PUBLIC_MASKED_TEXT,
    }
    return render(request, "meetings/posting_minutes.html", context)


@perm_required("meetings.manage_minutes")
@require_http_methods(["GET", "POST"])
def posting_create(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(request, pk)
    justered = selectors.verified_on(minutes)
    initial = {}
    if justered:
        posted_on = max(justered, min(timezone.localdate(), dates.posting_deadline(justered)))
        initial = {"posted_on": posted_on, "taken_down_on": dates.earliest_take_down(posted_on)}
    # Protokoll are kept in the same place year after year: start from where the last one went.
    initial["storage_place"] = selectors.last_storage_place(organisation=request.organisation)
    form = PostingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            posting_services.posting_create(minutes=minutes, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Anslaget är uppsatt.")
            return redirect("noticeboard:minutes_finality", pk=minutes.pk)
    context = {
        "form": form,
        "minutes": minutes,
        "meeting": minutes.meeting,
        "verified_on": justered,
        "deadline": dates.posting_deadline(justered) if justered else None,
    }
    return render(request, "meetings/posting_form.html", context, status=400 if form.errors else 200)


@perm_required("meetings.manage_minutes")
@require_http_methods(["GET", "POST"])
def appeal_create(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = get_object_or_404(selectors.paragraphs_for_organisation(organisation=request.organisation), pk=pk)
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _appeal, warnings = posting_services.appeal_register(
                paragraph=paragraph, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Överklagandet av § {paragraph.number} är registrerat.")
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("noticeboard:minutes_finality", pk=paragraph.minutes_id)
    context = {
        "form": form,
        "paragraph": paragraph,
        "meeting": paragraph.minutes.meeting,
        "status": selectors.paragraph_finality(paragraph=paragraph, today=timezone.localdate()),
    }
    return render(request, "meetings/posting_appeal_form.html", context, status=400 if form.errors else 200)


@perm_required("meetings.manage_minutes")
@require_http_methods(["GET", "POST"])
def extract_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick §§ and request the protokollsutdrag (PDF); the expediering of each § is listed beside it."""
    minutes = _minutes(request, pk)
    paragraphs = list(
        Paragraph.objects.filter(minutes=minutes).select_related("agenda_item", "case").order_by("number")
    )
    for paragraph in paragraphs:
        paragraph.minutes = minutes  # the confidentiality rule reads the meeting's date: no query
    form = ExtractForm(request.POST if request.method == "POST" else None, paragraphs=paragraphs)
    if request.method == "POST" and form.is_valid():
        numbers = ",".join(str(n) for n in sorted(form.cleaned_data["paragraphs"]))
        try:
            job = reporting_services.render_job_request(
                organisation=request.organisation,
                user=request.user,
                kind="meetings.extract",
                params={"minutes": minutes.pk, "paragraphs": numbers},
            )
        except DocumentInputError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("reporting:job_detail", pk=job.pk)
    chosen = {parse_id(n) for n in form["paragraphs"].value() or []} - {None}
    recipients = [
        {
            "paragraph": p,
            "lines": [line.strip() for line in p.distribution.splitlines() if line.strip()],
            "chosen": p.number in chosen,
        }
        for p in paragraphs
    ]
    context = {
        "form": form,
        "minutes": minutes,
        "meeting": minutes.meeting,
        "recipients": recipients,
        "no_email_note": NO_EMAIL_NOTE,
    }
    return render(request, "meetings/posting_extract.html", context, status=400 if form.errors else 200)


@perm_required("meetings.manage_minutes")
@require_http_methods(["GET", "POST"])
def finality_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Begäran om lagakraftbevis: tick §§ with a beslut whose appeal period has run out; the letter is a PDF."""
    minutes = _minutes(request, pk)
    today = timezone.localdate()
    rows = selectors.minutes_paragraphs_with_status(minutes=minutes, today=today)
    candidates = [paragraph for paragraph, status in rows if paragraph.has_decision and status.may_request]
    initial = {
        **selectors.finality_request_defaults(organisation=request.organisation),
        "requested_on": today,
        "paragraphs": [p.pk for p in candidates],
    }
    if not initial.get("signed_name"):
        initial["signed_name"] = request.user.get_full_name()
    form = FinalityRequestForm(
        request.POST if request.method == "POST" else None, paragraphs=candidates, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = set(data.pop("paragraphs"))
        try:
            finality_request = posting_services.finality_request_create(
                minutes=minutes,
                actor=request.user,
                paragraphs=[p for p in candidates if p.pk in chosen],
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = finality_request.items.count()
            messages.success(
                request,
                f"Begäran om lagakraftbevis för {count} paragraf{'er' if count != 1 else ''} är registrerad. "
                "Skapa brevet som PDF och skicka det till förvaltningsrätten.",
            )
            return redirect("noticeboard:minutes_finality", pk=minutes.pk)
    context = {
        "form": form,
        "minutes": minutes,
        "meeting": minutes.meeting,
        "candidates": candidates,
        "others": [(p, s) for p, s in rows if p not in candidates],
        "masked_text": selectors.PUBLIC_MASKED_TEXT,
    }
    return render(request, "meetings/posting_finality_request.html", context, status=400 if form.errors else 200)


@perm_required("meetings.manage_minutes")
@require_http_methods(["GET", "POST"])
def finality_answer_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the förvaltningsrätt's answer to a begäran: date, målnummer, and which §§ were överklagade."""
    finality_request = get_object_or_404(
        selectors.finality_request_for_organisation(organisation=request.organisation), pk=pk
    )
    open_items = list(
        finality_request.items.filter(answered_on__isnull=True)
        .select_related("paragraph")
        .order_by("paragraph__number")
    )
    form = FinalityAnswerForm(
        request.POST if request.method == "POST" else None, paragraphs=[item.paragraph for item in open_items]
    )
    if request.method == "POST" and form.is_valid():
        try:
            posting_services.finality_answer_register(
                request=finality_request,
                actor=request.user,
                answered_on=form.cleaned_data["answered_on"],
                court_reference=form.cleaned_data["court_reference"],
                appealed=set(form.cleaned_data["appealed"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Förvaltningsrättens svar är registrerat.")
            return redirect("noticeboard:minutes_finality", pk=finality_request.minutes_id)
    context = {
        "form": form,
        "finality_request": finality_request,
        "minutes": finality_request.minutes,
        "meeting": finality_request.minutes.meeting,
        "open_items": open_items,
    }
    return render(request, "meetings/posting_finality_answer.html", context, status=400 if form.errors else 200)
