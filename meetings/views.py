"""Committees (organ), their members and their standard agenda.

Thin views: a permission from meetings.permissions, objects through core.tenancy (another organisation's
committee, membership or agenda item is a 404), reads through meetings.selectors, one service call per post.
A refused post shows the form again with what was typed and the service's messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from core import person_services
from core.formatting import format_date
from core.forms import add_service_errors
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404

from . import selectors, services
from .forms import (
    ActiveForm,
    AgendaTemplateItemForm,
    CommitteeForm,
    DayForm,
    MembershipEndForm,
    MembershipForm,
    MembershipReplaceForm,
    MoveForm,
    PersonInviteForm,
    SubstituteOrderForm,
)
from .models import AgendaTemplateItem, Committee, Membership

MANAGE = "meetings.manage_committees"


def _committee(request: HttpRequest, pk: int) -> Committee:
    return scoped_get_or_404(request, Committee.objects.select_related("organisation", "parent"), pk=pk)


def _membership(request: HttpRequest, pk: int) -> Membership:
    queryset = Membership.objects.select_related("committee__organisation", "person", "represents")
    return scoped_get_or_404(request, queryset, pk=pk)


def _item(request: HttpRequest, pk: int) -> AgendaTemplateItem:
    return scoped_get_or_404(request, AgendaTemplateItem.objects.select_related("committee__organisation"), pk=pk)


def _day_url(committee: Committee, day) -> str:
    url = reverse("meetings:committee_detail", args=[committee.pk])
    return url if day == timezone.localdate() else f"{url}?datum={day.isoformat()}"


# Committees -------------------------------------------------------------------------------------------------


@require_safe
@perm_required("meetings.view")
def committee_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "rows": selectors.committee_list(organisation=request.organisation, on=today),
        "today": today,
        "can_manage": has_perm(request, MANAGE),
    }
    return render(request, "meetings/committee_list.html", context)


@perm_required(MANAGE)
def committee_create(request: HttpRequest) -> HttpResponse:
    form = CommitteeForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_create(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{committee.name} har lagts upp.")
            return redirect("meetings:committee_detail", pk=committee.pk)
    return render(request, "meetings/committee_form.html", {"form": form})


@perm_required(MANAGE)
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    form = CommitteeForm(request.POST or None, organisation=request.organisation, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_update(committee=committee, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Ändringarna för {committee.name} är sparade.")
            return redirect("meetings:committee_detail", pk=committee.pk)
    return render(request, "meetings/committee_form.html", {"form": form, "committee": committee})


@require_safe
@perm_required("meetings.view")
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    today = timezone.localdate()
    day_form = DayForm(request.GET if "datum" in request.GET else None)
    day = day_form.day(default=today)
    seats = list(selectors.committee_seats(committee=committee, on=day))
    context = {
        "committee": committee,
        "day_form": day_form,
        "day": day,
        "is_today": day == today,
        "members": [seat for seat in seats if not seat.is_substitute],
        "substitutes": [seat for seat in seats if seat.is_substitute],
        "ended": selectors.committee_ended_memberships(committee=committee, on=day),
        "upcoming": selectors.committee_upcoming_memberships(committee=committee, on=day),
        "subcommittees": selectors.subcommittees(committee=committee),
        "can_manage": has_perm(request, MANAGE),
    }
    return render(request, "meetings/committee_detail.html", context)


# Memberships ------------------------------------------------------------------------------------------------


@perm_required(MANAGE)
def membership_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    initial = {"starts_on": timezone.localdate()}
    form = MembershipForm(request.POST or None, committee=committee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(committee=committee, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{membership.person} är {membership.get_role_display().lower()} i {committee.name}."
            )
            return redirect(_day_url(committee, max(membership.starts_on, timezone.localdate())))
    return render(request, "meetings/membership_form.html", {"form": form, "committee": committee})


@perm_required(MANAGE)
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    committee = membership.committee
    initial = {"ends_on": membership.ends_on or timezone.localdate()}
    form = MembershipEndForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_end(membership=membership, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Uppdraget för {membership.person} slutar {format_date(membership.ends_on)}.")
            return redirect("meetings:committee_detail", pk=committee.pk)
    context = {"form": form, "membership": membership, "committee": committee}
    return render(request, "meetings/membership_end.html", context)


@perm_required(MANAGE)
def membership_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the person holding a seat to log in (ledamot role here); the e-mail address is set on the way."""
    membership = _membership(request, pk)
    committee, person = membership.committee, membership.person
    form = PersonInviteForm(request.POST or None, initial={"email": person.email})
    if request.method == "POST" and form.is_valid():
        try:
            person_services.person_invite(person=person, actor=request.user, email=form.cleaned_data["email"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"En inbjudan har skickats till {person.full_name} ({form.cleaned_data['email']})."
            )
            return redirect("meetings:committee_detail", pk=committee.pk)
    context = {"form": form, "membership": membership, "committee": committee, "person": person}
    return render(request, "meetings/membership_invite.html", context, status=400 if form.errors else 200)


@perm_required(MANAGE)
def membership_replace(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    committee = membership.committee
    form = MembershipReplaceForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            successor = services.membership_replace(membership=membership, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Fyllnadsval: {successor.person} efterträder {membership.person} "
                f"från {format_date(successor.starts_on)}.",
            )
            return redirect(_day_url(committee, max(successor.starts_on, timezone.localdate())))
    context = {
        "form": form,
        "membership": membership,
        "committee": committee,
        "personal_substitutes": membership.personal_substitutes.select_related("person").order_by("starts_on"),
    }
    return render(request, "meetings/membership_replace.html", context)


@perm_required(MANAGE)
def substitute_order(request: HttpRequest, pk: int) -> HttpResponse:
    """GET `?datum=` picks the day the new order applies from; the POST carries that day back."""
    committee = _committee(request, pk)
    source = request.POST if request.method == "POST" else request.GET
    day_form = DayForm(source if "datum" in source else None)
    day = day_form.day(default=timezone.localdate())
    substitutes = list(selectors.committee_substitutes(committee=committee, on=day))
    form = SubstituteOrderForm(request.POST or None, substitutes=substitutes)
    if request.method == "POST" and form.is_valid():
        try:
            services.substitute_order_change(committee=committee, actor=request.user, on=day, orders=form.orders())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Ersättarordningen från {format_date(day)} är sparad.")
            return redirect(_day_url(committee, max(day, timezone.localdate())))
    context = {"committee": committee, "form": form, "day_form": day_form, "day": day}
    return render(request, "meetings/membership_substitute_order.html", context)


# Standard agenda --------------------------------------------------------------------------------------------


@require_safe
@perm_required("meetings.view")
def agenda_template_list(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    items = list(selectors.agenda_template(committee=committee))
    context = {"committee": committee, "items": items, "can_manage": has_perm(request, MANAGE)}
    return render(request, "meetings/agenda_template_list.html", context)


@perm_required(MANAGE)
def agenda_template_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    form = AgendaTemplateItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_template_item_add(committee=committee, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"”{item.title}” har lagts till sist i dagordningsmallen.")
            return redirect("meetings:agenda_template_list", pk=committee.pk)
    return render(request, "meetings/agenda_template_form.html", {"form": form, "committee": committee})


@perm_required(MANAGE)
def agenda_template_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = AgendaTemplateItemForm(request.POST or None, initial=AgendaTemplateItemForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_template_item_update(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"”{item.title}” är sparad.")
            return redirect("meetings:agenda_template_list", pk=item.committee_id)
    context = {"form": form, "committee": item.committee, "item": item}
    return render(request, "meetings/agenda_template_form.html", context)


def _back_to_template(item: AgendaTemplateItem) -> HttpResponse:
    return redirect(f"{reverse('meetings:agenda_template_list', args=[item.committee_id])}#punkt-{item.pk}")


@require_POST
@perm_required(MANAGE)
def agenda_template_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        direction = form.cleaned_data["direction"]
        if services.agenda_template_item_move(item=item, actor=request.user, direction=direction):
            where = "upp" if direction == "up" else "ned"
            messages.success(request, f"”{item.title}” har flyttats {where}.")
    else:
        messages.error(request, "Välj om punkten ska flyttas upp eller ned.")
    return _back_to_template(item)


@require_POST
@perm_required(MANAGE)
def agenda_template_item_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a standard item out of use, or back into use. Items are never deleted."""
    item = _item(request, pk)
    form = ActiveForm(request.POST)
    # The state asked for, not a flip: a double click must not undo itself.
    is_active = form.cleaned_data["is_active"] if form.is_valid() else not item.is_active
    item = services.agenda_template_item_set_active(item=item, actor=request.user, is_active=is_active)
    if item.is_active:
        messages.success(request, f"”{item.title}” används igen i nya dagordningar.")
    else:
        messages.success(request, f"”{item.title}” används inte längre i nya dagordningar.")
    return _back_to_template(item)


@require_POST
@perm_required(MANAGE)
def agenda_template_seed(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    created = services.agenda_template_seed_defaults(committee=committee, actor=request.user)
    if created:
        messages.success(request, f"{len(created)} standardpunkter har lagts in.")
    else:
        messages.info(request, "Dagordningsmallen har redan punkter; inga standardpunkter lades till.")
    return redirect("meetings:agenda_template_list", pk=committee.pk)
