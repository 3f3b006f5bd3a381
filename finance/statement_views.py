"""Pages for the year-end statements: the statements of a year with their validation, the figures typed in for a
year without ledger, and the mapping of accounts to lines. Thin views: permission, scoped object, form, service.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_errors
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404
from core.xlsx import xlsx_response

from . import statement_excel, statement_selectors, statement_services, statement_validation
from .models import AccountBalance, FiscalYear, LedgerEntry, StatementFigure, StatementLine
from .statement_forms import FiguresForm, StatementLineForm

VIEW = "finance.view"
MANAGE = "finance.manage"
ACTIVE = "statements"

# The order the statements are printed in, notes after the kassaflödesanalys (as in seed 003).
PRINT_ORDER = {kind: i for i, kind in enumerate(("operating", "income", "balance", "cash_flow", "note", "budget"))}


@require_safe
@perm_required(VIEW)
def statement_index(request: HttpRequest) -> HttpResponse:
    years = list(
        FiscalYear.objects.for_organisation(request.organisation)
        .annotate(
            has_ledger=Exists(AccountBalance.objects.filter(fiscal_year=OuterRef("pk")))
            | Exists(LedgerEntry.objects.filter(fiscal_year=OuterRef("pk"))),
            typed_count=Count("statement_figures"),
        )
        .order_by("-start")
    )
    context = {"years": years, "can_manage": has_perm(request, MANAGE), "active": ACTIVE}
    return render(request, "finance/statement_index.html", context)


@require_safe
@perm_required(VIEW)
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fiscal_year = scoped_get_or_404(request, FiscalYear, pk=pk)
    statements = statement_selectors.statements_for_year(organisation=request.organisation, fiscal_year=fiscal_year)
    failures = statement_validation.validate_statements(statements) if statements.has_mapping else []
    context = {
        "s": statements,
        "failures": failures,
        "can_manage": has_perm(request, MANAGE),
        "lock_reason": statement_services.year_lock_reason(fiscal_year),
        "previous_lock_reason": (
            statement_services.year_lock_reason(statements.previous_year) if statements.previous_year else None
        ),
        "active": ACTIVE,
    }
    return render(request, "finance/statement_detail.html", context)


@require_safe
@perm_required(VIEW)
def statement_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The year's statements as Excel, as the page shows them now (the fastställd underlag is the archived one)."""
    fiscal_year = scoped_get_or_404(request, FiscalYear, pk=pk)
    statements = statement_selectors.statements_for_year(organisation=request.organisation, fiscal_year=fiscal_year)
    return xlsx_response(statement_excel.statements_workbook(statements), f"bokslut-{fiscal_year.label}.xlsx")


@perm_required(MANAGE)
def statement_figures(request: HttpRequest, pk: int) -> HttpResponse:
    fiscal_year = scoped_get_or_404(request, FiscalYear, pk=pk)
    has_ledger = statement_selectors.year_has_ledger(fiscal_year=fiscal_year)
    lines = sorted(
        statement_selectors.mapping_lines(organisation=request.organisation),
        key=lambda line: (PRINT_ORDER.get(line.statement, 9), line.note_number or 0, line.position, line.pk),
    )
    typed = dict(StatementFigure.objects.filter(fiscal_year=fiscal_year).values_list("line_id", "amount"))
    form = FiguresForm(request.POST or None, lines=lines, initial_values=typed)
    following = FiscalYear.objects.for_organisation(request.organisation).filter(start__gt=fiscal_year.end)
    next_year = following.order_by("start").first()
    if request.method == "POST" and not has_ledger and form.is_valid():
        try:
            statement_services.figures_save(
                organisation=request.organisation, actor=request.user, fiscal_year=fiscal_year, values=form.values()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Bokslutet för {fiscal_year} är sparat.")
            # Back to the statements that show these figures as their previous year, where the checks are.
            return redirect("finance:statement_detail", pk=(next_year or fiscal_year).pk)
    context = {
        "fiscal_year": fiscal_year,
        "form": form,
        "has_ledger": has_ledger,
        "next_year": next_year,
        "lock_reason": statement_services.year_lock_reason(fiscal_year),
        "active": ACTIVE,
    }
    return render(request, "finance/statement_figures.html", context)


@perm_required(VIEW)
def statement_mapping(request: HttpRequest) -> HttpResponse:
    notice = statement_services.mapping_notice(request.organisation)
    can_manage = has_perm(request, MANAGE)
    if request.method == "POST":
        if not can_manage:
            return HttpResponse(status=403)
        try:
            created = statement_services.mapping_apply_template(
                organisation=request.organisation, actor=request.user, template="federation"
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{created} rader lades till från mallen.")
        return redirect("finance:statement_mapping")
    lines = sorted(
        statement_selectors.mapping_lines(organisation=request.organisation),
        key=lambda line: (PRINT_ORDER.get(line.statement, 9), line.note_number or 0, line.position, line.pk),
    )
    titles = dict(StatementLine.Statement.choices)
    groups: dict[str, list] = {}
    for line in lines:
        groups.setdefault(titles[line.statement], []).append(line)
    context = {
        "groups": list(groups.items()),
        "can_manage": can_manage,
        "notice": notice,
        "active": ACTIVE,
    }
    return render(request, "finance/statement_mapping.html", context)


def _line_form(request: HttpRequest, line: StatementLine | None) -> HttpResponse:
    form = StatementLineForm(request.POST or None, instance=line)
    # While a year is fastställd the page says what the service will refuse.
    notice = statement_services.mapping_notice(request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            statement_services.line_save(
                organisation=request.organisation,
                actor=request.user,
                line=StatementLine.objects.get(pk=line.pk) if line else None,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Raden ”{form.cleaned_data['label']}” är sparad.")
            return redirect("finance:statement_mapping")
    context = {"form": form, "line": line, "notice": notice, "active": ACTIVE}
    return render(request, "finance/statement_line_form.html", context)


@perm_required(MANAGE)
def statement_line_create(request: HttpRequest) -> HttpResponse:
    return _line_form(request, None)


@perm_required(MANAGE)
def statement_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _line_form(request, scoped_get_or_404(request, StatementLine, pk=pk))


@require_POST
@perm_required(MANAGE)
def statement_line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = scoped_get_or_404(request, StatementLine, pk=pk)
    try:
        statement_services.line_delete(organisation=request.organisation, actor=request.user, line=line)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Raden ”{line.label}” är borttagen.")
    return redirect("finance:statement_mapping")
