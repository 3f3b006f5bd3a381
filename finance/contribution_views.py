"""Pages for medlemsbidrag and eget kapital. Thin views: permission, scoped object, form, one service."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from core.forms import add_service_errors
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404

from . import contribution_selectors, contribution_services, equity_selectors, equity_services, locks
from .contribution_forms import AllocationForm, EquityYearForm, LimitStepsForm
from .models import EquityYear, FiscalYear

VIEW = "finance.view"
MANAGE = "finance.manage"


@require_safe
@perm_required(VIEW)
def contribution_list(request: HttpRequest) -> HttpResponse:
    allocations = {
        a.fiscal_year_id: a for a in contribution_selectors.allocation_list(organisation=request.organisation)
    }
    years = []
    for year in FiscalYear.objects.for_organisation(request.organisation).order_by("-start"):
        allocation = allocations.get(year.pk)
        parts = contribution_selectors.split(allocation) if allocation else []
        years.append({"year": year, "allocation": allocation, "parts": parts})
    context = {"years": years, "can_manage": has_perm(request, MANAGE), "active": "contributions"}
    return render(request, "finance/contributions_list.html", context)


@perm_required(VIEW)
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fiscal_year = scoped_get_or_404(request, FiscalYear, pk=pk)
    allocation = contribution_selectors.allocation_for(fiscal_year=fiscal_year)
    may_manage = has_perm(request, MANAGE)
    # A locked year says why instead of offering a form the service would refuse.
    lock_reason = locks.lock_reason(fiscal_year, "medlemsbidragen") if may_manage else None
    can_manage = may_manage and not lock_reason
    form = None
    if can_manage:
        if request.method == "POST":
            form = AllocationForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    contribution_services.allocation_save(
                        organisation=request.organisation,
                        actor=request.user,
                        fiscal_year=fiscal_year,
                        total=data["total"],
                        rounding_unit=data["rounding_unit"],
                        municipalities=data["municipalities"],
                        state_name=data["state_name"],
                        region_name=data["region_name"],
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, f"Medlemsbidragen för {fiscal_year} är sparade.")
                    return redirect("finance:contribution_detail", pk=fiscal_year.pk)
        else:
            initial = (
                AllocationForm.initial_for(allocation)
                if allocation
                else {
                    "state_name": "Staten genom Försäkringskassan",
                    "region_name": "Regionen",
                }
            )
            form = AllocationForm(initial=initial)
    elif request.method == "POST" and not may_manage:
        return HttpResponse(status=403)
    parts = contribution_selectors.split(allocation) if allocation else []
    context = {
        "fiscal_year": fiscal_year,
        "allocation": allocation,
        "parts": [(part, contribution_selectors.share_label(part.share)) for part in parts],
        "parts_total": contribution_selectors.split_total(parts),
        "form": form,
        "lock_reason": lock_reason,
        "active": "contributions",
    }
    return render(request, "finance/contributions_detail.html", context)


@require_safe
@perm_required(VIEW)
def contribution_export(request: HttpRequest, pk: int) -> HttpResponse:
    from openpyxl import Workbook

    fiscal_year = scoped_get_or_404(request, FiscalYear, pk=pk)
    allocation = contribution_selectors.allocation_for(fiscal_year=fiscal_year)
    parts = contribution_selectors.split(allocation) if allocation else []
    book = Workbook()
    sheet = book.active
    sheet.title = f"Medlemsbidrag {fiscal_year}"[:31]
    sheet.append(["Medlem", "Andel", "Belopp (kr)"])
    for part in parts:
        sheet.append([part.name, part.share, part.amount])
    sheet.append(["Summa", None, contribution_selectors.split_total(parts)])
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "# ##0"
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="medlemsbidrag-{fiscal_year.label.replace("/", "-")}.xlsx"'
    return response


@require_safe
@perm_required(VIEW)
def equity_overview(request: HttpRequest) -> HttpResponse:
    rows = equity_selectors.equity_rows(organisation=request.organisation)
    context = {
        "rows": list(reversed(rows)),
        "steps": equity_selectors.limit_steps(organisation=request.organisation),
        "can_manage": has_perm(request, MANAGE),
        "locked": locks.locked_year_ids(request.organisation),
        "active": "equity",
    }
    return render(request, "finance/equity_overview.html", context)


@perm_required(MANAGE)
def equity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    fiscal_year = scoped_get_or_404(request, FiscalYear, pk=pk)
    existing = EquityYear.objects.filter(fiscal_year=fiscal_year).first()
    form = EquityYearForm(request.POST or None, initial=EquityYearForm.initial_for(existing))
    lock_reason = locks.lock_reason(fiscal_year, "eget kapital")
    if request.method == "POST" and not lock_reason and form.is_valid():
        try:
            equity_services.equity_year_save(
                organisation=request.organisation, actor=request.user, fiscal_year=fiscal_year, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Eget kapital för {fiscal_year} är sparat.")
            return redirect("finance:equity_overview")
    context = {"form": form, "fiscal_year": fiscal_year, "lock_reason": lock_reason, "active": "equity"}
    return render(request, "finance/equity_form.html", context)


@perm_required(MANAGE)
def equity_limits(request: HttpRequest) -> HttpResponse:
    steps = equity_selectors.limit_steps(organisation=request.organisation)
    form = LimitStepsForm(request.POST or None, initial=LimitStepsForm.initial_for(steps))
    if request.method == "POST" and form.is_valid():
        try:
            equity_services.limit_steps_save(
                organisation=request.organisation, actor=request.user, steps=form.cleaned_data["steps"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Tabellen för rekommenderat eget kapital är sparad.")
            return redirect("finance:equity_overview")
    return render(request, "finance/equity_limits.html", {"form": form, "active": "equity"})
