"""Budget services: exact distribution, last year's pattern, reviderad copies, the lock, and the Excel import."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from core.models import Role
from finance import budget_selectors, budget_services
from finance.models import (
    AccountKind,
    Budget,
    BudgetLine,
    BudgetMonth,
    Dimension,
    DimensionObject,
    LedgerEntry,
    LedgerImport,
)
from tests.factories import OrganisationFactory, user_with_role

from .factories import AccountFactory, FiscalYearFactory

D = Decimal


@given(
    total=st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    weights=st.one_of(
        st.none(), st.lists(st.integers(min_value=0, max_value=10**7), min_size=12, max_size=12).map(lambda w: w)
    ),
)
def test_distribution_sums_exactly_and_uses_whole_kronor(total, weights):
    parts = budget_services.distribute(total, weights)
    assert len(parts) == 12
    assert sum(parts) == total
    assert all(isinstance(p, Decimal) for p in parts)
    if total == total.to_integral_value():
        assert all(p == p.to_integral_value() for p in parts)
    # Every part moves the same way as the total.
    assert all((p >= 0) if total >= 0 else (p <= 0) for p in parts)


@given(total=st.integers(min_value=-(10**9), max_value=10**9))
def test_even_distribution_differs_by_at_most_one_krona(total):
    parts = budget_services.distribute(D(total))
    assert max(parts) - min(parts) <= 1


def test_largest_remainder_gives_the_extra_kronor_to_the_first_months():
    assert budget_services.distribute(D(100)) == [D(9)] * 4 + [D(8)] * 8
    assert budget_services.distribute(D("-100")) == [D(-9)] * 4 + [D(-8)] * 8
    assert budget_services.distribute(D(10), [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]) == [D(3)] + [D(0)] * 10 + [D(7)]


@pytest.fixture
def federation(db):
    return OrganisationFactory(name="Samordningsförbundet Skellefteå-Norsjö")


@pytest.fixture
def economist(federation):
    return user_with_role(federation, Role.ECONOMIST)


@pytest.fixture
def year(federation):
    return FiscalYearFactory(organisation=federation, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))


@pytest.fixture
def budget(federation, economist, year):
    return budget_services.budget_create(organisation=federation, actor=economist, fiscal_year=year)


def months_of(line) -> list[Decimal]:
    return list(BudgetMonth.objects.filter(line=line).order_by("month").values_list("amount", flat=True))


def test_a_line_gets_twelve_months_that_sum_to_it(budget, economist, federation):
    account = AccountFactory(organisation=federation, code="5010")
    line = budget_services.line_save(budget=budget, actor=economist, account=account, amount=D("1131000"))
    assert sum(months_of(line)) == D("1131000") and len(months_of(line)) == 12
    assert line.history.first().history_user == economist


def test_custom_months_make_the_annual_amount(budget, economist, federation):
    account = AccountFactory(organisation=federation)
    months = [D(100)] * 11 + [D("1000.50")]
    line = budget_services.line_save(
        budget=budget, actor=economist, account=account, amount=D(0), distribution="custom", months=months
    )
    line.refresh_from_db()
    assert line.amount == D("2100.50") and months_of(line) == months


def test_a_second_line_for_the_same_account_and_object_is_refused(budget, economist, federation):
    account = AccountFactory(organisation=federation)
    budget_services.line_save(budget=budget, actor=economist, account=account, amount=D(12))
    with pytest.raises(ValidationError, match="redan en rad"):
        budget_services.line_save(budget=budget, actor=economist, account=account, amount=D(24))


def test_another_organisations_account_is_refused(budget, economist):
    with pytest.raises(ValidationError, match="hör inte till"):
        budget_services.line_save(budget=budget, actor=economist, account=AccountFactory(), amount=D(12))


def _ledger(federation, year, account, rows, item=None):
    job = LedgerImport.objects.create(
        organisation=federation, sha256=f"{account.pk:064d}", filename="f.se", status=LedgerImport.Status.DONE
    )
    for day, amount in rows:
        entry = LedgerEntry.objects.create(
            organisation=federation, fiscal_year=year, ledger_import=job, account=account, amount=amount, date=day
        )
        if item is not None:
            entry.dimension_objects.add(item)


def test_last_years_pattern_follows_the_previous_years_utfall(federation, economist, budget):
    last = FiscalYearFactory(organisation=federation, start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31))
    account = AccountFactory(organisation=federation, code="5210")
    # 2019: paid in March (1/4) and December (3/4), plus a small correction the other way in June.
    _ledger(
        federation,
        last,
        account,
        [(dt.date(2019, 3, 10), D(25000)), (dt.date(2019, 12, 20), D(75000)), (dt.date(2019, 6, 1), D(-500))],
    )
    line = budget_services.line_save(
        budget=budget, actor=economist, account=account, amount=D(270000), distribution="pattern"
    )
    months = months_of(line)
    assert months[2] == D(67500) and months[11] == D(202500) and sum(months) == D(270000)
    # An account without last year's utfall falls back to even.
    other = AccountFactory(organisation=federation, code="5220")
    line = budget_services.line_save(
        budget=budget, actor=economist, account=other, amount=D(1200), distribution="pattern"
    )
    assert months_of(line) == [D(100)] * 12


def test_pattern_per_dimension_object(federation, economist, budget):
    last = FiscalYearFactory(organisation=federation, start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31))
    dimension = Dimension.objects.create(organisation=federation, name="Projekt", kind="project", sie_number=6)
    amt = DimensionObject.objects.create(dimension=dimension, code="AMT")
    account = AccountFactory(organisation=federation, code="4010")
    _ledger(federation, last, account, [(dt.date(2019, 6, 28), D(1100000))], item=amt)
    line = budget_services.line_save(
        budget=budget, actor=economist, account=account, amount=D(1000), distribution="pattern", dimension_object=amt
    )
    assert months_of(line)[5] == D(1000)


def test_a_revised_version_copies_the_latest(budget, economist, federation):
    account = AccountFactory(organisation=federation)
    months = [D(i) for i in range(1, 13)]
    budget_services.line_save(
        budget=budget, actor=economist, account=account, amount=D(0), distribution="custom", months=months
    )
    budget_services.budget_adopt(budget=budget, actor=economist, adopted_on=dt.date(2019, 11, 30))
    revised = budget_services.budget_revise(budget=budget, actor=economist)
    assert (revised.kind, revised.number, revised.status, revised.based_on) == ("revised", 2, "draft", budget)
    copy = revised.lines.get()
    assert copy.amount == D(78) and months_of(copy) == months and copy.distribution == "custom"
    # A revision of the first version copies the latest (2), not the one it was asked from.
    budget_services.line_save(budget=revised, actor=economist, line=copy, account=account, amount=D(1200))
    third = budget_services.budget_revise(budget=budget, actor=economist)
    assert third.number == 3 and third.based_on == revised and third.lines.get().amount == D(1200)
    assert revised.version_label == "reviderad" and third.version_label == "reviderad 2"


def test_a_fastställd_budget_refuses_every_write(budget, economist, federation):
    account = AccountFactory(organisation=federation)
    line = budget_services.line_save(budget=budget, actor=economist, account=account, amount=D(12))
    budget_services.budget_adopt(budget=budget, actor=economist, adopted_on=dt.date(2019, 11, 30))
    writes = [
        lambda: budget_services.line_save(budget=budget, actor=economist, account=account, amount=D(1), line=line),
        lambda: budget_services.line_save(
            budget=budget, actor=economist, account=AccountFactory(organisation=federation), amount=D(1)
        ),
        lambda: budget_services.line_delete(line=line, actor=economist),
        lambda: budget_services.budget_distribute(budget=budget, actor=economist, distribution="even"),
        lambda: budget_services.budget_adopt(budget=budget, actor=economist, adopted_on=dt.date(2020, 1, 1)),
        lambda: budget_services.budget_import(budget=budget, actor=economist, data=workbook([["5010", "", "", 1]])),
    ]
    for write in writes:
        with pytest.raises(ValidationError, match="fastställd"):
            write()
    assert months_of(line) == [D(1)] * 12
    assert BudgetLine.objects.filter(budget=budget).count() == 1


def test_only_one_original_per_year(budget, economist, federation, year):
    with pytest.raises(ValidationError, match="redan en budget"):
        budget_services.budget_create(organisation=federation, actor=economist, fiscal_year=year)


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(budget_services.HEADERS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_round_trip(budget, economist, federation):
    income = AccountFactory(organisation=federation, code="3010", kind=AccountKind.INCOME)
    expense = AccountFactory(organisation=federation, code="4010")
    dimension = Dimension.objects.create(organisation=federation, name="Projekt", kind="project", sie_number=6)
    amt = DimensionObject.objects.create(dimension=dimension, code="AMT")
    budget_services.line_save(budget=budget, actor=economist, account=income, amount=D("-2907000"))
    budget_services.line_save(
        budget=budget,
        actor=economist,
        account=expense,
        amount=D(0),
        dimension_object=amt,
        distribution="custom",
        months=[D("100.25")] * 12,
    )
    data = budget_selectors.budget_workbook(budget=budget)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:4] == ["Konto", "Kontonamn", "Objekt", "Årsbelopp"]
    before = [(line.account.code, line.amount, months_of(line)) for line in budget_selectors.budget_lines(budget)]
    other = budget_services.budget_revise(budget=budget, actor=economist)
    other.lines.all().delete()
    assert budget_services.budget_import(budget=other, actor=economist, data=data) == 2
    after = [(line.account.code, line.amount, months_of(line)) for line in budget_selectors.budget_lines(other)]
    assert after == before
    assert other.lines.get(account=expense).dimension_object == amt


def test_import_is_all_or_nothing_and_names_row_and_column(budget, economist, federation):
    AccountFactory(organisation=federation, code="3010", kind=AccountKind.INCOME)
    AccountFactory(organisation=federation, code="5010")
    keep = AccountFactory(organisation=federation, code="4010")
    budget_services.line_save(budget=budget, actor=economist, account=keep, amount=D(1200))
    data = workbook(
        [
            ["3010", "Staten", None, "-2 907 000"],
            ["9999", "Okänt", None, "12,5x"],  # the bad row in the middle
            ["5010", "Löner", None, "1 131 000"],
            ["5010", "Löner igen", None, None, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, "tolv"],
        ]
    )
    with pytest.raises(ValidationError) as caught:
        budget_services.budget_import(budget=budget, actor=economist, data=data)
    messages = caught.value.messages
    assert "Rad 3, kolumn ”Konto”: konto 9999 finns inte i kontoplanen." in messages
    assert any(m.startswith("Rad 3, kolumn ”Årsbelopp”: ”12,5x” är inget tal") for m in messages)
    assert any(m.startswith("Rad 5, kolumn ”Dec”: ”tolv” är inget tal") for m in messages)
    # Nothing changed: the old line is still there, alone.
    assert [(line.account.code, line.amount) for line in budget.lines.all()] == [("4010", D(1200))]


def test_import_months_must_sum_to_the_annual_amount(budget, economist, federation):
    AccountFactory(organisation=federation, code="5010")
    data = workbook([["5010", "", None, 100, *([10] * 12)]])
    with pytest.raises(ValidationError, match="Rad 2, kolumn ”Årsbelopp”: årsbeloppet 100 är inte summan"):
        budget_services.budget_import(budget=budget, actor=economist, data=data)


def test_a_file_that_is_not_the_template_is_refused(budget, economist):
    with pytest.raises(ValidationError, match="Excel"):
        budget_services.budget_import(budget=budget, actor=economist, data=b"not excel")
    book = Workbook()
    book.active.append(["Konto", "Belopp"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError, match="Rad 1: kolumnerna"):
        budget_services.budget_import(budget=budget, actor=economist, data=out.getvalue())


def test_the_grid_totals_per_kontoklass(budget, economist, federation):
    budget_services.line_save(
        budget=budget,
        actor=economist,
        account=AccountFactory(organisation=federation, code="3010", kind=AccountKind.INCOME),
        amount=D(-1000),
    )
    budget_services.line_save(
        budget=budget, actor=economist, account=AccountFactory(organisation=federation, code="4010"), amount=D(300)
    )
    budget_services.line_save(
        budget=budget, actor=economist, account=AccountFactory(organisation=federation, code="4020"), amount=D(200)
    )
    grid = budget_selectors.budget_grid(budget=budget)
    assert [(g.code, g.total) for g in grid.groups] == [("3", D(-1000)), ("4", D(500))]
    assert grid.total == D(-500) and grid.result == D(500)
    assert sum(grid.month_totals) == D(-500)
    assert Budget.objects.get(pk=budget.pk).status == "draft"


def test_amounts_that_do_not_fit_are_refused(budget, economist, federation):
    account = AccountFactory(organisation=federation, code="5010")
    with pytest.raises(ValidationError, match="för stort"):
        budget_services.line_save(budget=budget, actor=economist, account=account, amount=D(10) ** 25)
    with pytest.raises(ValidationError, match="två decimaler"):
        budget_services.line_save(budget=budget, actor=economist, account=account, amount=D("1.005"))
    data = workbook([["5010", "", None, "1" + "0" * 20]])
    with pytest.raises(ValidationError, match="Rad 2, kolumn ”Årsbelopp”: beloppet är för stort"):
        budget_services.budget_import(budget=budget, actor=economist, data=data)


def test_a_new_years_budget_can_start_from_last_years_lines(budget, economist, federation, year):
    """The lines, amounts and custom months are copied; the source stays as it was; another organisation's budget
    cannot be the source."""
    even = AccountFactory(organisation=federation, code="5010")
    custom = AccountFactory(organisation=federation, code="5020")
    budget_services.line_save(budget=budget, actor=economist, account=even, amount=D("1131000"))
    months = [D(100)] * 11 + [D(900)]
    budget_services.line_save(
        budget=budget, actor=economist, account=custom, amount=D(0), distribution="custom", months=months
    )
    budget_services.budget_adopt(budget=budget, actor=economist, adopted_on=dt.date(2019, 11, 30))
    next_year = FiscalYearFactory(organisation=federation, start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31))

    copy = budget_services.budget_create(
        organisation=federation, actor=economist, fiscal_year=next_year, copy_from=budget
    )
    lines = {line.account.code: line for line in copy.lines.select_related("account")}
    assert set(lines) == {"5010", "5020"} and copy.status == Budget.Status.DRAFT
    assert lines["5010"].amount == D("1131000") and sum(months_of(lines["5010"])) == D("1131000")
    assert lines["5020"].amount == D(2000) and months_of(lines["5020"]) == months
    assert BudgetLine.objects.filter(budget=budget).count() == 2  # the source is untouched

    other = OrganisationFactory()
    foreign = budget_services.budget_create(
        organisation=other,
        actor=economist,
        fiscal_year=FiscalYearFactory(organisation=other, start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31)),
    )
    third = FiscalYearFactory(organisation=federation, start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31))
    with pytest.raises(ValidationError, match="hör inte till"):
        budget_services.budget_create(organisation=federation, actor=economist, fiscal_year=third, copy_from=foreign)
    assert not Budget.objects.filter(fiscal_year=third).exists()
