"""Pages for the ekonom: fiscal years, the kontoplan, ledger imports, and the drill-down from a figure to its
ledger rows and from a row to its verifikation.

Thin views: permission, scoped object (404 for another organisation's), form, one service. Revisor reads only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_errors
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404

from . import account_services, import_services, selectors
from .forms import (
    AccountForm,
    AccountGroupForm,
    DimensionForm,
    DimensionObjectForm,
    FiscalYearForm,
    KontoplanImportForm,
    SieUploadForm,
    TabularUploadForm,
    YearChoiceForm,
)
from .kontoplan_templates import TEMPLATES
from .models import Account, Dimension, DimensionObject, FiscalYear, LedgerImport
from .tabular import FIELDS

VIEW = "finance.view"
MANAGE = "finance.manage"
ROWS_PER_PAGE = 100


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# Fiscal years -----------------------------------------------------------------------------------------------


@require_safe
@perm_required(VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    context = {
        "fiscal_years": selectors.fiscal_year_list(organisation=request.organisation),
        "imports": selectors.import_list(organisation=request.organisation)[:5],
        "can_manage": has_perm(request, MANAGE),
    }
    return render(request, "finance/overview.html", context)


@perm_required(MANAGE)
def fiscal_year_create(request: HttpRequest) -> HttpResponse:
    form = FiscalYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            year = account_services.fiscal_year_create(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Räkenskapsår {year} är skapat.")
            return redirect("finance:overview")
    return render(request, "finance/fiscal_year_form.html", {"form": form})


@require_safe
@perm_required(VIEW)
def fiscal_year_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fiscal_year = scoped_get_or_404(request, FiscalYear, pk=pk)
    summary = selectors.fiscal_year_summary(organisation=request.organisation, fiscal_year=fiscal_year)
    return render(request, "finance/fiscal_year_detail.html", {"fiscal_year": fiscal_year, "summary": summary})


# Kontoplan --------------------------------------------------------------------------------------------------


@require_safe
@perm_required(VIEW)
def account_list(request: HttpRequest) -> HttpResponse:
    accounts = selectors.account_list(organisation=request.organisation)
    context = {
        "accounts": accounts,
        "templates": [(key, label) for key, (label, _groups) in TEMPLATES.items()],
        "can_manage": has_perm(request, MANAGE),
        "latest_year": selectors.latest_fiscal_year(organisation=request.organisation),
    }
    return render(request, "finance/account_list.html", context)


@require_POST
@perm_required(MANAGE)
def kontoplan_template(request: HttpRequest) -> HttpResponse:
    try:
        outcome = account_services.kontoplan_apply_template(
            organisation=request.organisation, actor=request.user, template=request.POST.get("template", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        text = f"{_plural(outcome.created, 'konto', 'konton')} lades till från mallen."
        if outcome.skipped:
            text += f" {_plural(outcome.skipped, 'konto', 'konton')} fanns redan och lämnades orörda."
        messages.success(request, text)
    return redirect("finance:account_list")


@perm_required(MANAGE)
def kontoplan_import(request: HttpRequest) -> HttpResponse:
    form = KontoplanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = account_services.kontoplan_import(
                organisation=request.organisation, actor=request.user, filename=upload.name or "", data=upload.read()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = f"{_plural(outcome.created, 'konto', 'konton')} lades till i kontoplanen."
            if outcome.skipped:
                text += f" {_plural(outcome.skipped, 'konto', 'konton')} fanns redan och lämnades orörda."
            if outcome.encoding:
                text += f" Teckenkodning: {outcome.encoding}."
            messages.success(request, text)
            return redirect("finance:account_list")
    return render(request, "finance/kontoplan_import.html", {"form": form})


def _account_form_page(request: HttpRequest, account: Account | None) -> HttpResponse:
    form = AccountForm(request.POST or None, organisation=request.organisation, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            if account is None:
                account_services.account_create(
                    organisation=request.organisation, actor=request.user, **form.cleaned_data
                )
            else:
                account_services.account_update(account=account, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Kontot är sparat.")
            return redirect("finance:account_list")
    return render(request, "finance/account_form.html", {"form": form, "account": account})


@perm_required(MANAGE)
def account_create(request: HttpRequest) -> HttpResponse:
    return _account_form_page(request, None)


@perm_required(MANAGE)
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_form_page(request, scoped_get_or_404(request, Account, pk=pk))


@perm_required(MANAGE)
def account_group_create(request: HttpRequest) -> HttpResponse:
    form = AccountGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.account_group_create(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Kontogruppen är sparad.")
            return redirect("finance:account_list")
    return render(request, "finance/account_group_form.html", {"form": form})


@require_safe
@perm_required(VIEW)
def account_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """The account's transaktioner in one fiscal year (?ar=), each linking to its verifikation."""
    account = scoped_get_or_404(request, Account.objects.select_related("group"), pk=pk)
    year_form = YearChoiceForm(request.GET or None, organisation=request.organisation)
    fiscal_year = None
    if year_form.is_valid():
        fiscal_year = year_form.cleaned_data["ar"]
    if fiscal_year is None:
        fiscal_year = selectors.latest_fiscal_year(organisation=request.organisation)
        year_form = YearChoiceForm(initial={"ar": fiscal_year}, organisation=request.organisation)
    context = {"account": account, "fiscal_year": fiscal_year, "year_form": year_form, "page": None}
    if fiscal_year is not None:
        entries = selectors.account_ledger(organisation=request.organisation, account=account, fiscal_year=fiscal_year)
        page = Paginator(entries, ROWS_PER_PAGE).get_page(request.GET.get("sida"))
        movement = entries.order_by().aggregate(total=Sum("amount"))["total"] or selectors.ZERO
        opening = selectors.opening_balance(account=account, fiscal_year=fiscal_year)
        context.update(page=page, opening=opening, movement=movement, closing=opening + movement)
    return render(request, "finance/account_ledger.html", context)


@require_safe
@perm_required(VIEW)
def voucher_detail(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = scoped_get_or_404(request, selectors.voucher_detail_queryset(organisation=request.organisation), pk=pk)
    entries = list(voucher.entries.all())
    debit = sum((e.amount for e in entries if e.amount > 0), start=selectors.ZERO)
    credit = sum((e.amount for e in entries if e.amount < 0), start=selectors.ZERO)
    context = {"voucher": voucher, "entries": entries, "debit": debit, "credit": -credit}
    return render(request, "finance/voucher_detail.html", context)


# Dimensions -------------------------------------------------------------------------------------------------


def _chosen_year(request: HttpRequest) -> tuple[YearChoiceForm, FiscalYear | None]:
    form = YearChoiceForm(request.GET or None, organisation=request.organisation)
    if form.is_valid() and form.cleaned_data["ar"] is not None:
        return form, form.cleaned_data["ar"]
    year = selectors.latest_fiscal_year(organisation=request.organisation)
    return YearChoiceForm(initial={"ar": year}, organisation=request.organisation), year


@require_safe
@perm_required(VIEW)
def dimension_list(request: HttpRequest) -> HttpResponse:
    year_form, fiscal_year = _chosen_year(request)
    context = {
        "dimensions": selectors.dimension_list(organisation=request.organisation, fiscal_year=fiscal_year),
        "fiscal_year": fiscal_year,
        "year_form": year_form,
        "can_manage": has_perm(request, MANAGE),
    }
    return render(request, "finance/dimension_list.html", context)


@perm_required(MANAGE)
def dimension_create(request: HttpRequest) -> HttpResponse:
    form = DimensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.dimension_create(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Dimensionen är sparad.")
            return redirect("finance:dimension_list")
    return render(request, "finance/dimension_form.html", {"form": form, "title": "Ny dimension"})


@perm_required(MANAGE)
def dimension_object_create(request: HttpRequest, pk: int) -> HttpResponse:
    dimension = scoped_get_or_404(request, Dimension, pk=pk)
    form = DimensionObjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.dimension_object_create(dimension=dimension, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Objektet är sparat i {dimension.name}.")
            return redirect("finance:dimension_list")
    context = {"form": form, "title": f"Nytt objekt i {dimension.name}", "dimension": dimension}
    return render(request, "finance/dimension_form.html", context)


@require_safe
@perm_required(VIEW)
def object_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """The transaktioner carrying one object (a projekt, an ansvar) in a fiscal year (?ar=)."""
    item = scoped_get_or_404(request, DimensionObject.objects.select_related("dimension"), pk=pk)
    year_form, fiscal_year = _chosen_year(request)
    context = {"item": item, "fiscal_year": fiscal_year, "year_form": year_form, "page": None}
    if fiscal_year is not None:
        entries = selectors.object_ledger(organisation=request.organisation, item=item, fiscal_year=fiscal_year)
        page = Paginator(entries, ROWS_PER_PAGE).get_page(request.GET.get("sida"))
        total = entries.order_by().aggregate(total=Sum("amount"))["total"] or selectors.ZERO
        context.update(page=page, total=total)
    return render(request, "finance/object_ledger.html", context)


# Imports ----------------------------------------------------------------------------------------------------


@require_safe
@perm_required(VIEW)
def import_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.import_list(organisation=request.organisation), 50).get_page(request.GET.get("sida"))
    return render(request, "finance/import_list.html", {"page": page, "can_manage": has_perm(request, MANAGE)})


@perm_required(MANAGE)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = SieUploadForm(request.POST or None, request.FILES or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_services.ledger_import_upload(
                organisation=request.organisation,
                actor=request.user,
                upload=form.cleaned_data["file"],
                fiscal_year=form.cleaned_data["fiscal_year"],
                replace_previous=form.cleaned_data["replace_previous"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("finance:import_detail", pk=job.pk)
    return render(request, "finance/import_upload.html", {"form": form})


@perm_required(MANAGE)
def import_tabular(request: HttpRequest) -> HttpResponse:
    columns = import_services.column_mapping_for(organisation=request.organisation)
    form = TabularUploadForm(
        request.POST or None, request.FILES or None, organisation=request.organisation, columns=columns
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = import_services.tabular_import_upload(
                organisation=request.organisation,
                actor=request.user,
                upload=form.cleaned_data["file"],
                fiscal_year=form.cleaned_data["fiscal_year"],
                columns=form.columns(),
                replace_previous=form.cleaned_data["replace_previous"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("finance:import_detail", pk=job.pk)
    return render(request, "finance/import_tabular.html", {"form": form})


def _import_or_404(request: HttpRequest, pk: int) -> LedgerImport:
    queryset = LedgerImport.objects.select_related("imported_by", "fiscal_year", "replaced_by")
    return scoped_get_or_404(request, queryset, pk=pk)


@require_safe
@perm_required(VIEW)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_or_404(request, pk)
    mapping_rows = [(label, job.mapping[name]) for name, label in FIELDS.items() if job.mapping.get(name)]
    context = {"job": job, "mapping_rows": mapping_rows, "can_manage": has_perm(request, MANAGE)}
    return render(request, "finance/import_detail.html", context)


@require_POST
@perm_required(MANAGE)
def import_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_or_404(request, pk)
    try:
        import_services.ledger_import_withdraw(ledger_import=job, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, f"Importen av {job.filename} är borttagen; dess verifikationer och saldon finns inte längre."
        )
    return redirect("finance:import_detail", pk=job.pk)


@require_safe
@perm_required(VIEW)
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The status fragment the import page polls (htmx, every second while queued or running)."""
    return render(request, "finance/import_detail.html#progress", {"job": _import_or_404(request, pk)})
