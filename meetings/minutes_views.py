"""The protokoll editor, justering and rättelse. Thin views: permission, scoped fetch (404 outside the
organisation), form, one service from meetings.minutes_services, redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import person_services, reauth
from core.client_ip import client_ip
from core.drafts import form_data, keeps_drafts
from core.forms import add_service_errors, form_status
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404
from core.versioning import CONFLICT_STATUS, EditConflict, conflict_response_form
from reporting.views import job_file_response

from . import case_selectors, confidentiality, version_selectors, voting_selectors
from . import minutes_selectors as selectors
from . import minutes_services as services
from .minutes_forms import (
    AttendanceForm,
    BallotForm,
    ConfirmForm,
    CorrectionForm,
    MinutesFrontForm,
    ParagraphAddForm,
    ParagraphForm,
    PersonNoteForm,
    RecusalForm,
    SignatoriesForm,
    SignForm,
    VoteForm,
)
from .models import Committee, Minutes, Paragraph
from .voting import NO_MAJORITY

MANAGE = "meetings.manage_minutes"
GET_POST = ["GET", "HEAD", "POST"]


def _error_message(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _minutes(request: HttpRequest, pk: int) -> Minutes:
    try:
        return selectors.minutes_full(organisation=request.organisation, pk=pk)
    except Minutes.DoesNotExist as exc:
        raise Http404("Protokollet hittades inte.") from exc


def _paragraph(request: HttpRequest, pk: int) -> Paragraph:
    try:
        return selectors.paragraph_with_minutes(organisation=request.organisation, pk=pk)
    except Paragraph.DoesNotExist as exc:
        raise Http404("Paragrafen hittades inte.") from exc


def _people(request: HttpRequest):
    return selectors.people_for_organisation(organisation=request.organisation)


def _deciding_people(request: HttpRequest, minutes: Minutes):
    ids = [a.person_id for a in minutes.attendances.all() if a.capacity in services.DECIDING_CAPACITIES]
    return _people(request).filter(pk__in=ids)


def _late_warning(minutes: Minutes) -> str:
    late = services.verification_delay_days(minutes)
    if late is None:
        return ""
    if minutes.is_locked:
        return f"Protokollet justerades {late} dagar efter sammanträdet; justering ska ske inom 14 dagar."
    return (
        f"Det har gått {late} dagar sedan sammanträdet och protokollet är inte justerat; "
        "justering ska ske inom 14 dagar."
    )


def _minutes_context(request: HttpRequest, minutes: Minutes) -> dict:
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "can_manage": has_perm(request, MANAGE),
        "can_edit": has_perm(request, MANAGE) and minutes.status == Minutes.Status.DRAFT,
        "can_recall": has_perm(request, MANAGE) and minutes.status == Minutes.Status.IN_VERIFICATION,
        # This protokoll's sekretess (the rule, for its committee and date); per § use paragraph|hidden_for:viewer.
        "can_view_confidential": confidentiality.may_read(request, minutes.meeting.committee_id, minutes.meeting.date),
        "late_warning": _late_warning(minutes),
    }


# -- The protokoll ------------------------------------------------------------------------------------------------


@require_POST
@perm_required(MANAGE)
def minutes_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = scoped_get_or_404(request, selectors.meetings_for_organisation(organisation=request.organisation), pk=pk)
    minutes = services.minutes_start(meeting=meeting, actor=request.user)
    return redirect("minutes:minutes_detail", pk=minutes.pk)


@require_safe
@perm_required("meetings.view")
def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The header needs the protokoll row only; the body is a cached fragment keyed on the protokoll's version
    # and the viewer's rights, and loads everything (full_minutes) only when it has to be rendered.
    try:
        minutes = selectors.minutes_row(organisation=request.organisation, pk=pk)
    except Minutes.DoesNotExist as exc:
        raise Http404("Protokollet hittades inte.") from exc
    context = _minutes_context(request, minutes)
    context["version"] = version_selectors.minutes_version(minutes_id=minutes.pk)
    context["viewer_roles"] = sorted(request.roles)
    context["full_minutes"] = SimpleLazyObject(lambda: _minutes(request, pk))
    if context["can_edit"]:
        # Before it goes for justering: signatories who cannot open the link or will not get it (a warning).
        context["lacking"] = person_services.people_without_login_or_email(
            people=[s.person for s in selectors.signatories_with_people(minutes=minutes)]
        )
        # The warning sits in the cached body: who lacks what is part of its key (a login changes no protokoll row).
        context["lacking_key"] = [(entry["person"].pk, tuple(entry["missing"])) for entry in context["lacking"]]
    return render(request, "meetings/minutes_detail.html", context)


@keeps_drafts
@require_http_methods(GET_POST)
@perm_required(MANAGE)
def minutes_front(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(request, pk)
    staff = case_selectors.staff_people(organisation=request.organisation, include_pk=minutes.secretary_id)
    form = MinutesFrontForm(form_data(request), people=staff, minutes=minutes)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_update_front(minutes=minutes, actor=request.user, **form.cleaned_data)
        except EditConflict as exc:
            conflict_response_form(form, exc)
            conflict = exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Försättsbladet är sparat.")
            return redirect("minutes:minutes_detail", pk=minutes.pk)
    context = {
        **_minutes_context(request, minutes),
        "form": form,
        "heading": "Försättsblad",
        "submit": "Spara",
        "conflict": conflict,
    }
    status = CONFLICT_STATUS if conflict else form_status(request, form)
    return render(request, "meetings/minutes_form.html", context, status=status)


@require_http_methods(GET_POST)
@perm_required(MANAGE)
def attendance_add(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(request, pk)
    form = AttendanceForm(request.POST or None, people=_people(request))
    if request.method == "POST" and form.is_valid():
        try:
            attendance = services.attendance_add(minutes=minutes, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{attendance.person} är tillagd som {attendance.get_capacity_display().lower()}."
            )
            return redirect(reverse("minutes:minutes_detail", kwargs={"pk": minutes.pk}) + "#narvaro")
    context = {
        **_minutes_context(request, minutes),
        "form": form,
        "heading": "Lägg till deltagare",
        "submit": "Lägg till",
    }
    return render(request, "meetings/minutes_form.html", context, status=400 if form.errors else 200)


@require_POST
@perm_required(MANAGE)
def attendance_fill(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = scoped_get_or_404(request, selectors.minutes_for_organisation(organisation=request.organisation), pk=pk)
    try:
        added = services.attendance_fill_from_memberships(minutes=minutes, actor=request.user)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        if added:
            messages.success(request, f"{len(added)} ledamöter och ersättare hämtades från uppdragen.")
        else:
            messages.info(request, "Alla ledamöter och ersättare med uppdrag på sammanträdesdagen finns redan med.")
    return redirect(reverse("minutes:minutes_detail", kwargs={"pk": minutes.pk}) + "#narvaro")


@require_POST
@perm_required(MANAGE)
def attendance_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = scoped_get_or_404(
        request, selectors.attendances_for_organisation(organisation=request.organisation), pk=pk
    )
    try:
        services.attendance_remove(attendance=attendance, actor=request.user)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, f"{attendance.person} är borttagen ur närvarolistan.")
    return redirect(reverse("minutes:minutes_detail", kwargs={"pk": attendance.minutes_id}) + "#narvaro")


@require_http_methods(GET_POST)
@perm_required(MANAGE)
def signatories_edit(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(request, pk)
    signatories = list(minutes.signatories.all())
    initial = {
        "chair": next((s.person_id for s in signatories if s.role == "chair"), None),
        "verifiers": [s.person_id for s in signatories if s.role == "verifier"],
        "secretary": next((s.person_id for s in signatories if s.role == "secretary"), minutes.secretary_id),
    }
    if initial["chair"] is None:
        chair = services.committee_chair_on(minutes)
        initial["chair"] = chair.pk if chair else None
    if initial["secretary"] is None:
        own = _people(request).filter(user=request.user).first()
        initial["secretary"] = own.pk if own else None
    # The sekreterare is staff (as the handläggare is), never a ledamot; one already chosen stays selectable.
    staff = case_selectors.staff_people(organisation=request.organisation, include_pk=initial["secretary"])
    form = SignatoriesForm(
        request.POST or None, initial=initial, people=staff, deciding=_deciding_people(request, minutes)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.signatories_set(
                minutes=minutes,
                actor=request.user,
                chair=data["chair"],
                verifiers=list(data["verifiers"]),
                secretary=data["secretary"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Ordförande, justerare och sekreterare är sparade.")
            return redirect("minutes:minutes_detail", pk=minutes.pk)
    context = {
        **_minutes_context(request, minutes),
        "form": form,
        "heading": "Ordförande, justerare och sekreterare",
        "submit": "Spara",
    }
    return render(request, "meetings/minutes_form.html", context, status=400 if form.errors else 200)


# -- Paragraphs ---------------------------------------------------------------------------------------------------


@require_http_methods(GET_POST)
@perm_required(MANAGE)
def paragraph_add(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(request, pk)
    form = ParagraphAddForm(
        request.POST or None, agenda_items=selectors.agenda_items_without_paragraph(minutes=minutes)
    )
    if request.method == "POST" and form.is_valid():
        try:
            paragraph = services.paragraph_add(
                minutes=minutes,
                actor=request.user,
                title=form.cleaned_data["title"],
                agenda_item=form.cleaned_data["agenda_item"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"§ {paragraph.number} är tillagd.")
            return redirect("minutes:paragraph_edit", pk=paragraph.pk)
    context = {**_minutes_context(request, minutes), "form": form, "heading": "Ny paragraf", "submit": "Lägg till"}
    return render(request, "meetings/minutes_form.html", context, status=400 if form.errors else 200)


def _seated_people(request: HttpRequest, paragraph: Paragraph):
    """Who sits as beslutande in the § (before jäv): those who may anmäla jäv."""
    return _people(request).filter(
        pk__in=[
            a.person_id
            for a in paragraph.minutes.attendances.all()
            if a.capacity in services.DECIDING_CAPACITIES and a.covers(paragraph.number)
        ]
    )


def _present_substitutes(request: HttpRequest, paragraph: Paragraph):
    """Ersättare in the närvarolista who are not beslutande in the § (None when there are none)."""
    attendances = list(paragraph.minutes.attendances.all())
    deciding = {
        a.person_id for a in attendances if a.capacity in services.DECIDING_CAPACITIES and a.covers(paragraph.number)
    }
    ids = [a.person_id for a in attendances if a.capacity == "substitute" and a.person_id not in deciding]
    return _people(request).filter(pk__in=ids) if ids else None


def _recusal_form(request: HttpRequest, paragraph: Paragraph, data=None) -> RecusalForm:
    people = _seated_people(request, paragraph)
    return RecusalForm(
        data,
        people=people,
        substitutes=_present_substitutes(request, paragraph),
        wordings=services.recusal_wordings(minutes=paragraph.minutes, people=people),
        prefix="recusal",
    )


def _dissent_form(request: HttpRequest, paragraph: Paragraph, data=None) -> PersonNoteForm:
    deciders = _people(request).filter(pk__in=[p.pk for p in paragraph.deciders])
    return PersonNoteForm(data, people=deciders, note_label="Skriftlig motivering", prefix="dissent")


def _paragraph_page(request: HttpRequest, paragraph: Paragraph, *, status: int = 200, **forms_given) -> HttpResponse:
    minutes = paragraph.minutes
    context = {
        **_minutes_context(request, minutes),
        "paragraph": paragraph,
        "paragraph_locked": paragraph.is_locked,
        "conflict": forms_given.get("conflict"),
        "form": forms_given.get("form") or ParagraphForm(paragraph=paragraph),
        "recusal_form": forms_given.get("recusal_form") or _recusal_form(request, paragraph),
        "dissent_form": forms_given.get("dissent_form") or _dissent_form(request, paragraph),
        "vote_form": forms_given.get("vote_form") or VoteForm(prefix="vote"),
        "confirm_form": forms_given.get("confirm_form") or ConfirmForm(prefix="confirm"),
        "paragraph_warnings": voting_selectors.paragraph_warnings(paragraph),
    }
    return render(request, "meetings/paragraph_edit.html", context, status=status)


def _to_paragraph(paragraph: Paragraph, anchor: str = "") -> HttpResponse:
    return redirect(reverse("minutes:paragraph_edit", kwargs={"pk": paragraph.pk}) + (f"#{anchor}" if anchor else ""))


@keeps_drafts
@require_http_methods(GET_POST)
@perm_required(MANAGE)
def paragraph_edit(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = _paragraph(request, pk)
    if request.method != "POST":
        draft = form_data(request)
        form = ParagraphForm(draft, paragraph=paragraph) if draft is not None else None
        return _paragraph_page(request, paragraph, form=form)
    form = ParagraphForm(request.POST, paragraph=paragraph)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.paragraph_update(paragraph=paragraph, actor=request.user, **data)
        except EditConflict as exc:
            conflict_response_form(form, exc)
            # The page around the form shows the § as saved now.
            return _paragraph_page(request, _paragraph(request, pk), form=form, conflict=exc, status=CONFLICT_STATUS)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"§ {paragraph.number} är sparad.")
            return _to_paragraph(paragraph)
    return _paragraph_page(request, paragraph, form=form, status=400)


@require_POST
@perm_required(MANAGE)
def paragraph_remove(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = scoped_get_or_404(
        request, selectors.paragraphs_for_organisation(organisation=request.organisation), pk=pk
    )
    try:
        services.paragraph_remove(paragraph=paragraph, actor=request.user)
    except ValidationError as exc:
        _error_message(request, exc)
        return _to_paragraph(paragraph)
    messages.success(request, f"§ {paragraph.number} är borttagen.")
    return redirect("minutes:minutes_detail", pk=paragraph.minutes_id)


@require_POST
@perm_required(MANAGE)
def paragraph_verify(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = _paragraph(request, pk)
    form = ConfirmForm(request.POST, prefix="confirm")
    if form.is_valid():
        try:
            services.paragraph_verify_immediately(paragraph=paragraph, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"§ {paragraph.number} är omedelbart justerad.")
            return _to_paragraph(paragraph)
    return _paragraph_page(request, paragraph, confirm_form=form, status=400)


def _person_note_action(request: HttpRequest, pk: int, *, kind: str) -> HttpResponse:
    """Jäv or reservation. A refused form is shown again with the same list of people it was offered from."""
    paragraph = _paragraph(request, pk)
    if kind == "recusal":
        form = _recusal_form(request, paragraph, request.POST)
    else:
        form = _dissent_form(request, paragraph, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        person = data["person"]
        try:
            if kind == "recusal":
                services.recusal_add(
                    paragraph=paragraph,
                    actor=request.user,
                    person=person,
                    note=data["note"],
                    substitute=data.get("substitute"),
                    wording=data["wording"],
                )
            else:
                dissent = services.dissent_add(
                    paragraph=paragraph, actor=request.user, person=person, motivation=data["note"]
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            what = "jävig" if kind == "recusal" else "reserverad"
            messages.success(request, f"{person} är antecknad som {what} i § {paragraph.number}.")
            if kind == "dissent":
                for warning in dissent.warnings:
                    messages.warning(request, warning)
            return _to_paragraph(paragraph, "jav" if kind == "recusal" else "reservationer")
    return _paragraph_page(request, paragraph, status=400, **{f"{kind}_form": form})


@require_POST
@perm_required(MANAGE)
def recusal_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_note_action(request, pk, kind="recusal")


@require_POST
@perm_required(MANAGE)
def dissent_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_note_action(request, pk, kind="dissent")


def _child_remove(request: HttpRequest, queryset, pk: int, *, remove, anchor: str) -> HttpResponse:
    row = scoped_get_or_404(request, queryset, pk=pk)
    try:
        remove(row, actor=request.user)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, f"{row} är borttagen.")
    return _to_paragraph(row.paragraph, anchor)


@require_POST
@perm_required(MANAGE)
def recusal_remove(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = selectors.recusals_for_organisation(organisation=request.organisation)
    return _child_remove(
        request, queryset, pk, remove=lambda r, actor: services.recusal_remove(recusal=r, actor=actor), anchor="jav"
    )


@require_POST
@perm_required(MANAGE)
def dissent_remove(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = selectors.dissents_for_organisation(organisation=request.organisation)
    return _child_remove(
        request,
        queryset,
        pk,
        remove=lambda d, actor: services.dissent_remove(dissent=d, actor=actor),
        anchor="reservationer",
    )


@require_POST
@perm_required(MANAGE)
def vote_add(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = _paragraph(request, pk)
    form = VoteForm(request.POST, prefix="vote")
    if form.is_valid():
        try:
            vote = services.vote_add(paragraph=paragraph, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Voteringen är tillagd. Registrera rösterna.")
            return redirect("minutes:vote_ballots", pk=vote.pk)
    return _paragraph_page(request, paragraph, vote_form=form, status=400)


@require_http_methods(GET_POST)
@perm_required(MANAGE)
def vote_ballots(request: HttpRequest, pk: int) -> HttpResponse:
    vote_id = scoped_get_or_404(request, selectors.votes_for_organisation(organisation=request.organisation), pk=pk)
    paragraph = _paragraph(request, vote_id.paragraph_id)
    vote = next(v for v in paragraph.votes.all() if v.pk == vote_id.pk)
    qualified = paragraph.minutes.meeting.committee.majority_rule == Committee.MajorityRule.QUALIFIED
    form = BallotForm(request.POST or None, deciders=paragraph.deciders, vote=vote, casting_allowed=not qualified)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.vote_record(
                vote=vote,
                actor=request.user,
                choices=form.choices(),
                casting_vote=form.cleaned_data.get("casting_vote", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if result == NO_MAJORITY:
                messages.warning(request, "Rösterna är sparade. Ingen proposition fick den majoritet som krävs.")
            else:
                meaning = vote.yes_means if result == "yes" else vote.no_means
                messages.success(request, f"Rösterna är sparade. Resultat: {meaning}.")
            return _to_paragraph(paragraph, "voteringar")
    context = {
        **_minutes_context(request, paragraph.minutes),
        "paragraph": paragraph,
        "vote": vote,
        "form": form,
        "paragraph_locked": paragraph.is_locked,
    }
    return render(request, "meetings/paragraph_vote.html", context, status=400 if form.errors else 200)


@require_POST
@perm_required(MANAGE)
def vote_remove(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = selectors.votes_for_organisation(organisation=request.organisation)
    return _child_remove(
        request, queryset, pk, remove=lambda v, actor: services.vote_remove(vote=v, actor=actor), anchor="voteringar"
    )


# -- Justering and rättelse ---------------------------------------------------------------------------------------


@require_POST
@perm_required(MANAGE)
def send_for_verification(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = scoped_get_or_404(request, selectors.minutes_for_organisation(organisation=request.organisation), pk=pk)
    url = request.build_absolute_uri(reverse("minutes:verification", kwargs={"pk": minutes.pk}))
    try:
        services.minutes_send_for_verification(minutes=minutes, actor=request.user, verification_url=url)
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect("minutes:minutes_detail", pk=minutes.pk)
    messages.success(request, "Protokollet är skickat för justering. Undertecknarna har fått e-post med en länk.")
    return redirect("minutes:verification", pk=minutes.pk)


@require_safe
@perm_required("meetings.view")
def archived_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The archived PDF/A of a justerat protokoll, for everyone who may read the full protokoll (with sekretess).

    Not through the document list, which shows each user only the jobs they asked for: the archive belongs to
    the protokoll, whoever's approval happened to trigger it.
    """
    minutes = _minutes(request, pk)
    confidentiality.require_may_read(request, minutes)
    if minutes.archived_job is None:
        raise Http404("Protokollet är inte arkiverat än.")
    return job_file_response(minutes.archived_job)


@require_POST
@perm_required(MANAGE)
def archive_again(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask again for the archive PDF/A of a justerat protokoll whose archive is missing or failed."""
    minutes = scoped_get_or_404(request, selectors.minutes_for_organisation(organisation=request.organisation), pk=pk)
    if services.minutes_archive_request(minutes=minutes, actor=request.user) is None:
        messages.info(request, "Arkivexemplaret finns redan eller håller på att skapas.")
    else:
        messages.success(request, "Arkivexemplaret beställs igen. Det tar en liten stund.")
    return redirect("minutes:minutes_detail", pk=minutes.pk)


@require_POST
@perm_required(MANAGE)
def recall_verification(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = scoped_get_or_404(request, selectors.minutes_for_organisation(organisation=request.organisation), pk=pk)
    try:
        services.minutes_recall_verification(minutes=minutes, actor=request.user)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(
            request, "Protokollet är återkallat från justeringen och kan ändras. Godkännandena är borttagna."
        )
    return redirect("minutes:minutes_detail", pk=minutes.pk)


def _verification_page(request: HttpRequest, minutes: Minutes, *, bound: dict | None = None, status: int = 200):
    """The justering page; each of the user's own unsigned signatories gets the sentence and a sign form."""
    context = _minutes_context(request, minutes)
    needs_code = reauth.confirmed_totp(request.user) is not None
    bound = bound or {}
    signable = (Minutes.Status.IN_VERIFICATION, Minutes.Status.VERIFIED)
    context["own_signatories"] = [
        {
            "signatory": s,
            "statement": services.signatory_statement(s),
            "form": bound.get(s.pk) or SignForm(needs_code=needs_code, prefix=f"s{s.pk}"),
        }
        for s in minutes.signatories.all()
        if s.signed_at is None
        and s.person.user_id == request.user.pk
        and minutes.status in signable
        and (s.role == s.Role.SECRETARY or minutes.status == Minutes.Status.IN_VERIFICATION)
    ]
    return render(request, "meetings/minutes_verification.html", context, status=status)


@require_safe
@perm_required("meetings.view")
def verification(request: HttpRequest, pk: int) -> HttpResponse:
    return _verification_page(request, _minutes(request, pk))


@sensitive_post_parameters()
@require_POST
@perm_required("meetings.view")
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The one write a ledamot has: approving the protokoll as the named ordförande or justerare (or, for the
    sekreterare, signing as sekreterare), after typing the password again (and the TOTP code when turned on)."""
    signatory = scoped_get_or_404(
        request, selectors.signatories_for_organisation(organisation=request.organisation), pk=pk
    )
    if signatory.person.user_id is None or signatory.person.user_id != request.user.pk:
        raise PermissionDenied("Bara den som är utsedd kan godkänna protokollet.")
    form = SignForm(request.POST, needs_code=reauth.confirmed_totp(request.user) is not None, prefix=f"s{pk}")
    if form.is_valid():
        try:
            proof = reauth.verify(
                request, password=form.cleaned_data["password"], token=form.cleaned_data.get("token", "")
            )
            services.signatory_approve(
                signatory=signatory,
                actor=request.user,
                method=services.SIGN_METHOD_LOGIN,
                evidence={**proof, "at": timezone.now().isoformat()},
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Du har godkänt protokollet.")
            return redirect("minutes:verification", pk=signatory.minutes_id)
    minutes = _minutes(request, signatory.minutes_id)
    return _verification_page(request, minutes, bound={signatory.pk: form}, status=400)


@keeps_drafts
@require_http_methods(GET_POST)
@perm_required(MANAGE)
def correction_add(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(request, pk)
    paragraphs = selectors.paragraphs_for_organisation(organisation=request.organisation).filter(minutes=minutes)
    form = CorrectionForm(form_data(request), paragraphs=paragraphs)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_add(minutes=minutes, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Rättelsen är gjord och syns i protokollet.")
            return redirect(reverse("minutes:minutes_detail", kwargs={"pk": minutes.pk}) + "#rattelser")
    context = {**_minutes_context(request, minutes), "form": form, "heading": "Ny rättelse", "submit": "Gör rättelse"}
    return render(request, "meetings/minutes_form.html", context, status=400 if form.errors else 200)
