"""Diarieserier, ärenden, tjänsteskrivelser, bilagor to ärenden and the internal search.

Thin views: a permission from meetings.permissions, objects through core.tenancy (another organisation's
object is a 404), reads through case_selectors, one service call per post. A refused post shows the form again
with what was typed. Confidential ärenden are shown only to those the confidentiality rule lets read them
(meetings.confidentiality: staff and revisor, and ledamöter with a seat in the ärende's committee).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.drafts import form_data, keeps_drafts
from core.forms import add_service_errors, form_status
from core.params import parse_id
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404, scoped_queryset
from core.versioning import CONFLICT_STATUS, EditConflict, conflict_response_form

from . import case_selectors, case_services, confidentiality, search
from .case_forms import (
    CaseAttachmentForm,
    CaseCreateForm,
    CaseEditForm,
    CaseFilterForm,
    OfficerReportForm,
    SearchForm,
    SeriesForm,
    SeriesPreviewForm,
)
from .models import CONFIDENTIAL_PUBLIC_TEXT, Case, CaseNumberSeries, Committee, OfficerReport

VIEW = "meetings.view"
MANAGE = "meetings.manage_cases"
CASES_PER_PAGE = 50
CONFIDENTIAL_CASE = "Ärendet omfattas av sekretess. Du har inte behörighet att se det."


def url_or_none(names: tuple[str, ...], **kwargs) -> str | None:
    """The first of `names` that resolves: pages of other areas are linked once they exist."""
    for name in names:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def _series(request: HttpRequest, pk: int) -> CaseNumberSeries:
    return scoped_get_or_404(request, CaseNumberSeries.objects.select_related("committee"), pk=pk)


def _case(request: HttpRequest, pk: int) -> Case:
    """The ärende for a page that shows or changes its content: a confidential one only for those who may read it."""
    case = scoped_get_or_404(
        request, Case.objects.select_related("series", "committee", "handler", "organisation"), pk=pk
    )
    if confidentiality.viewer_for(request).hides(case):
        raise PermissionDenied(CONFIDENTIAL_CASE)
    return case


# Diarieserier -------------------------------------------------------------------------------------------------


@require_safe
@perm_required(VIEW)
def series_list(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    rows = list(case_selectors.series_list(organisation=request.organisation, year=year))
    for series in rows:
        series.next_number = series.format(year=year, sequence=(series.last_value or 0) + 1)
    context = {"rows": rows, "year": year, "can_manage": has_perm(request, MANAGE)}
    return render(request, "meetings/case_series_list.html", context)


def _series_form_page(request: HttpRequest, *, series: CaseNumberSeries | None) -> HttpResponse:
    form = SeriesForm(request.POST or None, organisation=request.organisation, series=series)
    if request.method == "POST" and form.is_valid():
        try:
            if series is None:
                saved = case_services.series_create(
                    organisation=request.organisation, actor=request.user, **form.cleaned_data
                )
            else:
                saved = case_services.series_update(series=series, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Diarieserien {saved.name} är sparad.")
            return redirect("cases:series_list")
    year = timezone.localdate().year
    preview, preview_error = _preview_text(
        pattern=form["pattern"].value() or "",
        committee=_committee_or_none(request, form["committee"].value()),
        series=series,
        year=year,
    )
    context = {"form": form, "series": series, "preview": preview, "preview_error": preview_error, "year": year}
    return render(request, "meetings/case_series_form.html", context, status=form_status(request, form))


@perm_required(MANAGE)
def series_create(request: HttpRequest) -> HttpResponse:
    return _series_form_page(request, series=None)


@perm_required(MANAGE)
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _series_form_page(request, series=_series(request, pk))


def _committee_or_none(request: HttpRequest, value) -> Committee | None:
    pk = parse_id(value)
    return scoped_queryset(request, Committee).filter(pk=pk).first() if pk else None


def _preview_text(
    *, pattern: str, committee: Committee | None, series: CaseNumberSeries | None, year: int
) -> tuple[str, str]:
    """(next number, "") or ("", why the pattern gives none)."""
    sequence = case_selectors.series_next_sequence(series=series, year=year)
    try:
        return case_services.series_preview(pattern=pattern, committee=committee, year=year, sequence=sequence), ""
    except ValidationError as exc:
        return "", " ".join(exc.messages)


@require_safe
@perm_required(MANAGE)
def series_preview(request: HttpRequest) -> HttpResponse:
    """The live preview of the next diarienummer while a series is typed (an htmx fragment)."""
    form = SeriesPreviewForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    series = None
    if data.get("series"):
        series = scoped_queryset(request, CaseNumberSeries).filter(pk=data["series"]).first()
        if series is None:
            raise Http404("Hittades inte.")
    year = timezone.localdate().year
    preview, preview_error = _preview_text(
        pattern=data.get("pattern") or "",
        committee=_committee_or_none(request, data.get("committee")),
        series=series,
        year=year,
    )
    context = {"preview": preview, "preview_error": preview_error, "year": year}
    return render(request, "meetings/case_series_preview.html", context)


# Ärenden ------------------------------------------------------------------------------------------------------


@require_safe
@perm_required(VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    filter_form = CaseFilterForm(request.GET or None, organisation=request.organisation)
    cases = case_selectors.case_list(
        organisation=request.organisation,
        viewer=confidentiality.viewer_for(request),
        **filter_form.filters(),
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("sida"))
    context = {
        "filter_form": filter_form,
        "page": page,
        "can_manage": has_perm(request, MANAGE),
        "confidential_text": CONFIDENTIAL_PUBLIC_TEXT,
    }
    return render(request, "meetings/case_list.html", context)


@keeps_drafts
@perm_required(MANAGE)
def case_create(request: HttpRequest) -> HttpResponse:
    form = CaseCreateForm(form_data(request), organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_services.case_register(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Ärendet är registrerat med diarienummer {case.case_number}.")
            return redirect("cases:case_detail", pk=case.pk)
    has_series = form.fields["series"].queryset.exists()
    context = {"form": form, "has_series": has_series}
    return render(request, "meetings/case_form.html", context, status=form_status(request, form))


def _appearances(case: Case, *, viewer: confidentiality.Viewer) -> tuple[list[dict], list[dict]]:
    """Where the ärende has been on an agenda and in a §, as rows for the page (links where they exist)."""
    agenda = []
    for item in case.agenda_items.all():
        meeting = item.meeting
        hidden = viewer.hides(item)
        agenda.append(
            {
                "meeting": meeting,
                "position": item.position,
                "title": CONFIDENTIAL_PUBLIC_TEXT if hidden else item.title,
                "url": url_or_none(("agenda:meeting_detail",), pk=meeting.pk),
            }
        )
    paragraphs = []
    for paragraph in case.paragraphs.all():
        hidden = viewer.hides(paragraph)
        paragraphs.append(
            {
                "paragraph": paragraph,
                "meeting": paragraph.minutes.meeting,
                "title": CONFIDENTIAL_PUBLIC_TEXT if hidden else paragraph.title,
                "url": url_or_none(("minutes:minutes_detail",), pk=paragraph.minutes_id),
            }
        )
    return agenda, paragraphs


@require_safe
@perm_required(VIEW)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _case(request, pk)  # scoping and confidentiality first
    case = case_selectors.case_detail(organisation=request.organisation, pk=pk)
    viewer = confidentiality.viewer_for(request)
    agenda, paragraphs = _appearances(case, viewer=viewer)
    attachments = [a for a in case.attachments.all() if viewer.may_see(a)]
    for attachment in attachments:
        attachment.download_url = url_or_none(("agenda:attachment_download",), pk=attachment.pk)
    context = {
        "case": case,
        "report": getattr(case, "officer_report", None),
        "attachments": attachments,
        "agenda_rows": agenda,
        "paragraph_rows": paragraphs,
        "can_manage": has_perm(request, MANAGE),
        "can_upload": has_perm(request, MANAGE) and _attachments_available(),
    }
    return render(request, "meetings/case_detail.html", context)


@keeps_drafts
@perm_required(MANAGE)
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = CaseEditForm(form_data(request), organisation=request.organisation, case=case)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            case = case_services.case_update(case=case, actor=request.user, **form.cleaned_data)
        except EditConflict as exc:
            conflict_response_form(form, exc)
            conflict = exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Ändringarna i ärende {case.case_number} är sparade.")
            return redirect("cases:case_detail", pk=case.pk)
    status = CONFLICT_STATUS if conflict else form_status(request, form)
    return render(request, "meetings/case_edit.html", {"form": form, "case": case, "conflict": conflict}, status=status)


# Tjänsteskrivelse ---------------------------------------------------------------------------------------------


@keeps_drafts
@perm_required(MANAGE)
def officer_report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    report = OfficerReport.objects.select_related("handler", "signed_by").filter(case=case).first() or OfficerReport(
        case=case, handler=case.handler
    )
    form = OfficerReportForm(form_data(request), organisation=request.organisation, report=report)
    preview, previewing, conflict = report, False, None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if request.POST.get("action") == "preview":
            # What was typed, shown as the document, without saving anything.
            preview, previewing = OfficerReport(case=case, **data), True
        else:
            try:
                case_services.officer_report_update(report=report, actor=request.user, data=data, version=version)
            except EditConflict as exc:
                conflict_response_form(form, exc)
                conflict = exc
                preview = OfficerReport.objects.filter(case=case).first() or OfficerReport(case=case)
            except ValidationError as exc:
                add_service_errors(form, exc)
                # The preview shows what is saved, not what was refused.
                preview = OfficerReport.objects.filter(case=case).first() or OfficerReport(case=case)
            else:
                messages.success(request, f"Tjänsteskrivelsen i ärende {case.case_number} är sparad.")
                return redirect("cases:case_detail", pk=case.pk)
    context = {
        "form": form,
        "case": case,
        "report": preview,
        "is_unsaved_preview": previewing,
        "conflict": conflict,
    }
    status = CONFLICT_STATUS if conflict else form_status(request, form)
    return render(request, "meetings/case_officer_report_form.html", context, status=status)


# Bilagor ------------------------------------------------------------------------------------------------------


def _attachments_available() -> bool:
    from . import attachments

    return hasattr(attachments, "attachment_add")


@perm_required(MANAGE)
def case_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if not _attachments_available():
        raise Http404("Bilagor kan inte laddas upp ännu.")
    from .attachments import attachment_add

    form = CaseAttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = attachment_add(
                organisation=request.organisation, actor=request.user, case=case, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Bilagan {attachment.title} är uppladdad.")
            return redirect("cases:case_detail", pk=case.pk)
    context = {"form": form, "case": case}
    return render(request, "meetings/case_attachment_form.html", context, status=form_status(request, form))


# Sök ----------------------------------------------------------------------------------------------------------


@require_safe
@perm_required(VIEW)
def search_view(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.has_criteria:
        results = search.search(
            organisation=request.organisation,
            viewer=confidentiality.viewer_for(request),
            **form.search_kwargs(),
        )
        for paragraph in results.paragraphs:
            paragraph.url = url_or_none(("minutes:minutes_detail",), pk=paragraph.minutes_id)
        for meeting in results.meetings:
            meeting.url = url_or_none(("agenda:meeting_detail",), pk=meeting.pk)
    context = {
        "form": form,
        "results": results,
        "full_text": search.uses_full_text(),
        "confidential_text": CONFIDENTIAL_PUBLIC_TEXT,
    }
    return render(request, "meetings/search.html", context)
