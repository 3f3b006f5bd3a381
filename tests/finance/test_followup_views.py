"""The uppföljning pages: who sees and writes what, another organisation's ids, query counts, Excel, the PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.demo import LINDESBERG
from core.models import Role
from finance import followup_demo
from finance.models import DimensionObject, FiscalYear, FollowupSettings, ForecastEntry, LedgerEntry
from tests.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def lindesberg(db):
    organisation = OrganisationFactory(name=LINDESBERG, org_number="212000-1975")
    RoleAssignmentFactory(user=UserFactory(username="ekonom"), organisation=organisation, role=Role.ECONOMIST)
    followup_demo.seed_followup(stdout=StringIO())
    return organisation


@pytest.fixture
def year(lindesberg):
    return FiscalYear.objects.get(organisation=lindesberg, start=dt.date(2022, 1, 1))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace("\xa0", " ")


def test_the_ekonom_sees_seed_004s_variances(client_for, lindesberg, year):
    page = client_for(lindesberg, Role.ECONOMIST).get(reverse("finance:followup"), {"ar": year.pk, "till": 5})
    assert page.status_code == 200
    text = text_of(page)
    assert "Uppföljning 2022, jan–maj" in text
    # Vård och omsorg: utfall 133,2, budget 121,9 mnkr, avvikelse -11,3 mnkr (in kronor on the page).
    assert "133 200 000 kr 121 900 000 kr -11 300 000 kr 306 400 000 kr" in text
    assert "Totalt 246 600 000 kr 232 600 000 kr -14 000 000 kr 576 600 000 kr" in text
    assert "611 100 000 kr -34 500 000 kr" in text
    assert "Ändra prognos" in text and 'src="data:image/svg+xml;base64,' in page.content.decode()
    assert "Diagrammets data (mnkr)" in text


def test_month_by_month_and_against_last_year(client_for, lindesberg, year):
    client = client_for(lindesberg, Role.ECONOMIST)
    month = text_of(client.get(reverse("finance:followup"), {"ar": year.pk, "fran": 5, "till": 5}))
    assert "Uppföljning 2022, maj" in month
    last_year = text_of(client.get(reverse("finance:followup"), {"ar": year.pk, "till": 5, "jamfor": "forra-aret"}))
    assert "Förändring" in last_year and "Avvikelse helår" not in last_year
    refused = client.get(reverse("finance:followup"), {"ar": year.pk, "fran": 6, "till": 5})
    assert "Från-månaden kan inte ligga efter till-månaden." in text_of(refused)


def test_the_ledamot_and_revisor_read_but_cannot_enter_a_prognos(client_for, lindesberg, year):
    item = DimensionObject.objects.get(dimension__organisation=lindesberg, code="1")
    for role in (Role.MEMBER, Role.AUDITOR):
        client = client_for(lindesberg, role)
        page = client.get(reverse("finance:followup"), {"ar": year.pk, "till": 5})
        assert page.status_code == 200 and "Ändra prognos" not in text_of(page)
        post = client.post(
            reverse("finance:forecast_edit") + f"?ar={year.pk}&till=5",
            {"enhet": f"objekt:{item.pk}", "amount": "1", "comment": "x"},
        )
        assert post.status_code == 403
    # The ledamot has no ledger rows to drill into; the revisor has.
    assert (
        client_for(lindesberg, Role.MEMBER).get(reverse("finance:followup_entries"), {"ar": year.pk}).status_code == 403
    )
    assert (
        client_for(lindesberg, Role.AUDITOR).get(reverse("finance:followup_entries"), {"ar": year.pk}).status_code
        == 200
    )
    assert ForecastEntry.objects.get(dimension_object=item).amount == D("23000000")


def test_a_prognos_without_a_comment_is_refused_and_the_typed_amount_kept(client_for, lindesberg, year):
    client = client_for(lindesberg, Role.ECONOMIST)
    item = DimensionObject.objects.get(dimension__organisation=lindesberg, code="4")
    url = reverse("finance:forecast_edit") + f"?ar={year.pk}&till=5"
    form = client.get(url + f"&enhet=objekt:{item.pk}")
    assert "Utfall plus återstående budget" in text_of(form) and "317 700 000 kr" in text_of(form)
    refused = client.post(url, {"enhet": f"objekt:{item.pk}", "amount": "331 000 000", "comment": ""})
    assert refused.status_code == 400
    assert "Skriv en kommentar" in text_of(refused) and 'value="331 000 000"' in refused.content.decode()
    saved = client.post(url, {"enhet": f"objekt:{item.pk}", "amount": "331 000 000", "comment": "Hemtjänsten."})
    assert saved.status_code == 302
    entry = ForecastEntry.objects.get(dimension_object=item, month=5)
    assert entry.amount == D("331000000") and entry.comment == "Hemtjänsten." and entry.history.count() == 2


def test_another_organisations_ids_are_404(client_for, lindesberg, year):
    other = OrganisationFactory()
    client = client_for(other, Role.ECONOMIST)
    item = DimensionObject.objects.get(dimension__organisation=lindesberg, code="1")
    assert client.get(reverse("finance:followup"), {"ar": year.pk}).status_code == 404
    assert client.get(reverse("finance:followup_export"), {"ar": year.pk}).status_code == 404
    assert client.get(reverse("finance:followup_entries"), {"ar": year.pk}).status_code == 404
    own = FiscalYear.objects.create(organisation=other, start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31))
    assert client.get(reverse("finance:followup_entries"), {"ar": own.pk, "objekt": item.pk}).status_code == 404
    url = reverse("finance:forecast_edit") + f"?ar={own.pk}&till=5"
    assert client.post(url, {"enhet": f"objekt:{item.pk}", "amount": "1", "comment": "x"}).status_code == 404


def test_drill_down_from_a_figure_to_its_rows_and_verifikation(client_for, lindesberg, year):
    client = client_for(lindesberg, Role.ECONOMIST)
    item = DimensionObject.objects.get(dimension__organisation=lindesberg, code="4")
    page = client.get(reverse("finance:followup_entries"), {"ar": year.pk, "fran": 1, "till": 5, "objekt": item.pk})
    assert page.status_code == 200
    assert "133 200 000,00 kr" in text_of(page)  # the same figure as in the uppföljning
    entry = LedgerEntry.objects.filter(dimension_objects=item).select_related("voucher").first()
    assert reverse("finance:voucher_detail", args=[entry.voucher.pk]) in page.content.decode()
    assert client.get(reverse("finance:voucher_detail", args=[entry.voucher.pk])).status_code == 200


def test_the_page_costs_the_same_queries_however_many_rows(client_for, lindesberg, year, django_assert_max_num_queries):
    client = client_for(lindesberg, Role.ECONOMIST)
    client.get(reverse("finance:followup"), {"ar": year.pk, "till": 5})
    with django_assert_max_num_queries(24):
        client.get(reverse("finance:followup"), {"ar": year.pk, "till": 5})
    # Ten times the rows: copies of every ledger row.
    entries = list(LedgerEntry.objects.filter(fiscal_year=year).prefetch_related("dimension_objects"))
    for _ in range(3):
        for entry in entries:
            items = list(entry.dimension_objects.all())
            entry.pk = None
            entry.save()
            entry.dimension_objects.set(items)
    with django_assert_max_num_queries(24):
        page = client.get(reverse("finance:followup"), {"ar": year.pk, "till": 5})
    assert "Totalt 986 400 000 kr" in text_of(page)


def test_the_excel_export_has_the_seed_figures(client_for, lindesberg, year):
    response = client_for(lindesberg, Role.MEMBER).get(reverse("finance:followup_export"), {"ar": year.pk, "till": 5})
    assert response["Content-Disposition"].endswith('uppfoljning-2022-01-05.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["Vård och omsorg"][2:9] == (133200000, 121900000, -11300000, 306400000, 43.5, 330600000, -24200000)
    assert rows["Totalt"][2] == 246600000


def test_settings_change_the_threshold(client_for, lindesberg):
    client = client_for(lindesberg, Role.ECONOMIST)
    response = client.post(
        reverse("finance:followup_settings"),
        {"percent_threshold": "10", "amount_threshold": "50 000", "report_heading": "Socialnämnd"},
    )
    assert response.status_code == 200  # "50 000" is no number for the form: nothing saved
    assert FollowupSettings.objects.get(organisation=lindesberg).amount_threshold == D("100000")
    response = client.post(
        reverse("finance:followup_settings"),
        {"percent_threshold": "10", "amount_threshold": "50000", "report_heading": "Socialnämnd"},
    )
    assert response.status_code == 302
    assert FollowupSettings.objects.get(organisation=lindesberg).amount_threshold == D("50000")
    assert client_for(lindesberg, Role.AUDITOR).get(reverse("finance:followup_settings")).status_code == 403


def test_the_manadsuppfoljning_pdf_is_pdf_a_and_shows_seed_004(lindesberg, year):
    import page as page_validation
    from pypdf import PdfReader

    from reporting import rendering
    from reporting.documents import get_document_class

    cls = get_document_class("finance.monthly_followup")
    params = cls.clean_params({"fiscal_year": year.pk, "month": "5"}, organisation=lindesberg)
    document = cls(organisation=lindesberg, params=params)
    document.check_inputs()
    html = rendering.build_html(document)
    data = rendering.write_pdf(rendering.layout_html(html))
    for profile in ("3a", "ua1"):
        report = page_validation.validate_pdf_bytes(data, profile=profile)
        assert report.is_compliant, [f"{f.rule_id}: {f.message}" for f in report.failures]
    reader = PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages)).replace("\xa0", " ")
    for heading in (
        "Månadsuppföljning",
        "Maj 2022",
        "Socialnämnd",
        "Innehållsförteckning",
        "1 Verksamhetsuppföljning",
        "2 Ekonomisk uppföljning i Mnkr",
        "2.1 Socialnämnd",
    ):
        assert heading in text, heading
    # The sections in the seed's order, after the innehållsförteckning that names them.
    assert text.index("Innehållsförteckning") < text.rindex("1 Verksamhetsuppföljning")
    assert text.rindex("1 Verksamhetsuppföljning") < text.rindex("2 Ekonomisk uppföljning i Mnkr")
    assert text.rindex("2 Ekonomisk uppföljning i Mnkr") < text.rindex("2.1 Socialnämnd")
    for line in (
        "Administration 9,1 10,0 0,9 23,0 23,5 0,5",
        "Funktionsstöd 63,4 58,8 -4,6 154,3 146,3 -8,0",
        "Individ- och familj 40,9 41,9 1,0 103,2 100,4 -2,8",
        "Vård och omsorg 133,2 121,9 -11,3 330,6 306,4 -24,2",
        "Totalt 246,6 232,6 -14,0 611,1 576,6 -34,5",
    ):
        assert line in text.replace("−", "-"), line
    assert "-14,0 Mnkr och helårsprognosen är -34,5 Mnkr (-6,0 % av budget helår)" in text.replace("−", "-")
    assert "Sida 1 av" in text or "1 av" in text
    assert document.filename() == "manadsuppfoljning-2022-05.pdf"
