"""Sammanträden, the agenda editor (föredragningslista), bilagor and the kallelse.

Thin views: a permission from meetings.permissions, objects through the selectors scoped to
request.organisation (another organisation's meeting, item or bilaga is a 404), one service call per post.
A refused post shows the form again with what was typed and the service's Swedish messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST, require_safe

from core import person_services
from core.drafts import form_data, keeps_drafts
from core.forms import add_service_errors, form_status
from core.params import parse_id
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404
from core.versioning import CONFLICT_STATUS, EditConflict, conflict_response_form

from . import agenda_selectors as selectors
from . import agenda_services as services
from . import confidentiality, version_selectors
from .agenda_forms import (
    AgendaCasesForm,
    AgendaItemForm,
    AttachmentForm,
    MeetingCancelForm,
    MeetingFilterForm,
    MeetingForm,
    MoveForm,
    NoticeIssueForm,
    ReorderForm,
)
from .attachments import attachment_add
from .attachments import attachment_remove as attachment_remove_service
from .models import CONFIDENTIAL_PUBLIC_TEXT, AgendaItem, Attachment, Meeting

VIEW = "meetings.view"
MANAGE = "meetings.manage_meetings"


def _posted(request: HttpRequest):
    """The POST data of a post, even an empty one (an empty post must bind the form, not show it anew)."""
    return request.POST if request.method == "POST" else None


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return scoped_get_or_404(request, selectors.meeting_queryset(organisation=request.organisation), pk=pk)


def _item(request: HttpRequest, pk: int) -> AgendaItem:
    return scoped_get_or_404(request, selectors.agenda_item_queryset(organisation=request.organisation), pk=pk)


def _attachment(request: HttpRequest, pk: int) -> Attachment:
    return scoped_get_or_404(request, selectors.attachment_queryset(organisation=request.organisation), pk=pk)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _item_url(item_or_pk, meeting_id: int) -> str:
    pk = getattr(item_or_pk, "pk", item_or_pk)
    return f"{reverse('agenda:meeting_detail', args=[meeting_id])}#punkt-{pk}"


def _item_name(item: AgendaItem, request: HttpRequest) -> str:
    if confidentiality.viewer_for(request).hides(item):
        return f"{item.position}"
    return f"”{item.title}”"


# -- Sammanträden ----------------------------------------------------------------------------------------


@require_safe
@perm_required(VIEW)
def meeting_list(request: HttpRequest) -> HttpResponse:
    committees = selectors.committees_for_meetings(organisation=request.organisation)
    form = MeetingFilterForm(request.GET or None, committees=committees)
    committee = form.cleaned_data["committee"] if form.is_valid() else None
    context = {
        "form": form,
        "committee": committee,
        **selectors.meetings_for_list(organisation=request.organisation, committee=committee),
        "can_manage": has_perm(request, MANAGE),
    }
    return render(request, "meetings/meeting_list.html", context)


@perm_required(MANAGE)
def meeting_create(request: HttpRequest) -> HttpResponse:
    committees = selectors.committees_for_meetings(organisation=request.organisation)
    initial = {}
    chosen = parse_id(request.GET.get("organ"))
    if chosen:
        initial["committee"] = committees.filter(pk=chosen).first()
    elif len(committees) == 1:
        initial["committee"] = committees[0]  # a förbund with one styrelse: nothing to choose
    if initial.get("committee") is not None:
        # Most organs meet in the same room and at the same hour: start from the last sammanträde.
        initial.update(selectors.last_meeting_defaults(committee=initial["committee"]))
    form = MeetingForm(_posted(request), committees=committees, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = meeting.agenda_items.count()
            messages.success(
                request,
                f"Sammanträdet {meeting.date.isoformat()} har lagts upp med {count} stående punkter från mallen.",
            )
            return redirect("agenda:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form}, status=form_status(request, form))


@keeps_drafts
@perm_required(MANAGE)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    initial = {
        "date": meeting.date,
        "start_time": meeting.start_time,
        "end_time": meeting.end_time,
        "place": meeting.place,
        "is_public": "1" if meeting.is_public else "0",
        "notice_note": meeting.notice_note,
    }
    form = MeetingForm(form_data(request), committees=None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            meeting = _meeting(request, pk)
        else:
            messages.success(request, "Ändringarna av sammanträdet är sparade.")
            return redirect("agenda:meeting_detail", pk=meeting.pk)
    context = {"form": form, "meeting": meeting}
    return render(request, "meetings/meeting_form.html", context, status=form_status(request, form))


def _report_to_meeting_url(meeting: Meeting) -> str:
    try:
        return reverse("registers:report_to_meeting", kwargs={"pk": meeting.pk})
    except NoReverseMatch:
        return ""


@require_safe
@perm_required(VIEW)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda editor: numbered items with ärende, förslag, sekretess and bilagor; the kallelse history."""
    # The protokoll and its archive job come with the meeting: one query for the page's header.
    try:
        meeting = selectors.meeting_for_page(organisation=request.organisation, pk=pk)
    except Meeting.DoesNotExist as exc:
        raise Http404("Hittades inte.") from exc
    # The agenda and its changes are cached fragments keyed on the meeting's version and the viewer's rights:
    # they are loaded (lazily) only when a fragment has to be rendered.
    items = SimpleLazyObject(lambda: selectors.agenda_items(meeting=meeting))
    minutes = getattr(meeting, "minutes", None)  # None (no query) before the protokoll is started
    # The services refuse changes to a justerat or cancelled meeting; the page then offers none either.
    agenda_locked = meeting.status == Meeting.Status.CANCELLED or bool(minutes and minutes.is_locked)
    can_manage = has_perm(request, MANAGE) and not agenda_locked
    context = {
        "agenda_locked": agenda_locked,
        "meeting": meeting,
        "committee": meeting.committee,
        "items": items,
        "item_count": SimpleLazyObject(lambda: len(items)),
        "can_manage": can_manage,
        "confidential_text": CONFIDENTIAL_PUBLIC_TEXT,
        # This meeting's sekretess (the rule, for its committee and date); per object use obj|hidden_for:viewer.
        "can_view_confidential": confidentiality.may_read(request, meeting.committee_id, meeting.date),
        "notices": SimpleLazyObject(lambda: selectors.notice_issues(meeting=meeting)),
        "changes": SimpleLazyObject(lambda: selectors.agenda_changes_since_notice(meeting=meeting, items=items)),
        "version": version_selectors.meeting_version(meeting_id=meeting.pk),
        "viewer_roles": sorted(request.roles),
        "report_to_meeting_url": _report_to_meeting_url(meeting) if can_manage else "",
        "can_render": has_perm(request, "reporting.render"),
        "moved": request.GET.get("flyttad", ""),
        "minutes": minutes,
        "can_manage_minutes": has_perm(request, "meetings.manage_minutes"),
        **_status_actions(request, meeting, minutes),
    }
    return render(request, "meetings/meeting_detail.html", context)


def _status_actions(request: HttpRequest, meeting: Meeting, minutes) -> dict:
    """Which of "markera som genomfört" and "ställ in" the page offers (the services decide in the end)."""
    may = has_perm(request, MANAGE) and meeting.status in services.HELD_FROM
    return {
        "can_mark_held": may and meeting.date <= timezone.localdate(),
        "can_cancel": may and not (minutes and minutes.is_locked),
    }


@require_POST
@perm_required(MANAGE)
def meeting_mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        services.meeting_mark_held(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Sammanträdet är markerat som genomfört.")
    return redirect("agenda:meeting_detail", pk=meeting.pk)


@perm_required(MANAGE)
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what cancelling means and the confirmation. POST: ställ in the sammanträde."""
    meeting = _meeting(request, pk)
    form = MeetingCancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                meeting=meeting,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                notify=form.cleaned_data["notify"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            told = form.cleaned_data["notify"] and meeting.notice_revision > 0
            messages.success(
                request,
                "Sammanträdet är inställt." + (" De kallade meddelas med e-post." if told else ""),
            )
            return redirect("agenda:meeting_detail", pk=meeting.pk)
    context = {
        "form": form,
        "meeting": meeting,
        "recipients": services.cancellation_recipients(meeting),
    }
    return render(request, "meetings/meeting_cancel.html", context, status=form_status(request, form))


# -- Agenda items ----------------------------------------------------------------------------------------


@keeps_drafts
@perm_required(MANAGE)
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    cases = selectors.open_cases(organisation=request.organisation)
    initial = {"kind": request.GET.get("typ", "case")}
    form = AgendaItemForm(form_data(request), cases=cases, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"”{item.title}” har lagts till som punkt {item.position}.")
            return redirect(_item_url(item, meeting.pk))
    context = {"form": form, "meeting": meeting, "mode": "add"}
    return render(request, "meetings/agenda_item_form.html", context, status=form_status(request, form))


@perm_required(MANAGE)
def agenda_cases_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The organ's open ärenden as a checklist: the secretary puts several on the agenda with one press."""
    meeting = _meeting(request, pk)
    cases = selectors.cases_ready_for(meeting=meeting)
    form = AgendaCasesForm(_posted(request), cases=cases)
    if request.method == "POST" and form.is_valid():
        chosen = sorted(form.cleaned_data["cases"], key=lambda case: (case.year, case.sequence))
        try:
            added = services.agenda_cases_add(meeting=meeting, actor=request.user, cases=chosen)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = len(added)
            noun = "ärende har" if count == 1 else "ärenden har"
            messages.success(request, f"{count} {noun} lagts till på dagordningen.")
            return redirect("agenda:meeting_detail", pk=meeting.pk)
    context = {"form": form, "meeting": meeting, "cases": cases}
    return render(request, "meetings/agenda_cases_form.html", context, status=form_status(request, form))


@keeps_drafts
@perm_required(MANAGE)
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    initial = {
        "title": item.title,
        "presenter": item.presenter,
        "description": item.description,
        "proposed_clauses": "\n".join(item.proposed_clauses or []),
        "confidential": item.confidential,
        "legal_basis": item.legal_basis,
        "version": item.version,
    }
    form = AgendaItemForm(form_data(request), adding=False, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            item = services.agenda_item_update(item=item, actor=request.user, data=data, version=version)
        except EditConflict as exc:
            conflict_response_form(form, exc)
            conflict = exc
            item = _item(request, pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
            item = _item(request, pk)
        else:
            messages.success(request, f"Punkt {item.position} är sparad.")
            return redirect(_item_url(item, item.meeting_id))
    context = {"form": form, "meeting": item.meeting, "item": item, "mode": "edit", "conflict": conflict}
    status = CONFLICT_STATUS if conflict else form_status(request, form)
    return render(request, "meetings/agenda_item_form.html", context, status=status)


@require_POST
@perm_required(MANAGE)
def agenda_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    name = _item_name(item, request)
    try:
        services.agenda_item_remove(item=item, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Punkt {name} har tagits bort. Punkterna efter den har numrerats om.")
    # Back at the föredragningslista, so that the keyboard goes on from where the punkt was.
    return redirect(f"{reverse('agenda:meeting_detail', args=[item.meeting_id])}#agenda-heading")


@require_POST
@perm_required(MANAGE)
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Flytta upp / Flytta ned. Works as a plain form; with JSON accepted it answers for agenda-editor.js."""
    item = _item(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        message = "Välj om punkten ska flyttas upp eller ned."
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": message}, status=400)
        messages.error(request, message)
        return redirect(_item_url(item, item.meeting_id))
    direction = form.cleaned_data["direction"]
    try:
        position = services.agenda_item_move(item=item, actor=request.user, direction=direction)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": message}, status=400)
        messages.error(request, message)
        return redirect(_item_url(item, item.meeting_id))
    if position == item.position:
        message = f"Punkt {_item_name(item, request)} är redan {'först' if direction == 'up' else 'sist'}."
    else:
        message = f"Punkt {_item_name(item, request)} flyttad till plats {position}"
    if _wants_json(request):
        order = selectors.agenda_order(meeting_id=item.meeting_id)
        return JsonResponse({"ok": True, "message": message, "order": order})
    messages.success(request, message)
    url = reverse("agenda:meeting_detail", args=[item.meeting_id])
    return redirect(f"{url}?flyttad={item.pk}-{direction}#punkt-{item.pk}")


@require_POST
@perm_required(MANAGE)
def agenda_reorder(request: HttpRequest, pk: int) -> JsonResponse:
    """The new order after a drag and drop (agenda-editor.js): item ids top first."""
    meeting = _meeting(request, pk)
    form = ReorderForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "message": " ".join(form.non_field_errors())}, status=400)
    try:
        ordered = services.agenda_reorder(meeting=meeting, actor=request.user, item_ids=form.item_ids)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "message": " ".join(exc.messages)}, status=400)
    moved = request.POST.get("moved", "")
    message = "Dagordningen är sparad i den nya ordningen."
    for item in ordered:
        if str(item.pk) == moved:
            message = f"Punkt {_item_name(item, request)} flyttad till plats {item.position}"
    return JsonResponse({"ok": True, "message": message, "order": [item.pk for item in ordered]})


# -- Bilagor ---------------------------------------------------------------------------------------------


@perm_required(MANAGE)
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = AttachmentForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            attachment = attachment_add(
                organisation=request.organisation,
                actor=request.user,
                upload=data["file"],
                title=data["title"],
                agenda_item=item,
                confidential=data["confidential"],
                legal_basis=data["legal_basis"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Bilagan ”{attachment.title}” har laddats upp.")
            return redirect(_item_url(item, item.meeting_id))
    context = {"form": form, "item": item, "meeting": item.meeting}
    return render(request, "meetings/agenda_attachment_form.html", context, status=form_status(request, form))


@require_safe
@perm_required(VIEW)
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = _attachment(request, pk)
    if confidentiality.viewer_for(request).hides(attachment):
        raise Http404("Hittades inte.")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("Filen saknas.") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@perm_required(MANAGE)
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment(request, pk)
    meeting_id = attachment.agenda_item.meeting_id if attachment.agenda_item_id else None
    try:
        attachment_remove_service(attachment=attachment, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Bilagan ”{attachment.title}” har tagits bort.")
    if meeting_id is None:
        try:
            return redirect(reverse("cases:case_detail", kwargs={"pk": attachment.case_id}))
        except NoReverseMatch:
            return redirect("agenda:meeting_list")
    return redirect(_item_url(attachment.agenda_item_id, meeting_id))


# -- Kallelse --------------------------------------------------------------------------------------------


def _persons(count: int) -> str:
    return f"{count} person" if count == 1 else f"{count} personer"


@perm_required(MANAGE)
def notice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: who will be called and the form. POST: send the kallelse (or a revised one)."""
    meeting = _meeting(request, pk)
    revised = meeting.notice_revision > 0
    recipients = services.notice_recipients_on(meeting)
    # Those already called are not offered again "för kännedom".
    people = selectors.people(organisation=request.organisation).exclude(pk__in=[m.person_id for m, _ in recipients])
    changes = selectors.agenda_changes_since_notice(meeting=meeting) if revised else None
    # A revised kallelse starts from what the comparison found; the secretary edits it before sending.
    initial = {"changes": selectors.notice_changes_text(changes)} if revised else None
    form = NoticeIssueForm(_posted(request), people=people, revised=revised, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_issue(
                meeting=meeting,
                actor=request.user,
                for_information=list(form.cleaned_data["for_information"]),
                changes=form.cleaned_data.get("changes", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            sent, total = selectors.notice_sent_counts(notice=notice)
            what = "Den reviderade kallelsen" if notice.revision > 1 else "Kallelsen"
            unreached = "(saknar e-postadress eller kunde inte nås)"
            if sent == 0:
                messages.warning(
                    request,
                    f"{what} (version {notice.revision}) är utskickad, men e-posten nådde ingen av de {total} "
                    f"kallade {unreached}. De behöver få kallelsen på annat sätt.",
                )
            else:
                messages.success(request, f"{what} (version {notice.revision}) har skickats till {_persons(sent)}.")
            if 0 < sent < total:
                messages.warning(
                    request,
                    f"{total - sent} av {total} kallade fick ingen e-post {unreached} och behöver få kallelsen "
                    "på annat sätt.",
                )
            return redirect("agenda:meeting_detail", pk=meeting.pk)
    context = {
        "form": form,
        "meeting": meeting,
        "revised": revised,
        "recipients": recipients,
        "changes": changes,
        "confidential_text": CONFIDENTIAL_PUBLIC_TEXT,
        # A warning, not a block: the kallelse goes out on paper to whoever has no address.
        "lacking": person_services.people_without_login_or_email(
            people=[membership.person for membership, _ in recipients], account_email_counts=False
        ),
    }
    return render(request, "meetings/notice_issue.html", context, status=form_status(request, form))
