"""Pages of the uppföljning: the tables with charts, the Excel export, the drill-down to ledger rows, and the
prognos form. Thin: permission, scoped objects (another organisation's id is a 404), a selector or one service.

Query parameters, not path ids, choose what is shown (?ar=&fran=&till=&jamfor=&objekt=), so one page serves every
period; each id is looked up within request.organisation.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Sum
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.forms import add_service_errors
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404

from . import followup_output, followup_selectors, forecast_services
from .followup_forms import FollowupForm, FollowupSettingsForm, ForecastForm
from .models import Account, AccountGroup, Dimension, DimensionObject, FiscalYear, LedgerEntry

FOLLOWUP = "finance.followup"
FORECAST = "finance.forecast"
VIEW = "finance.view"
ROWS_PER_PAGE = 100


def _last_booked_month(fiscal_year: FiscalYear) -> int:
    last = LedgerEntry.objects.filter(fiscal_year=fiscal_year).aggregate(last=Max("date"))["last"]
    return followup_selectors.month_index(fiscal_year, last) if last else 12


def _choices(request: HttpRequest):
    """The form and what it chose: (form, fiscal_year, first, last, compare, only_object, dimension)."""
    organisation = request.organisation
    dimension = followup_selectors.followup_dimension(organisation=organisation)
    form = FollowupForm(request.GET or None, organisation=organisation, dimension=dimension)
    # A field in error is left out of cleaned_data; the others still choose what is shown.
    data = {}
    if form.is_bound:
        form.is_valid()
        data = dict(form.cleaned_data)
    if form.is_bound and "fran" in form.errors:
        data.pop("till", None)
    fiscal_year = data.get("ar")
    if fiscal_year is None:
        if request.GET.get("ar"):
            raise Http404("Räkenskapsåret finns inte.")
        fiscal_year = (
            FiscalYear.objects.for_organisation(organisation).filter(ledger_entries__isnull=False).order_by("-start")
        ).first() or FiscalYear.objects.for_organisation(organisation).order_by("-start").first()
    if fiscal_year is None:
        return form, None, 1, 12, "budget", None, dimension
    last = data.get("till") or _last_booked_month(fiscal_year)
    first = data.get("fran") or 1
    first = min(first, last)
    compare = data.get("jamfor") or "budget"
    only_object = data.get("objekt")
    if not form.is_bound:
        initial = {"ar": fiscal_year, "fran": first, "till": last, "jamfor": compare}
        form = FollowupForm(initial=initial, organisation=organisation, dimension=dimension)
    return form, fiscal_year, first, last, compare, only_object, dimension


def _attach_drill(report, base_query: str) -> None:
    """Each row's query string for the drill-down to its ledger rows (followup_entries)."""
    dimension = report.dimension
    for row in report.units:
        if row.kind == "object":
            row.drill = f"{base_query}&objekt={row.pk}"
        elif row.kind == "group":
            row.drill = f"{base_query}&grupp={row.pk}" if row.pk else f"{base_query}&klass={row.code}"
        elif dimension is not None:
            row.drill = f"{base_query}&utan={dimension.pk}"
    only = f"&objekt={report.only_object.pk}" if report.only_object else ""
    for group in report.groups:
        group.drill = (f"{base_query}&grupp={group.pk}" if group.pk else f"{base_query}&klass={group.code}") + only
        for child in group.children:
            child.drill = f"{base_query}&konto={child.pk}{only}"


def _query(fiscal_year: FiscalYear, first: int, last: int, **extra) -> str:
    params = QueryDict(mutable=True)
    params.update({"ar": fiscal_year.pk, "fran": first, "till": last, **{k: v for k, v in extra.items() if v}})
    return params.urlencode()


@require_safe
@perm_required(FOLLOWUP)
def followup(request: HttpRequest) -> HttpResponse:
    form, fiscal_year, first, last, compare, only_object, _dimension = _choices(request)
    context = {"form": form, "fiscal_year": fiscal_year, "report": None, "compare": compare}
    if fiscal_year is not None:
        report = followup_selectors.followup(
            organisation=request.organisation,
            fiscal_year=fiscal_year,
            first=first,
            last=last,
            only_object=only_object,
        )
        group_total = followup_selectors.group_total(report)
        base_query = _query(fiscal_year, first, last)
        if has_perm(request, VIEW):
            _attach_drill(report, base_query)
        context.update(
            report=report,
            group_total=group_total,
            adjustment=report.total.figures.forecast - group_total.forecast if only_object is None else 0,
            units_chart=followup_output.units_chart(report),
            months_chart=followup_output.months_chart(report),
            query=_query(fiscal_year, first, last, jamfor=compare, objekt=only_object.pk if only_object else None),
            base_query=base_query,
            total_drill=(base_query + (f"&objekt={only_object.pk}" if only_object else ""))
            if has_perm(request, VIEW)
            else "",
            month_table=[
                (name, actual, budget, before)
                for name, (_m, actual, budget, before) in zip(
                    report.month_names, report.total.figures.month_rows(), strict=True
                )
            ],
            month_query=_query(fiscal_year, last, last, jamfor=compare),
            accumulated_query=_query(fiscal_year, 1, last, jamfor=compare),
            can_drill=has_perm(request, VIEW),
            can_forecast=has_perm(request, FORECAST),
            against_last_year=compare == "forra-aret",
        )
    return render(request, "finance/followup_detail.html", context)


@require_safe
@perm_required(FOLLOWUP)
def followup_export(request: HttpRequest) -> HttpResponse:
    _form, fiscal_year, first, last, _compare, only_object, _dimension = _choices(request)
    if fiscal_year is None:
        raise Http404("Det finns inget räkenskapsår.")
    report = followup_selectors.followup(
        organisation=request.organisation, fiscal_year=fiscal_year, first=first, last=last, only_object=only_object
    )
    response = HttpResponse(
        followup_output.followup_workbook(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"uppfoljning-{fiscal_year.label}-{first:02d}-{last:02d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _scoped_param(request: HttpRequest, model, name: str):
    value = request.GET.get(name)
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return scoped_get_or_404(request, model, pk=int(value))


@require_safe
@perm_required(VIEW)
def followup_entries(request: HttpRequest) -> HttpResponse:
    """The ledger rows behind a figure: ?ar=&fran=&till= and konto=, grupp=, klass=, objekt= or utan=."""
    fiscal_year = _scoped_param(request, FiscalYear, "ar")
    if fiscal_year is None:
        raise Http404("Räkenskapsår saknas.")
    try:
        first = max(1, min(12, int(request.GET.get("fran", 1))))
        last = max(first, min(12, int(request.GET.get("till", 12))))
    except ValueError as exc:
        raise Http404 from exc
    account = _scoped_param(request, Account, "konto")
    group = _scoped_param(request, AccountGroup, "grupp")
    item = _scoped_param(request, DimensionObject.objects.select_related("dimension"), "objekt")
    without = _scoped_param(request, Dimension, "utan")
    account_class = request.GET.get("klass", "")[:1]
    if account_class and not account_class.isdigit():
        raise Http404
    entries = followup_selectors.followup_entries(
        organisation=request.organisation,
        fiscal_year=fiscal_year,
        first=first,
        last=last,
        account=account,
        group=group,
        account_class=account_class,
        item=item,
        without=without,
    )
    page = Paginator(entries, ROWS_PER_PAGE).get_page(request.GET.get("sida"))
    total = entries.order_by().aggregate(total=Sum("amount"))["total"] or followup_selectors.ZERO
    what = [str(x) for x in (account, group, item) if x is not None]
    if account_class:
        what.append(f"kontoklass {account_class}")
    if without is not None:
        what.append(f"utan {without.name.lower()}")
    context = {
        "fiscal_year": fiscal_year,
        "page": page,
        "total": total,
        "what": ", ".join(what) or "alla resultatkonton",
        "period": followup_selectors.period_label(fiscal_year, first, last),
        "back_query": _query(fiscal_year, first, last),
        "page_query": request.GET.copy(),
    }
    context["page_query"].pop("sida", None)
    context["page_query"] = context["page_query"].urlencode()
    return render(request, "finance/followup_entries.html", context)


def _unit(request: HttpRequest, key: str):
    """(dimension_object, account_group) from the form's "objekt:12", "grupp:3" or "ovrigt"."""
    kind, _sep, value = key.partition(":")
    if kind == "objekt" and value.isdigit():
        return scoped_get_or_404(request, DimensionObject.objects.select_related("dimension"), pk=int(value)), None
    if kind == "grupp" and value.isdigit():
        return None, scoped_get_or_404(request, AccountGroup, pk=int(value))
    if kind == "ovrigt":
        return None, None
    raise Http404("Okänd verksamhet.")


@perm_required(FORECAST)
def forecast_edit(request: HttpRequest) -> HttpResponse:
    """The prognos helår of one verksamhet (or kontoklass) for the month ?till=; refused without a comment."""
    _form, fiscal_year, first, last, _compare, _only, _dimension = _choices(request)
    if fiscal_year is None:
        raise Http404("Det finns inget räkenskapsår.")
    key = request.POST.get("enhet") or request.GET.get("enhet", "")
    dimension_object, account_group = _unit(request, key)
    report = followup_selectors.followup(
        organisation=request.organisation, fiscal_year=fiscal_year, first=first, last=last
    )
    row = next((r for r in report.units if r.unit_key == key), None)
    if row is None:
        raise Http404("Verksamheten har inget utfall eller budget detta år.")
    initial = {"enhet": key, "amount": row.figures.forecast, "comment": row.entry.comment if row.entry else ""}
    form = ForecastForm(request.POST or None, initial=initial)
    back = reverse("finance:followup") + "?" + _query(fiscal_year, first, last)
    if request.method == "POST" and form.is_valid():
        try:
            forecast_services.forecast_save(
                organisation=request.organisation,
                actor=request.user,
                fiscal_year=fiscal_year,
                month=last,
                amount=form.cleaned_data["amount"],
                comment=form.cleaned_data["comment"],
                dimension_object=dimension_object,
                account_group=account_group,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Prognosen för {row.name} är sparad.")
            return redirect(back)
    history = [
        h
        for h in followup_selectors.forecast_history(
            organisation=request.organisation, fiscal_year=fiscal_year, month=last
        )
        if h.dimension_object_id == (dimension_object.pk if dimension_object else None)
        and h.account_group_id == (account_group.pk if account_group else None)
    ]
    context = {
        "form": form,
        "row": row,
        "report": report,
        "fiscal_year": fiscal_year,
        "back": back,
        "action": reverse("finance:forecast_edit") + "?" + _query(fiscal_year, first, last),
        "history": history,
    }
    return render(request, "finance/forecast_form.html", context, status=400 if form.errors else 200)


@perm_required(FORECAST)
def followup_settings(request: HttpRequest) -> HttpResponse:
    percent, amount = followup_selectors.thresholds(organisation=request.organisation)
    initial = {
        "percent_threshold": percent,
        "amount_threshold": amount,
        "report_heading": followup_selectors.report_heading(organisation=request.organisation, default=""),
    }
    form = FollowupSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            forecast_services.followup_settings_save(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Gränserna för stor avvikelse är sparade.")
            return redirect("finance:followup")
    return render(request, "finance/followup_settings.html", {"form": form})
