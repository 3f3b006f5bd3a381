"""The delegationsbeslut and meddelanden registers, and their anmälan to a sammanträde.

Thin views as in case_views: permission, scoped object (404 for another organisation's), form, one service.
Confidential rows (marked, or of a confidential ärende) show their content only to those the confidentiality rule
lets read them (meetings.confidentiality).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_errors
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404

from . import confidentiality, register_selectors, register_services
from .case_views import url_or_none
from .models import CONFIDENTIAL_PUBLIC_TEXT, Communication, DelegatedDecision, Meeting
from .register_forms import CommunicationForm, DelegatedDecisionForm, RegisterFilterForm

VIEW = "meetings.view"
MANAGE = "meetings.manage_registers"
ROWS_PER_PAGE = 50
CONFIDENTIAL_ROW = "Uppgiften omfattas av sekretess. Du har inte behörighet att se den."

REGISTERS = {
    "delegated": {
        "model": DelegatedDecision,
        "form": DelegatedDecisionForm,
        "selector": register_selectors.delegated_list,
        "create": register_services.delegated_create,
        "update": register_services.delegated_update,
        "list_url": "registers:delegated_list",
        "template": "meetings/register_delegated_list.html",
        "title": "Delegationsbeslut",
        "new": "Nytt delegationsbeslut",
        "saved": "Delegationsbeslutet är sparat.",
    },
    "communications": {
        "model": Communication,
        "form": CommunicationForm,
        "selector": register_selectors.communication_list,
        "create": register_services.communication_create,
        "update": register_services.communication_update,
        "list_url": "registers:communication_list",
        "template": "meetings/register_communication_list.html",
        "title": "Meddelanden",
        "new": "Nytt meddelande",
        "saved": "Meddelandet är sparat.",
    },
}


def _list(request: HttpRequest, register: str) -> HttpResponse:
    spec = REGISTERS[register]
    filter_form = RegisterFilterForm(request.GET or None, organisation=request.organisation)
    rows = spec["selector"](
        organisation=request.organisation, viewer=confidentiality.viewer_for(request), **filter_form.filters()
    )
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("sida"))
    context = {
        "filter_form": filter_form,
        "page": page,
        "can_manage": has_perm(request, MANAGE),
        "confidential_text": CONFIDENTIAL_PUBLIC_TEXT,
        "register": register,
    }
    return render(request, spec["template"], context)


def _row(request: HttpRequest, register: str, pk: int):
    model = REGISTERS[register]["model"]
    row = scoped_get_or_404(request, model.objects.select_related("committee", "case", "organisation"), pk=pk)
    if confidentiality.viewer_for(request).hides(row):
        raise PermissionDenied(CONFIDENTIAL_ROW)
    return row


def _form_page(request: HttpRequest, register: str, pk: int | None = None) -> HttpResponse:
    spec = REGISTERS[register]
    row = _row(request, register, pk) if pk is not None else None
    form = spec["form"](request.POST or None, organisation=request.organisation, row=row)
    if request.method == "POST" and form.is_valid():
        try:
            if row is None:
                spec["create"](organisation=request.organisation, actor=request.user, **form.cleaned_data)
            else:
                spec["update"](row=row, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, spec["saved"])
            return redirect(spec["list_url"])
    reported_meeting = row.reported_in.meeting if row is not None and row.reported_in_id else None
    context = {"form": form, "row": row, "spec": spec, "register": register, "reported_meeting": reported_meeting}
    return render(request, "meetings/register_form.html", context)


@require_safe
@perm_required(VIEW)
def delegated_list(request: HttpRequest) -> HttpResponse:
    return _list(request, "delegated")


@perm_required(MANAGE)
def delegated_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, "delegated")


@perm_required(MANAGE)
def delegated_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, "delegated", pk)


@require_safe
@perm_required(VIEW)
def communication_list(request: HttpRequest) -> HttpResponse:
    return _list(request, "communications")


@perm_required(MANAGE)
def communication_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, "communications")


@perm_required(MANAGE)
def communication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, "communications", pk)


@require_POST
@perm_required(MANAGE)
def report_to_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Report the committee's unreported rows to the meeting (a button on the meeting page posts here)."""
    meeting = scoped_get_or_404(request, Meeting.objects.select_related("committee"), pk=pk)
    try:
        outcome = register_services.registers_report_to_meeting(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"{outcome.delegated_added} delegationsbeslut och {outcome.communications_added} meddelanden är "
            f"anmälda till sammanträdet {meeting.date.isoformat()}.",
        )
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    fallback = url_or_none(("agenda:meeting_detail",), pk=meeting.pk)
    return redirect(fallback or "registers:delegated_list")
