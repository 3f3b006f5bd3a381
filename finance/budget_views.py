"""Pages for budgets: the list per year, the grid, a line with its months, fastställ, Excel export and import.

Thin views: permission, scoped object (404 for another organisation's), form, one service. Revisor reads only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_errors
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404

from . import budget_selectors, budget_services
from .budget_forms import AdoptForm, BudgetCreateForm, BudgetImportForm, BudgetLineForm, DistributeForm
from .models import Budget, BudgetLine

VIEW = "finance.view"
MANAGE = "finance.manage"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _budget(request: HttpRequest, pk: int) -> Budget:
    return scoped_get_or_404(request, Budget.objects.select_related("fiscal_year", "based_on"), pk=pk)


@perm_required(VIEW)
def budget_list(request: HttpRequest) -> HttpResponse:
    can_manage = has_perm(request, MANAGE)
    form = BudgetCreateForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST":
        if not can_manage:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                budget = budget_services.budget_create(
                    organisation=request.organisation, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                source = form.cleaned_data.get("copy_from")
                if source is not None:
                    messages.success(
                        request,
                        f"{budget} är skapad med raderna från {source}. Ändra beloppen eller importera från Excel.",
                    )
                else:
                    messages.success(request, f"{budget} är skapad. Lägg till rader eller importera från Excel.")
                return redirect("finance:budget_detail", budget.pk)
    context = {
        "budgets": budget_selectors.budget_list(organisation=request.organisation),
        "form": form,
        "can_manage": can_manage,
    }
    return render(request, "finance/budget_list.html", context)


@require_safe
@perm_required(VIEW)
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget(request, pk)
    can_manage = has_perm(request, MANAGE) and not budget.is_locked
    context = {
        "budget": budget,
        "grid": budget_selectors.budget_grid(budget=budget),
        "month_names": budget_services.MONTH_NAMES,
        "can_manage": can_manage,
        "can_revise": has_perm(request, MANAGE),
        "line_form": BudgetLineForm(organisation=request.organisation) if can_manage else None,
        "distribute_form": DistributeForm() if can_manage else None,
    }
    return render(request, "finance/budget_detail.html", context)


@require_POST
@perm_required(MANAGE)
def budget_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget(request, pk)
    if budget.is_locked:  # the service refuses too; here the ekonom gets the reason on the grid
        messages.error(request, budget_services.LOCKED)
        return redirect("finance:budget_detail", budget.pk)
    form = BudgetLineForm(request.POST, organisation=request.organisation)
    if form.is_valid():
        try:
            line = budget_services.line_save(budget=budget, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Raden för konto {line.account.code} är sparad.")
            return redirect("finance:budget_detail", budget.pk)
    context = {
        "budget": budget,
        "grid": budget_selectors.budget_grid(budget=budget),
        "month_names": budget_services.MONTH_NAMES,
        "can_manage": not budget.is_locked,
        "can_revise": True,
        "line_form": form,
        "distribute_form": DistributeForm(),
    }
    return render(request, "finance/budget_detail.html", context, status=400 if form.errors else 200)


@perm_required(VIEW)
def budget_line(request: HttpRequest, pk: int) -> HttpResponse:
    """One line: its twelve months, and (for the ekonom, while a draft) the form to change them."""
    line = scoped_get_or_404(
        request, BudgetLine.objects.select_related("budget__fiscal_year", "account", "dimension_object"), pk=pk
    )
    budget = line.budget
    can_manage = has_perm(request, MANAGE) and not budget.is_locked
    if request.method == "POST" and not can_manage:
        return HttpResponse(status=403)
    form = BudgetLineForm(request.POST or None, organisation=request.organisation, line=line, with_months=True)
    if request.method == "POST" and form.is_valid():
        try:
            budget_services.line_save(budget=budget, actor=request.user, line=line, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Raden för konto {line.account.code} är sparad.")
            return redirect(reverse("finance:budget_detail", args=[budget.pk]) + f"#rad-{line.pk}")
    months = list(line.months.all())
    context = {
        "line": line,
        "budget": budget,
        "months": list(zip(budget_services.MONTH_NAMES, months, strict=False)),
        "form": form,
        "month_fields": [form[f"month_{n}"] for n in range(1, 13)],
        "can_manage": can_manage,
    }
    return render(request, "finance/budget_line.html", context)


@require_POST
@perm_required(MANAGE)
def budget_line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = scoped_get_or_404(request, BudgetLine.objects.select_related("budget", "account"), pk=pk)
    try:
        budget_services.line_delete(line=line, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Raden för konto {line.account.code} är borttagen.")
    return redirect("finance:budget_detail", line.budget_id)


@require_POST
@perm_required(MANAGE)
def budget_distribute(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget(request, pk)
    form = DistributeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Välj hur raderna ska fördelas.")
        return redirect("finance:budget_detail", budget.pk)
    try:
        count = budget_services.budget_distribute(
            budget=budget, actor=request.user, distribution=form.cleaned_data["distribution"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        label = BudgetLine.Distribution(form.cleaned_data["distribution"]).label.lower()
        messages.success(request, f"{_plural(count, 'rad', 'rader')} fördelades {label}.")
    return redirect("finance:budget_detail", budget.pk)


@require_POST
@perm_required(MANAGE)
def budget_revise(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget(request, pk)
    revised = budget_services.budget_revise(budget=budget, actor=request.user)
    messages.success(request, f"{revised} är skapad som kopia av den senaste versionen.")
    return redirect("finance:budget_detail", revised.pk)


@perm_required(MANAGE)
def budget_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget(request, pk)
    form = AdoptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            budget_services.budget_adopt(budget=budget, actor=request.user, adopted_on=form.cleaned_data["adopted_on"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{budget} är fastställd och låst.")
            return redirect("finance:budget_detail", budget.pk)
    grid = budget_selectors.budget_grid(budget=budget)
    return render(request, "finance/budget_adopt.html", {"budget": budget, "form": form, "grid": grid})


@require_safe
@perm_required(VIEW)
def budget_export(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget(request, pk)
    response = HttpResponse(budget_selectors.budget_workbook(budget=budget), content_type=XLSX)
    name = f"budget-{budget.fiscal_year.label.replace('/', '-')}-version-{budget.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@perm_required(MANAGE)
def budget_import(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget(request, pk)
    form = BudgetImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = budget_services.budget_import(
                budget=budget, actor=request.user, data=form.cleaned_data["file"].read()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = f"{_plural(count, 'rad', 'rader')} importerades. Budgetens tidigare rader ersattes."
            messages.success(request, text)
            return redirect("finance:budget_detail", budget.pk)
    return render(request, "finance/budget_import.html", {"budget": budget, "form": form})
