"""The ekonom's budget pages: list, grid, a line's months, fastställ with confirmation, Excel export and import."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from core.models import Role
from finance import budget_services
from finance.models import AccountKind, Budget, BudgetLine, BudgetMonth
from tests.factories import OrganisationFactory, user_with_role

from .factories import AccountFactory, FiscalYearFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def federation(db):
    return OrganisationFactory(name="Samordningsförbundet Skellefteå-Norsjö")


@pytest.fixture
def economist(client_for, federation):
    return client_for(federation, Role.ECONOMIST)


@pytest.fixture
def year(federation):
    return FiscalYearFactory(organisation=federation, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))


@pytest.fixture
def budget(federation, year):
    return budget_services.budget_create(
        organisation=federation, actor=user_with_role(federation, Role.ECONOMIST), fiscal_year=year
    )


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_ekonom_creates_a_budget_and_adds_a_line(economist, federation, year):
    page = economist.get(reverse("finance:budget_list"))
    assert "Skapa ursprunglig budget" in page.content.decode()
    response = economist.post(reverse("finance:budget_list"), {"fiscal_year": year.pk}, follow=True)
    budget = Budget.objects.get(fiscal_year=year)
    assert "Budget 2020, ursprunglig är skapad" in text_of(response)
    account = AccountFactory(organisation=federation, code="5010", name="Löner kansli")
    response = economist.post(
        reverse("finance:budget_line_add", args=[budget.pk]),
        {"account": account.pk, "amount": "1 131 000", "distribution": "even"},
        follow=True,
    )
    assert "Raden för konto 5010 är sparad" in text_of(response)
    line = budget.lines.get()
    assert line.amount == D(1131000)
    assert "1 131 000" in text_of(response).replace("\u00a0", " ")


def test_a_bad_amount_keeps_the_input_and_names_the_field(economist, federation, budget):
    account = AccountFactory(organisation=federation)
    response = economist.post(
        reverse("finance:budget_line_add", args=[budget.pk]),
        {"account": account.pk, "amount": "12,5x", "distribution": "even"},
    )
    assert response.status_code == 400
    body = text_of(response)
    assert "Årsbelopp (kr)</a>: ”12,5x” är inget tal" in body
    assert 'value="12,5x"' in body
    assert not budget.lines.exists()


def test_custom_months_on_the_line_page(economist, federation, budget):
    account = AccountFactory(organisation=federation)
    line = budget_services.line_save(
        budget=budget, actor=budget.history.first().history_user, account=account, amount=D(12)
    )
    data = {"account": account.pk, "amount": "", "distribution": "custom"}
    data.update({f"month_{n}": str(n * 100) for n in range(1, 13)})
    data["month_12"] = "1 200,50"
    response = economist.post(reverse("finance:budget_line", args=[line.pk]), data)
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.amount == D("7800.50") and line.distribution == "custom"
    assert BudgetMonth.objects.get(line=line, month=12).amount == D("1200.50")


def test_distribute_all_lines(economist, federation, budget):
    actor = budget.history.first().history_user
    account = AccountFactory(organisation=federation)
    budget_services.line_save(
        budget=budget, actor=actor, account=account, amount=D(0), distribution="custom", months=[D(12)] + [D(0)] * 11
    )
    response = economist.post(
        reverse("finance:budget_distribute", args=[budget.pk]), {"distribution": "even"}, follow=True
    )
    assert "1 rad fördelades jämnt över månaderna" in text_of(response)
    assert list(BudgetMonth.objects.filter(line__budget=budget).values_list("amount", flat=True)) == [D(1)] * 12


def test_fastställ_needs_confirmation_and_then_locks_the_pages(economist, federation, budget):
    account = AccountFactory(organisation=federation)
    line = budget_services.line_save(
        budget=budget, actor=budget.history.first().history_user, account=account, amount=D(12)
    )
    url = reverse("finance:budget_adopt", args=[budget.pk])
    response = economist.post(url, {"adopted_on": "2019-11-30"})
    assert "Bekräfta att budgeten ska fastställas" in text_of(response)
    budget.refresh_from_db()
    assert budget.status == "draft"
    response = economist.post(url, {"adopted_on": "2019-11-30", "confirm": "on"}, follow=True)
    assert "är fastställd och låst" in text_of(response)
    budget.refresh_from_db()
    assert budget.status == "adopted" and budget.adopted_on == dt.date(2019, 11, 30)
    page = text_of(economist.get(reverse("finance:budget_detail", args=[budget.pk])))
    assert "Lägg till rad" not in page and "Fastställ</a>" not in page and "Ny reviderad version" in page
    # Every write through the pages is refused.
    response = economist.post(
        reverse("finance:budget_line_add", args=[budget.pk]),
        {"account": account.pk, "amount": "5", "distribution": "even"},
        follow=True,
    )
    assert "Budgeten är fastställd" in text_of(response)
    assert economist.post(reverse("finance:budget_line", args=[line.pk]), {"amount": "5"}).status_code == 403
    economist.post(reverse("finance:budget_line_delete", args=[line.pk]))
    economist.post(reverse("finance:budget_distribute", args=[budget.pk]), {"distribution": "pattern"})
    response = economist.post(
        reverse("finance:budget_import", args=[budget.pk]),
        {"file": SimpleUploadedFile("b.xlsx", _workbook([["1", "", "", 1]]))},
    )
    assert "Budgeten är fastställd" in text_of(response)
    assert list(budget.lines.values_list("amount", flat=True)) == [D(12)]
    assert list(BudgetMonth.objects.filter(line=line).values_list("amount", flat=True)) == [D(1)] * 12
    # A reviderad version is the way on.
    response = economist.post(reverse("finance:budget_revise", args=[budget.pk]), follow=True)
    assert "Budget 2020, reviderad är skapad" in text_of(response)


def test_the_revisor_reads_and_changes_nothing(client_for, federation, budget):
    account = AccountFactory(organisation=federation)
    line = budget_services.line_save(
        budget=budget, actor=budget.history.first().history_user, account=account, amount=D(12)
    )
    auditor = client_for(federation, Role.AUDITOR)
    page = text_of(auditor.get(reverse("finance:budget_detail", args=[budget.pk])))
    assert "Exportera till Excel" in page and "Lägg till rad" not in page and "Ta bort" not in page
    assert auditor.get(reverse("finance:budget_line", args=[line.pk])).status_code == 200
    assert auditor.get(reverse("finance:budget_export", args=[budget.pk])).status_code == 200
    for name, args, data in (
        ("finance:budget_line_add", [budget.pk], {"account": account.pk, "amount": "1", "distribution": "even"}),
        ("finance:budget_line", [line.pk], {"amount": "1"}),
        ("finance:budget_line_delete", [line.pk], {}),
        ("finance:budget_adopt", [budget.pk], {"adopted_on": "2019-11-30", "confirm": "on"}),
        ("finance:budget_revise", [budget.pk], {}),
        ("finance:budget_list", [], {"fiscal_year": budget.fiscal_year_id}),
    ):
        assert auditor.post(reverse(name, args=args), data).status_code == 403, name
    assert Budget.objects.count() == 1 and budget.lines.get().amount == D(12)


def test_another_organisations_budget_is_404(economist):
    other = OrganisationFactory()
    year = FiscalYearFactory(organisation=other)
    budget = budget_services.budget_create(
        organisation=other, actor=user_with_role(other, Role.ECONOMIST), fiscal_year=year
    )
    assert economist.get(reverse("finance:budget_detail", args=[budget.pk])).status_code == 404
    assert economist.get(reverse("finance:budget_export", args=[budget.pk])).status_code == 404


def _workbook(rows) -> bytes:
    book = Workbook()
    book.active.append(list(budget_services.HEADERS))
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_export_then_import_through_the_pages(economist, federation, budget):
    actor = budget.history.first().history_user
    account = AccountFactory(organisation=federation, code="3010", kind=AccountKind.INCOME)
    budget_services.line_save(budget=budget, actor=actor, account=account, amount=D("-2907000"))
    export = economist.get(reverse("finance:budget_export", args=[budget.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "budget-2020-version-1.xlsx" in export["Content-Disposition"]
    budget.lines.all().delete()
    response = economist.post(
        reverse("finance:budget_import", args=[budget.pk]),
        {"file": SimpleUploadedFile("budget.xlsx", export.content)},
        follow=True,
    )
    assert "1 rad importerades" in text_of(response)
    assert budget.lines.get().amount == D("-2907000")


def test_an_import_error_lists_row_and_column_and_saves_nothing(economist, federation, budget):
    AccountFactory(organisation=federation, code="5010")
    data = _workbook([["5010", "", None, 100], ["7777", "", None, 5], ["5010", "", "XYZ", 1]])
    response = economist.post(
        reverse("finance:budget_import", args=[budget.pk]), {"file": SimpleUploadedFile("budget.xlsx", data)}
    )
    body = text_of(response)
    assert "Filen importerades inte." in body
    assert "Rad 3, kolumn ”Konto”: konto 7777 finns inte i kontoplanen." in body
    assert "Rad 4, kolumn ”Objekt”: objektet XYZ finns inte" in body
    assert not budget.lines.exists()


def test_grid_query_count_is_constant_in_the_number_of_lines(economist, federation, budget, django_assert_num_queries):
    actor = budget.history.first().history_user
    url = reverse("finance:budget_detail", args=[budget.pk])

    def add(count):
        for _ in range(count):
            account = AccountFactory(organisation=federation)
            budget_services.line_save(budget=budget, actor=actor, account=account, amount=D(1200))

    add(2)
    economist.get(url)

    with CaptureQueriesContext(connection) as few:
        assert economist.get(url).status_code == 200
    add(20)
    with django_assert_num_queries(len(few)):
        page = economist.get(url)
    assert page.status_code == 200 and BudgetLine.objects.filter(budget=budget).count() == 22
    line_url = reverse("finance:budget_line", args=[budget.lines.first().pk])
    with CaptureQueriesContext(connection) as line_page:
        economist.get(line_url)
    assert len(line_page) < 20
