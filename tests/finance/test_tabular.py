"""Excel and CSV ledger exports: Swedish numbers and dates, column mapping, every error by row and column."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.models import Role
from finance import import_services, tabular
from finance.models import AccountKind, ColumnMapping, Dimension, LedgerEntry, LedgerImport, Voucher
from tests.factories import user_with_role

from .factories import AccountFactory, FiscalYearFactory

MAPPING = {"date": "Datum", "account": "Konto", "amount": "Belopp", "text": "Text", "voucher": "Ver", "activity": "Vht"}
CSV = (
    "Datum;Konto;Vht;Text;Belopp;Ver\n"
    "2019-01-31;50210;44061;Lön januari;1 234,50;1\n"
    "2019-01-31;19310;;Lön januari;−1 234,50;1\n"
    "20190215;30004;44061;Personalkaffe;-0,8;2\n"
    "15.02.2019;19310;;Personalkaffe;0,8;2\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("-0,8", "-0.8"),
        ("−14,0", "-14.0"),
        ("–14,0", "-14.0"),
        ("1.234,50", "1234.50"),
        ("1234.5", "1234.5"),
        ("1 234,50-", "-1234.50"),
        ("(25)", "-25"),
        (12.5, "12.5"),
        (7, "7"),
    ],
)
def test_swedish_numbers(text, expected):
    assert tabular.parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.2.3", "12 kr"])
def test_not_numbers_say_so(text):
    with pytest.raises(ValueError):
        tabular.parse_number(text)


@given(st.decimals(min_value=Decimal("-999999999.99"), max_value=Decimal("999999999.99"), places=2))
def test_a_number_written_the_swedish_way_reads_back(amount):
    whole, _, fraction = f"{abs(amount):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ("−" if amount < 0 else "") + " ".join(groups) + "," + fraction
    assert tabular.parse_number(text) == amount


@pytest.mark.parametrize(
    "text", ["2019-01-31", "20190131", "190131", "31.01.2019", "31/1/2019", "2019/01/31", "2019-01-31 00:00:00"]
)
def test_dates_in_the_usual_forms(text):
    assert tabular.parse_date(text) == dt.date(2019, 1, 31)


def test_csv_rows_are_read_with_the_mapping():
    parsed = tabular.read(CSV.encode("utf-8"), "utfall.csv", MAPPING)
    assert parsed.errors == []
    assert [r.amount for r in parsed.rows] == [Decimal("1234.50"), Decimal("-1234.50"), Decimal("-0.8"), Decimal("0.8")]
    assert parsed.rows[0].objects == {"activity": "44061"}
    assert parsed.rows[3].date == dt.date(2019, 2, 15)


def test_every_bad_cell_is_listed_with_row_and_column():
    text = "Datum;Konto;Belopp\n2019-13-01;50210;1,00\n2019-01-02;5x;abc\n"
    parsed = tabular.read(text.encode("cp1252"), "fel.csv", {"date": "Datum", "account": "Konto", "amount": "Belopp"})
    assert [(p.row, p.column) for p in parsed.errors] == [(2, "Datum"), (3, "Konto"), (3, "Belopp")]
    assert str(parsed.errors[0]) == "Rad 2, kolumn ”Datum”: ”2019-13-01” är inget giltigt datum"


def test_a_missing_column_names_the_columns_the_file_has():
    parsed = tabular.read(b"Dag;Konto;Summa\n", "x.csv", {"date": "Datum", "account": "Konto", "amount": "Belopp"})
    assert "filens kolumner: ”Dag”, ”Konto”, ”Summa”" in parsed.errors[0].message


def test_debit_and_credit_columns():
    text = "Datum\tKonto\tDebet\tKredit\n2019-01-02\t50210\t100,00\t\n2019-01-02\t19310\t\t100,00\n"
    mapping = {"date": "Datum", "account": "Konto", "debit": "Debet", "credit": "Kredit"}
    parsed = tabular.read(text.encode(), "x.txt", mapping)
    assert [r.amount for r in parsed.rows] == [Decimal("100.00"), Decimal("-100.00")]


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_cells_keep_their_dates_and_numbers():
    data = xlsx_bytes(
        [["Datum", "Konto", "Belopp"], [dt.datetime(2019, 3, 1), 50210, 12.5], ["2019-03-02", "19310", "-12,50"]]
    )
    parsed = tabular.read(data, "utfall.xlsx", {"date": "Datum", "account": "Konto", "amount": "Belopp"})
    assert parsed.errors == []
    assert [(r.date, r.account, r.amount) for r in parsed.rows] == [
        (dt.date(2019, 3, 1), "50210", Decimal("12.5")),
        (dt.date(2019, 3, 2), "19310", Decimal("-12.50")),
    ]


@pytest.fixture
def kommun(organisation):
    for code, kind in (("50210", AccountKind.EXPENSE), ("30004", AccountKind.INCOME), ("19310", AccountKind.ASSET)):
        AccountFactory(organisation=organisation, code=code, kind=kind)
    return organisation


@pytest.mark.django_db
def test_tabular_import_is_whole_saves_the_mapping_and_refuses_the_same_file(kommun):
    year = FiscalYearFactory(organisation=kommun)
    actor = user_with_role(kommun, Role.ECONOMIST)

    def send():
        return import_services.tabular_import_upload(
            organisation=kommun,
            actor=actor,
            upload=SimpleUploadedFile("utfall.csv", CSV.encode()),
            fiscal_year=year,
            columns=MAPPING,
        )

    job = send()
    assert job.status == LedgerImport.Status.DONE, job.errors
    assert (job.source, job.voucher_count, job.entry_count) == ("csv", 2, 4)
    assert Voucher.objects.get(number="1").entries.count() == 2
    assert Dimension.objects.get(organisation=kommun).kind == Dimension.Kind.ACTIVITY
    assert LedgerEntry.objects.filter(dimension_objects__code="44061").count() == 2
    assert ColumnMapping.objects.get(organisation=kommun).columns["activity"] == "Vht"
    assert import_services.column_mapping_for(organisation=kommun)["voucher"] == "Ver"
    with pytest.raises(Exception, match="redan importerad"):
        send()


@pytest.mark.django_db
def test_tabular_import_with_errors_keeps_nothing(kommun):
    year = FiscalYearFactory(organisation=kommun)
    actor = user_with_role(kommun, Role.ECONOMIST)
    bad = (
        CSV.replace("−1 234,50", "−1 234,00").replace("2019-01-31;50210", "2020-01-31;50210").replace("30004", "39999")
    )
    job = import_services.tabular_import_upload(
        organisation=kommun,
        actor=actor,
        upload=SimpleUploadedFile("fel.csv", bad.encode()),
        fiscal_year=year,
        columns=MAPPING,
    )
    assert job.status == LedgerImport.Status.FAILED
    assert [(e["line"], e["field"]) for e in job.errors] == [(2, "Datum"), (2, "Ver"), (4, "Konto")]
    assert "balanserar inte" in job.errors[1]["message"]
    assert LedgerEntry.objects.count() == Voucher.objects.count() == Dimension.objects.count() == 0


@pytest.mark.django_db
def test_tabular_upload_page_keeps_typed_columns_on_error(client_for, kommun):
    FiscalYearFactory(organisation=kommun)
    client = client_for(kommun, Role.ECONOMIST)
    page = client.get(reverse("finance:import_tabular")).content.decode()
    assert 'value="Datum"' in page
    response = client.post(reverse("finance:import_tabular"), {"column_date": "Bokf.datum", "column_account": ""})
    body = response.content.decode()
    assert "Ange kolumnen för konto." in body and 'value="Bokf.datum"' in body
