"""The ekonom's pages: kontoplan with templates, fiscal years, SIE upload with its error list, drill-down."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Role
from finance.models import Account, AccountGroup, FiscalYear, LedgerEntry, LedgerImport, Voucher
from tests.factories import OrganisationFactory

from .factories import AccountFactory, FiscalYearFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def federation(db):
    return OrganisationFactory(name="Samordningsförbundet Skellefteå-Norsjö", org_number="222000-2642")


@pytest.fixture
def economist(client_for, federation):
    return client_for(federation, Role.ECONOMIST)


def post_file(client, name: str, data: bytes | None = None, *, follow: bool = False, **extra):
    data = data if data is not None else (FIXTURES / name).read_bytes()
    return client.post(
        reverse("finance:import_upload"), {"file": SimpleUploadedFile(name, data), **extra}, follow=follow
    )


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_menu_shows_ekonomi_to_ekonom_and_revisor_not_to_ledamot(client_for, federation):
    for role, shown in ((Role.ECONOMIST, True), (Role.AUDITOR, True), (Role.DIRECTOR, True), (Role.MEMBER, False)):
        page = client_for(federation, role).get(reverse("core:dashboard"))
        # The ledamot sees Uppföljning under /ekonomi/uppfoljning/, not Ekonomi itself.
        assert (f'href="{reverse("finance:overview")}"' in page.content.decode()) is shown, role


def test_template_buttons_create_the_kontoplan(economist, federation):
    page = economist.get(reverse("finance:account_list"))
    assert "Samordningsförbund" in page.content.decode() and "Kommun-Bas" in page.content.decode()
    response = economist.post(reverse("finance:kontoplan_template"), {"template": "federation"}, follow=True)
    assert "konton lades till från mallen" in response.content.decode()
    count = Account.objects.filter(organisation=federation).count()
    assert count > 20
    assert Account.objects.get(organisation=federation, code="1930").group.name == "Kassa och bank"
    # Applying it again adds nothing and says so.
    response = economist.post(reverse("finance:kontoplan_template"), {"template": "federation"}, follow=True)
    assert "0 konton lades till" in response.content.decode()
    assert Account.objects.filter(organisation=federation).count() == count


def test_kommun_bas_template_has_five_digit_accounts_under_groups(client_for, organisation):
    client_for(organisation, Role.ECONOMIST).post(reverse("finance:kontoplan_template"), {"template": "kommun_bas"})
    assert Account.objects.get(organisation=organisation, code="50210").group.name == "LÖNER ARBETAD TID"


def test_an_account_is_entered_and_a_taken_number_refused_with_typed_input_kept(economist, federation):
    response = economist.post(reverse("finance:account_create"), {"code": "5010", "name": "Löner", "kind": "expense"})
    assert response.status_code == 302
    response = economist.post(
        reverse("finance:account_create"), {"code": "5010", "name": "Andra löner", "kind": "expense"}
    )
    body = response.content.decode()
    assert "Kontonummer 5010 finns redan i kontoplanen." in body
    assert 'value="Andra löner"' in body
    response = economist.post(reverse("finance:account_create"), {"code": "50a", "name": "X", "kind": "expense"})
    assert "Kontonumret får bara innehålla siffror." in response.content.decode()


def test_account_edit_and_group(economist, federation):
    economist.post(reverse("finance:account_group_create"), {"code": "50", "name": "Kansli"})
    group = AccountGroup.objects.get(organisation=federation)
    account = AccountFactory(organisation=federation, code="5010")
    url = reverse("finance:account_edit", args=[account.pk])
    assert 'value="5010"' in economist.get(url).content.decode()
    economist.post(url, {"code": "5011", "name": "Löner kansli", "kind": "expense", "group": group.pk, "active": "on"})
    account.refresh_from_db()
    assert (account.code, account.name, account.group) == ("5011", "Löner kansli", group)


def test_fiscal_year_create_refuses_an_overlap(economist, federation):
    FiscalYearFactory(organisation=federation)
    response = economist.post(reverse("finance:fiscal_year_create"), {"start": "2019-07-01", "end": "2020-06-30"})
    assert "överlappar räkenskapsår 2019" in response.content.decode()
    response = economist.post(reverse("finance:fiscal_year_create"), {"start": "2020-01-01", "end": "2020-12-31"})
    assert response.status_code == 302
    assert FiscalYear.objects.filter(organisation=federation).count() == 2


def test_sie_upload_shows_result_with_encoding_and_drills_down(economist, federation):
    response = post_file(economist, "ledger_latin1.se")
    job = LedgerImport.objects.get()
    assert response["Location"] == reverse("finance:import_detail", args=[job.pk])
    page = text_of(economist.get(response["Location"]))
    assert "Filen är importerad." in page
    assert "5 verifikationer med 10 transaktioner; 7 nya konton i kontoplanen." in page
    assert "ISO-8859-1 (avgjord av filens innehåll)" in page
    # Fiscal year -> account -> verifikation.
    year = FiscalYear.objects.get(organisation=federation)
    page = text_of(economist.get(reverse("finance:fiscal_year_detail", args=[year.pk])))
    assert "-85" not in page  # no figures from elsewhere
    assert "1 123 765,50" in page.replace("\xa0", " ")  # the year's result: surplus positive
    account = Account.objects.get(organisation=federation, code="6110")
    page = economist.get(reverse("finance:account_ledger", args=[account.pk]), {"ar": year.pk}).content.decode()
    voucher = Voucher.objects.get(number="5")
    assert reverse("finance:voucher_detail", args=[voucher.pk]) in page
    assert "1\xa0234,50" in page
    page = text_of(economist.get(reverse("finance:voucher_detail", args=[voucher.pk])))
    assert "Kontorsmaterial &quot;Säljö&quot; åäö ÅÄÖ" in page
    assert re.search(r'Ansvar: <a href="/ekonomi/objekt/\d+/\?ar=\d+">10 Kansli</a>', page)


def test_sie_upload_with_errors_lists_them_and_keeps_nothing(economist):
    response = post_file(economist, "ledger_unbalanced.se", follow=True)
    page = text_of(response)
    assert "Filen importerades inte. Ingenting från filen har sparats." in page
    assert '<td class="num">48</td><td>#VER</td><td>Verifikation A 2 balanserar inte' in page
    assert Voucher.objects.count() == LedgerEntry.objects.count() == Account.objects.count() == 0


def test_sie_upload_of_the_same_file_twice_is_refused_on_the_form(economist):
    post_file(economist, "ledger_cp437.se")
    response = post_file(economist, "ledger_cp437.se")
    assert response.status_code == 200
    assert "Filen är redan importerad" in response.content.decode()
    assert LedgerImport.objects.count() == 1


def test_import_progress_fragment_polls_while_queued(economist, federation):
    job = LedgerImport.objects.create(organisation=federation, filename="stor.se", sha256="1" * 64, progress=40)
    page = economist.get(reverse("finance:import_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="40"' in page
    job.status = LedgerImport.Status.DONE
    job.save()
    page = economist.get(reverse("finance:import_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page


def test_revisor_reads_but_cannot_import_or_edit(client_for, federation):
    revisor = client_for(federation, Role.AUDITOR)
    assert revisor.get(reverse("finance:account_list")).status_code == 200
    assert "Nytt konto" not in revisor.get(reverse("finance:account_list")).content.decode()
    assert revisor.get(reverse("finance:import_upload")).status_code == 403
    assert post_file(revisor, "ledger_cp437.se").status_code == 403
    assert revisor.post(reverse("finance:kontoplan_template"), {"template": "federation"}).status_code == 403
    assert Account.objects.count() == 0


def test_another_organisations_objects_are_404(client_for, federation, other_organisation):
    account = AccountFactory(organisation=other_organisation)
    year = FiscalYearFactory(organisation=other_organisation)
    client = client_for(federation, Role.ECONOMIST)
    assert client.get(reverse("finance:account_ledger", args=[account.pk])).status_code == 404
    assert client.get(reverse("finance:fiscal_year_detail", args=[year.pk])).status_code == 404
    assert client.post(reverse("finance:account_edit", args=[account.pk]), {"code": "1"}).status_code == 404


def test_ledger_page_query_count_does_not_grow_with_rows(economist, federation, django_assert_max_num_queries):
    post_file(economist, "ledger_cp437.se")
    account = Account.objects.get(organisation=federation, code="1930")
    url = reverse("finance:account_ledger", args=[account.pk])
    with django_assert_max_num_queries(20):
        response = economist.get(url)
    assert response.status_code == 200


def test_kontoplan_from_an_sie_file_without_the_ledger(economist, federation):
    response = economist.post(
        reverse("finance:kontoplan_import"),
        {"file": SimpleUploadedFile("plan.se", (FIXTURES / "ledger_unbalanced.se").read_bytes())},
        follow=True,
    )
    body = response.content.decode()
    assert "7 konton lades till i kontoplanen." in body and "IBM PC 8-bitars (CP437)" in body
    assert Account.objects.get(organisation=federation, code="2081").kind == "equity"
    assert Voucher.objects.count() == 0


def test_kontoplan_from_csv_with_every_error_listed_and_nothing_saved(economist, federation):
    bad = (
        "Konto;Namn;Typ;Grupp\n50210;Ordin. lön;kostnad;50 LÖNER ARBETAD TID\n"
        "5x;Fel;;\n30004;;intäkt;\n40250;Dator;okänd;\n"
    )
    response = economist.post(
        reverse("finance:kontoplan_import"), {"file": SimpleUploadedFile("plan.csv", bad.encode())}
    )
    body = text_of(response)
    assert "Rad 3, kolumn ”Konto”: ”5x” är inget kontonummer" in body
    assert "Rad 4, kolumn ”Namn”: kontonamnet saknas" in body
    assert "Rad 5, kolumn ”Typ”" in body
    assert Account.objects.count() == 0
    good = "Konto;Namn;Typ;Grupp\n50210;Ordin. lön;kostnad;50 LÖNER ARBETAD TID\n30004;Personalkaffe;;\n"
    economist.post(reverse("finance:kontoplan_import"), {"file": SimpleUploadedFile("plan.csv", good.encode())})
    account = Account.objects.get(organisation=federation, code="50210")
    assert (account.kind, account.group.code, account.group.name) == ("expense", "50", "LÖNER ARBETAD TID")
    assert Account.objects.get(organisation=federation, code="30004").kind == "income"


@pytest.mark.parametrize("route", ["fiscal_year_detail", "account_ledger", "voucher_detail"])
def test_page_queries_do_not_grow_with_the_ledger(client_for, route):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from finance import demo

    counts = []
    for org_number, data in (("222000-2642", None), ("222000-1933", "demo")):
        organisation = OrganisationFactory(org_number=org_number)
        client = client_for(organisation, Role.ECONOMIST)
        if data is None:
            post_file(client, "ledger_cp437.se")
        else:
            post_file(client, "demo.se", demo.sie_file(org_number))
        year = FiscalYear.objects.get(organisation=organisation)
        target = {
            "fiscal_year_detail": year,
            "account_ledger": Account.objects.get(organisation=organisation, code="1930"),
            "voucher_detail": Voucher.objects.filter(organisation=organisation).order_by("-pk").first(),
        }[route]
        client.get(reverse(f"finance:{route}", args=[target.pk]))  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"finance:{route}", args=[target.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_import_page_takes_an_import_back(economist, client_for, federation):
    post_file(economist, "ledger_cp437.se")
    job = LedgerImport.objects.get()
    page = economist.get(reverse("finance:import_detail", args=[job.pk])).content.decode()
    assert "Ta bort importen" in page
    revisor = client_for(federation, Role.AUDITOR)
    assert "Ta bort importen" not in revisor.get(reverse("finance:import_detail", args=[job.pk])).content.decode()
    assert revisor.post(reverse("finance:import_withdraw", args=[job.pk])).status_code == 403
    response = economist.post(reverse("finance:import_withdraw", args=[job.pk]), follow=True)
    assert "Importen av ledger_cp437.se är borttagen" in response.content.decode()
    assert Voucher.objects.count() == 0


def test_dimensions_show_totals_per_object_and_drill_down_to_rows(economist, federation):
    post_file(economist, "ledger_cp437.se")
    year = FiscalYear.objects.get(organisation=federation)
    page = text_of(economist.get(reverse("finance:dimension_list")))
    assert "Projekt" in page and "Arbetsmarknadstorget" in page
    from finance.models import DimensionObject

    amt = DimensionObject.objects.get(dimension__organisation=federation, code="AMT")
    assert f"{reverse('finance:object_ledger', args=[amt.pk])}?ar={year.pk}" in page
    assert "250 000,00" in page.replace("\xa0", " ")
    rows = text_of(economist.get(reverse("finance:object_ledger", args=[amt.pk]), {"ar": year.pk}))
    assert "250 000,00 kr (1 transaktion)" in rows.replace("\xa0", " ")
    assert reverse("finance:voucher_detail", args=[Voucher.objects.get(number="3").pk]) in rows


def test_dimensions_and_objects_are_entered_by_hand(economist, federation, client_for):
    response = economist.post(
        reverse("finance:dimension_create"), {"name": "Verksamhet", "kind": "activity", "sie_number": 20}
    )
    assert response.status_code == 302
    from finance.models import Dimension

    dimension = Dimension.objects.get(organisation=federation)
    response = economist.post(reverse("finance:dimension_create"), {"name": "Annan", "kind": "other", "sie_number": 20})
    assert "Dimensionsnummer 20 används redan." in response.content.decode()
    url = reverse("finance:dimension_object_create", args=[dimension.pk])
    economist.post(url, {"code": "44061", "name": "Grundskola"})
    response = economist.post(url, {"code": "44061", "name": "Igen"})
    assert "Objektet 44061 finns redan i dimensionen Verksamhet." in response.content.decode()
    assert client_for(federation, Role.AUDITOR).post(url, {"code": "1"}).status_code == 403
