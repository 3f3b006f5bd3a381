"""The sammanträdesvy: one page where the secretary walks the §§ during the meeting.

htmx swaps the panel (#session-panel: the närvaro checklist or one §) and the § list beside it without a page
load; every form also works as a plain post (a redirect back to the page), so the page works without script.
A refused htmx post answers 400 with the form and its Swedish messages, which static/js/meeting-view.js lets
htmx swap in. Thin views: permission, scoped fetch, form, one service of meetings.session_services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import add_service_errors
from core.permissions import perm_required
from core.tenancy import scoped_get_or_404
from core.versioning import CONFLICT_STATUS, EditConflict, conflict_response_form

from . import minutes_selectors as selectors
from . import minutes_services, session_selectors
from . import session_services as services
from .models import Minutes, Paragraph
from .session_forms import ChecklistRowForm, JavForm, QuickVoteForm, SessionDissentForm, SessionParagraphForm

MANAGE = "meetings.manage_minutes"
GET_POST = ["GET", "HEAD", "POST"]
ATTENDANCE = "narvaro"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _minutes(request: HttpRequest, pk: int) -> Minutes:
    try:
        minutes = selectors.minutes_full(organisation=request.organisation, pk=pk)
    except Minutes.DoesNotExist as exc:
        raise Http404("Protokollet hittades inte.") from exc
    return minutes


def _paragraph(request: HttpRequest, pk: int) -> Paragraph:
    try:
        return selectors.paragraph_with_minutes(organisation=request.organisation, pk=pk)
    except Paragraph.DoesNotExist as exc:
        raise Http404("Paragrafen hittades inte.") from exc


def _page_url(minutes_pk: int, paragraph: Paragraph | None = None) -> str:
    url = reverse("minutes:session", kwargs={"pk": minutes_pk})
    return f"{url}?paragraf={paragraph.pk}" if paragraph is not None else url


def _neighbours(minutes: Minutes, paragraph: Paragraph | None) -> tuple[Paragraph | None, Paragraph | None]:
    paragraphs = list(minutes.paragraphs.all())
    if paragraph is None:
        return None, (paragraphs[0] if paragraphs else None)
    index = next(i for i, p in enumerate(paragraphs) if p.pk == paragraph.pk)
    previous = paragraphs[index - 1] if index > 0 else None
    following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
    return previous, following


def _people(request: HttpRequest):
    return selectors.people_for_organisation(organisation=request.organisation)


def _checklist_context(request: HttpRequest, minutes: Minutes, *, bound: ChecklistRowForm | None = None) -> dict:
    rows = session_selectors.attendance_checklist(minutes, session_selectors.kallade(minutes))
    substitute_ids = [p.pk for p in session_selectors.substitutes_of(rows)]
    people = _people(request)
    substitutes = people.filter(pk__in=substitute_ids)
    # One queryset for every row's form: evaluated once for the choices, not once per row.
    substitute_choices = list(substitutes)
    for row in rows:
        if bound is not None and bound.prefix == f"n{row.person.pk}":
            row.form = bound
            continue
        attendance = row.attendance
        row.form = ChecklistRowForm(
            people=people,
            substitutes=substitutes,
            prefix=f"n{row.person.pk}",
            initial={
                "person": row.person.pk,
                "present": row.present,
                "from_paragraph": attendance.from_paragraph if attendance else None,
                "to_paragraph": attendance.to_paragraph if attendance else None,
                "substitute": row.substitute.pk if row.substitute else None,
            },
        )
        row.form.fields["substitute"].choices = [("", "Ingen")] + [
            (p.pk, p.full_name) for p in substitute_choices if p.pk != row.person.pk
        ]
    present = [row for row in rows if row.present]
    return {"checklist": rows, "present_count": len(present), "checklist_total": len(rows)}


def _paragraph_context(request: HttpRequest, minutes: Minutes, paragraph: Paragraph, forms_given: dict) -> dict:
    panel = session_selectors.paragraph_panel(paragraph, minutes)
    people = _people(request)
    jav_ids = [row["person"].pk for row in panel["jav_people"]]
    decider_ids = [p.pk for p in paragraph.deciders]
    jav_form = forms_given.get("jav_form") or JavForm(
        people=people.filter(pk__in=jav_ids),
        substitutes=people.filter(pk__in=[p.pk for p in panel["jav_substitutes"]]),
        prefix=f"j{paragraph.pk}",
    )
    return {
        **panel,
        "paragraph": paragraph,
        "paragraph_locked": paragraph.is_locked,
        "form": forms_given.get("form") or SessionParagraphForm(paragraph=paragraph),
        "conflict": forms_given.get("conflict"),
        "jav_form": jav_form,
        "vote_form": forms_given.get("vote_form")
        or QuickVoteForm(deciders=paragraph.deciders, prefix=f"v{paragraph.pk}"),
        "dissent_form": forms_given.get("dissent_form")
        or SessionDissentForm(people=people.filter(pk__in=decider_ids), prefix=f"r{paragraph.pk}"),
        "vote_open": "vote_form" in forms_given,
    }


def _render(
    request: HttpRequest,
    minutes: Minutes,
    *,
    paragraph: Paragraph | None = None,
    status: int = 200,
    notice: str = "",
    **forms_given,
) -> HttpResponse:
    """The whole page, or for htmx the panel and the § list (out of band)."""
    previous, following = _neighbours(minutes, paragraph)
    context = {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "can_edit": minutes.status == Minutes.Status.DRAFT,
        "current": paragraph,
        "previous": previous,
        "following": following,
        "notice": notice,
        "page_url": _page_url(minutes.pk, paragraph),
        "agenda_without_paragraph": selectors.agenda_items_without_paragraph(minutes=minutes).exists(),
    }
    if paragraph is None:
        context.update(_checklist_context(request, minutes, bound=forms_given.get("row_form")))
    else:
        context.update(_paragraph_context(request, minutes, paragraph, forms_given))
    template = "meetings/minutes_session.html"
    if _is_htmx(request):
        template += "#htmx"
    response = render(request, template, context, status=status)
    if _is_htmx(request):
        response["HX-Push-Url"] = context["page_url"]
    return response


def _done(request: HttpRequest, minutes: Minutes, paragraph: Paragraph | None, text: str) -> HttpResponse:
    """After a successful write: htmx gets the panel again (fresh), a plain post a redirect."""
    if not _is_htmx(request):
        messages.success(request, text)
        return redirect(_page_url(minutes.pk, paragraph))
    minutes = _minutes(request, minutes.pk)
    if paragraph is not None:
        paragraph = next(p for p in minutes.paragraphs.all() if p.pk == paragraph.pk)
    return _render(request, minutes, paragraph=paragraph, notice=text)


def _refused(request: HttpRequest, exc: ValidationError, minutes: Minutes, paragraph: Paragraph | None):
    """A refusal without a form to show it on (a remove): the message in the panel."""
    text = " ".join(exc.messages)
    if not _is_htmx(request):
        messages.error(request, text)
        return redirect(_page_url(minutes.pk, paragraph))
    return _render(request, minutes, paragraph=paragraph, notice=text, status=400)


# -- Starting ---------------------------------------------------------------------------------------------------


@require_POST
@perm_required(MANAGE)
def session_start(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Skriv protokollet från föredragningslistan": protokoll, every § and the närvaro in one action."""
    meeting = scoped_get_or_404(request, selectors.meetings_for_organisation(organisation=request.organisation), pk=pk)
    try:
        minutes = services.minutes_start_from_agenda(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("agenda:meeting_detail", pk=meeting.pk)
    count = minutes.paragraphs.count()
    messages.success(
        request,
        f"Protokollet har {count} {'paragraf' if count == 1 else 'paragrafer'} från föredragningslistan. "
        "Alla kallade är markerade som närvarande; ändra bara det som avviker.",
    )
    return redirect("minutes:session", pk=minutes.pk)


@require_POST
@perm_required(MANAGE)
def session_paragraphs_from_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = scoped_get_or_404(request, selectors.minutes_for_organisation(organisation=request.organisation), pk=pk)
    try:
        created = services.paragraphs_from_agenda(minutes=minutes, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        count = len(created)
        messages.success(
            request, f"{count} {'paragraf' if count == 1 else 'paragrafer'} skapades från föredragningslistan."
        )
    return redirect("minutes:session", pk=minutes.pk)


# -- The page, the checklist and the § panel ----------------------------------------------------------------------


@require_safe
@perm_required(MANAGE)
def session(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(request, pk)
    paragraph = None
    wanted = request.GET.get("paragraf", "")
    if wanted.isdigit():
        paragraph = next((p for p in minutes.paragraphs.all() if p.pk == int(wanted)), None)
        if paragraph is None:
            raise Http404("Paragrafen hittades inte i protokollet.")
    return _render(request, minutes, paragraph=paragraph)


@require_http_methods(GET_POST)
@perm_required(MANAGE)
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(request, pk)
    if request.method != "POST":
        return _render(request, minutes)
    people = _people(request)
    prefix = next((key[: -len("-person")] for key in request.POST if key.endswith("-person")), "n")
    form = ChecklistRowForm(request.POST, people=people, substitutes=people, prefix=prefix)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.attendance_set(
                minutes=minutes,
                actor=request.user,
                person=data["person"],
                present=data["present"],
                from_paragraph=data["from_paragraph"],
                to_paragraph=data["to_paragraph"],
                substitute=data["substitute"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, minutes, None, f"Närvaron för {data['person']} är sparad.")
    return _render(request, minutes, row_form=form, status=400)


@require_http_methods(GET_POST)
@perm_required(MANAGE)
def session_paragraph(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = _paragraph(request, pk)
    minutes = paragraph.minutes
    if request.method != "POST":
        return _render(request, minutes, paragraph=paragraph)
    form = SessionParagraphForm(request.POST, paragraph=paragraph)
    if form.is_valid():
        try:
            services.paragraph_session_update(paragraph=paragraph, actor=request.user, **form.cleaned_data)
        except EditConflict as exc:
            conflict_response_form(form, exc)
            fresh = _paragraph(request, pk)
            return _render(request, fresh.minutes, paragraph=fresh, form=form, conflict=exc, status=CONFLICT_STATUS)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, minutes, paragraph, f"§ {paragraph.number} är sparad.")
    return _render(request, minutes, paragraph=paragraph, form=form, status=400)


@require_POST
@perm_required(MANAGE)
def session_as_proposed(request: HttpRequest, pk: int) -> HttpResponse:
    """One action: beslut enligt förslaget, then on to the next §."""
    paragraph = _paragraph(request, pk)
    minutes = paragraph.minutes
    try:
        services.paragraph_decide_as_proposed(paragraph=paragraph, actor=request.user)
    except ValidationError as exc:
        return _refused(request, exc, minutes, paragraph)
    _previous, following = _neighbours(minutes, paragraph)
    return _done(
        request, minutes, following or paragraph, f"§ {paragraph.number}: beslut enligt förslaget är antecknat."
    )


@require_POST
@perm_required(MANAGE)
def session_recusal_add(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = _paragraph(request, pk)
    minutes = paragraph.minutes
    people = _people(request)
    form = JavForm(request.POST, people=people, substitutes=people, prefix=f"j{paragraph.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.recusal_add_with_substitute(
                paragraph=paragraph,
                actor=request.user,
                person=data["person"],
                note=data["note"],
                substitute=data["substitute"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = f"{data['person']} är jävig i § {paragraph.number}"
            if data["substitute"]:
                text += f"; {data['substitute']} tjänstgör i stället"
            return _done(request, minutes, paragraph, text + ".")
    return _render(request, minutes, paragraph=paragraph, jav_form=form, status=400)


@require_POST
@perm_required(MANAGE)
def session_recusal_remove(request: HttpRequest, pk: int) -> HttpResponse:
    recusal = scoped_get_or_404(request, selectors.recusals_for_organisation(organisation=request.organisation), pk=pk)
    paragraph = _paragraph(request, recusal.paragraph_id)
    try:
        services.recusal_remove_with_substitute(recusal=recusal, actor=request.user)
    except ValidationError as exc:
        return _refused(request, exc, paragraph.minutes, paragraph)
    return _done(request, paragraph.minutes, paragraph, f"Jävet för {recusal.person} är borttaget.")


@require_POST
@perm_required(MANAGE)
def session_vote_add(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = _paragraph(request, pk)
    minutes = paragraph.minutes
    form = QuickVoteForm(request.POST, deciders=paragraph.deciders, prefix=f"v{paragraph.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            vote = services.vote_cast(
                paragraph=paragraph,
                actor=request.user,
                question=data["question"],
                yes_means=data["yes_means"],
                no_means=data["no_means"],
                choices=form.choices(),
                casting_vote=data["casting_vote"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, minutes, paragraph, f"Votering {vote.position} i § {paragraph.number} är sparad.")
    return _render(request, minutes, paragraph=paragraph, vote_form=form, status=400)


@require_POST
@perm_required(MANAGE)
def session_vote_remove(request: HttpRequest, pk: int) -> HttpResponse:
    vote = scoped_get_or_404(request, selectors.votes_for_organisation(organisation=request.organisation), pk=pk)
    paragraph = _paragraph(request, vote.paragraph_id)
    try:
        minutes_services.vote_remove(vote=vote, actor=request.user)
    except ValidationError as exc:
        return _refused(request, exc, paragraph.minutes, paragraph)
    return _done(request, paragraph.minutes, paragraph, f"Votering {vote.position} är borttagen.")


@require_POST
@perm_required(MANAGE)
def session_dissent_add(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = _paragraph(request, pk)
    minutes = paragraph.minutes
    form = SessionDissentForm(request.POST, people=_people(request), prefix=f"r{paragraph.pk}")
    if form.is_valid():
        people = list(form.cleaned_data["people"])
        try:
            dissents = services.dissents_add(
                paragraph=paragraph, actor=request.user, people=people, motivation=form.cleaned_data["motivation"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            names = ", ".join(str(p) for p in people)
            # Warnings of the reservation rules (e.g. reserved against a beslut voted for) follow the message.
            warnings = [w for d in dissents for w in getattr(d, "warnings", [])]
            text = " ".join([f"Reservation i § {paragraph.number}: {names}.", *warnings])
            return _done(request, minutes, paragraph, text)
    return _render(request, minutes, paragraph=paragraph, dissent_form=form, status=400)


@require_POST
@perm_required(MANAGE)
def session_dissent_remove(request: HttpRequest, pk: int) -> HttpResponse:
    dissent = scoped_get_or_404(request, selectors.dissents_for_organisation(organisation=request.organisation), pk=pk)
    paragraph = _paragraph(request, dissent.paragraph_id)
    try:
        minutes_services.dissent_remove(dissent=dissent, actor=request.user)
    except ValidationError as exc:
        return _refused(request, exc, paragraph.minutes, paragraph)
    return _done(request, paragraph.minutes, paragraph, f"Reservationen av {dissent.person} är borttagen.")
