"""Ledger import: all or nothing, every error listed, the same file never twice, background for large files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Role
from finance import import_services
from finance.models import (
    Account,
    AccountBalance,
    AccountKind,
    Dimension,
    DimensionObject,
    FiscalYear,
    LedgerEntry,
    LedgerImport,
    PeriodBalance,
    Voucher,
)
from tests.factories import OrganisationFactory, user_with_role

from .factories import AccountFactory, FiscalYearFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
ORG_NUMBER = "222000-2642"


@pytest.fixture
def federation(db):
    return OrganisationFactory(name="Samordningsförbundet Skellefteå-Norsjö", org_number=ORG_NUMBER)


@pytest.fixture
def economist(federation):
    return user_with_role(federation, Role.ECONOMIST)


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else (FIXTURES / name).read_bytes())


def run(federation, economist, name="ledger_cp437.se", data=None, **kwargs) -> LedgerImport:
    return import_services.ledger_import_upload(
        organisation=federation, actor=economist, upload=upload(name, data), **kwargs
    )


def ledger_rows() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (FiscalYear, Account, Dimension, DimensionObject, Voucher, LedgerEntry, AccountBalance, PeriodBalance)
    )


@pytest.mark.parametrize(
    ("name", "encoding"), [("ledger_cp437.se", "cp437"), ("ledger_latin1.se", "latin-1"), ("ledger_utf8.se", "utf-8")]
)
def test_a_good_file_is_imported_whole(federation, economist, name, encoding):
    job = run(federation, economist, name)
    assert job.status == LedgerImport.Status.DONE, job.errors
    assert job.encoding == encoding
    assert (job.voucher_count, job.entry_count, job.account_count) == (5, 10, 7)
    year = FiscalYear.objects.get(organisation=federation)
    assert (year.start, year.end) == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert job.fiscal_year == year
    bank = Account.objects.get(organisation=federation, code="1930")
    assert bank.kind == AccountKind.ASSET
    assert Account.objects.get(organisation=federation, code="2081").kind == AccountKind.EQUITY
    assert Account.objects.get(organisation=federation, code="3010").kind == AccountKind.INCOME
    assert sum(e.amount for e in LedgerEntry.objects.filter(account=bank)) == Decimal("1123765.50")
    assert AccountBalance.objects.get(account=bank, kind="closing").amount == Decimal("3984959.50")
    entry = LedgerEntry.objects.get(account__code="4010")
    assert sorted(str(o) for o in entry.dimension_objects.all()) == ["20 Insatser", "AMT Arbetsmarknadstorget"]
    assert Dimension.objects.get(organisation=federation, sie_number=6).kind == Dimension.Kind.PROJECT
    assert LedgerEntry.objects.filter(added_afterwards=True).count() == 1
    assert PeriodBalance.objects.count() == 2
    assert Voucher.objects.get(number="5").text == 'Kontorsmaterial "Säljö" åäö ÅÄÖ'
    # The audit trail: who imported the file.
    assert job.history.first().history_user == economist
    # Kept as the year's underlag (the revisor downloads it, the årsredovisning carries it).
    with job.file.open("rb") as handle:
        assert handle.read() == (FIXTURES / name).read_bytes()


def test_the_same_file_is_refused_the_second_time(federation, economist):
    run(federation, economist)
    before = ledger_rows()
    with pytest.raises(ValidationError) as refused:
        run(federation, economist, "kopia.se", (FIXTURES / "ledger_cp437.se").read_bytes())
    assert "redan importerad" in refused.value.message_dict["file"][0]
    assert ledger_rows() == before
    assert LedgerImport.objects.count() == 1


def test_the_same_ledger_in_another_encoding_is_refused_by_its_verifikationer(federation, economist):
    run(federation, economist, "ledger_cp437.se")
    before = ledger_rows()
    job = run(federation, economist, "ledger_utf8.se")
    assert job.status == LedgerImport.Status.FAILED
    assert any("finns redan i räkenskapsår 2019" in e["message"] for e in job.errors)
    assert ledger_rows() == before


def test_a_file_with_an_error_keeps_nothing_and_lists_the_error(federation, economist):
    job = run(federation, economist, "ledger_unbalanced.se")
    assert job.status == LedgerImport.Status.FAILED
    assert ledger_rows() == (0,) * 8
    lines = {(e["line"], e["field"]) for e in job.errors}
    assert (48, "#VER") in lines
    assert job.encoding == "cp437"
    # A refused file may be sent again once fixed (or unchanged, to see the list again).
    again = run(federation, economist, "ledger_unbalanced.se")
    assert again.status == LedgerImport.Status.FAILED


def test_another_organisations_file_is_refused(economist, federation):
    federation.org_number = "222000-1933"
    federation.save()
    job = run(federation, economist)
    assert job.status == LedgerImport.Status.FAILED
    assert job.errors[0]["field"] == "#ORGNR"
    assert "222000-2642" in job.errors[0]["message"]
    assert ledger_rows() == (0,) * 8


def test_opening_balance_must_equal_the_stored_closing_balance_of_the_year_before(federation, economist):
    previous = FiscalYearFactory(organisation=federation, start=dt.date(2018, 1, 1), end=dt.date(2018, 12, 31))
    bank = AccountFactory(organisation=federation, code="1930", name="Bank", kind=AccountKind.ASSET)
    earlier = LedgerImport.objects.create(organisation=federation, filename="2018.se", sha256="x" * 64, status="done")
    AccountBalance.objects.create(
        organisation=federation, fiscal_year=previous, ledger_import=earlier, account=bank, kind="closing", amount=1
    )
    job = run(federation, economist)
    assert job.status == LedgerImport.Status.FAILED
    messages = [e["message"] for e in job.errors if e["field"] == "#IB saldo"]
    assert len(messages) == 3  # 1930 differs, and 2081, 2440 have no closing balance stored for 2018
    assert any("utgående balans 2018 i Paragraf" in m for m in messages)


def test_a_chosen_fiscal_year_must_be_the_files(federation, economist):
    other = FiscalYearFactory(organisation=federation, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))
    job = run(federation, economist, fiscal_year=other)
    assert job.status == LedgerImport.Status.FAILED
    assert job.errors[0]["field"] == "#RAR"


def test_an_account_in_neither_file_nor_kontoplan_is_an_error(federation, economist):
    text = (
        "#SIETYP 4\n#ORGNR 222000-2642\n#RAR 0 20190101 20191231\n"
        '#VER A 1 20190105 "X"\n{\n#TRANS 1930 {} 1.00\n#TRANS 3010 {} -1.00\n}\n'
    )
    AccountFactory(organisation=federation, code="1930", kind=AccountKind.ASSET)
    job = run(federation, economist, "konto.se", text.encode())
    assert job.status == LedgerImport.Status.FAILED
    assert job.errors == [
        {
            "line": 7,
            "field": "#TRANS kontonummer",
            "message": "konto 3010 finns varken i filen (#KONTO) eller i kontoplanen",
        }
    ]


def test_a_4i_file_books_into_the_kontoplan_and_an_existing_year(federation, economist):
    year = FiscalYearFactory(organisation=federation)
    AccountFactory(organisation=federation, code="1930", kind=AccountKind.ASSET)
    AccountFactory(organisation=federation, code="3010", kind=AccountKind.INCOME)
    text = '#SIETYP 4I\n#VER "" "" 20190105 "Utan nummer"\n{\n#TRANS 1930 {} 1.00\n#TRANS 3010 {} -1.00\n}\n'
    job = run(federation, economist, "import.si", text.encode(), fiscal_year=year)
    assert job.status == LedgerImport.Status.DONE, job.errors
    assert job.account_count == 0
    assert Voucher.objects.get().fiscal_year == year


def test_a_large_file_runs_as_a_background_job(federation, economist, settings, django_capture_on_commit_callbacks):
    settings.FINANCE_IMPORT_INLINE_BYTES = 100
    with django_capture_on_commit_callbacks(execute=True):
        job = run(federation, economist)
        assert job.status == LedgerImport.Status.QUEUED
        assert job.file
    job.refresh_from_db()
    assert job.status == LedgerImport.Status.DONE, job.errors
    assert job.progress == 100
    assert Voucher.objects.count() == 5
    assert job.file  # the stored file is kept as the year's underlag


def test_a_crash_in_the_background_marks_the_import_refused(federation, economist, monkeypatch, settings):
    from finance import tasks

    settings.FINANCE_IMPORT_INLINE_BYTES = 100
    job = run(federation, economist)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    # Accounts, the fiscal year, saldon and verifikationer are written by then: all of it must go.
    monkeypatch.setattr(LedgerEntry.objects, "bulk_create", boom)
    tasks.ledger_import_task.apply(kwargs={"import_id": job.pk})
    job.refresh_from_db()
    assert job.status == LedgerImport.Status.FAILED
    assert "Ingenting importerades" in job.errors[0]["message"]
    assert ledger_rows() == (0,) * 8


def test_a_finished_import_is_not_run_again(federation, economist):
    job = run(federation, economist)
    import_services.ledger_import_run(import_id=job.pk)
    assert Voucher.objects.count() == 5


def test_a_new_export_of_the_year_replaces_the_earlier_import(federation, economist):
    first = run(federation, economist, "ledger_cp437.se")
    again = run(federation, economist, "ledger_utf8.se", replace_previous=True)
    assert again.status == LedgerImport.Status.DONE, again.errors
    first.refresh_from_db()
    assert (first.status, first.replaced_by) == (LedgerImport.Status.REPLACED, again)
    assert Voucher.objects.count() == 5 and LedgerEntry.objects.count() == 10
    assert set(Voucher.objects.values_list("ledger_import", flat=True)) == {again.pk}
    assert AccountBalance.objects.filter(ledger_import=first).count() == 0
    # The replaced file is still known: importing it once more is refused.
    with pytest.raises(ValidationError):
        run(federation, economist, "ledger_cp437.se")


def test_a_refused_replacement_keeps_the_earlier_import(federation, economist):
    first = run(federation, economist, "ledger_cp437.se")
    refused = run(federation, economist, "ledger_unbalanced.se", replace_previous=True)
    assert refused.status == LedgerImport.Status.FAILED
    first.refresh_from_db()
    assert first.status == LedgerImport.Status.DONE
    assert Voucher.objects.filter(ledger_import=first).count() == 5


def test_an_import_taken_back_removes_its_rows_and_frees_the_file(federation, economist):
    job = run(federation, economist)
    import_services.ledger_import_withdraw(ledger_import=job, actor=economist)
    job.refresh_from_db()
    assert job.status == LedgerImport.Status.WITHDRAWN
    assert Voucher.objects.count() == LedgerEntry.objects.count() == AccountBalance.objects.count() == 0
    assert Account.objects.filter(organisation=federation).count() == 7  # the kontoplan stays
    with pytest.raises(ValidationError):
        import_services.ledger_import_withdraw(ledger_import=job, actor=economist)
    assert run(federation, economist).status == LedgerImport.Status.DONE


def test_a_queued_import_taken_back_never_runs(federation, economist, settings):
    settings.FINANCE_IMPORT_INLINE_BYTES = 100
    job = run(federation, economist)
    assert job.status == LedgerImport.Status.QUEUED
    import_services.ledger_import_withdraw(ledger_import=job, actor=economist)
    import_services.ledger_import_run(import_id=job.pk)
    job.refresh_from_db()
    assert job.status == LedgerImport.Status.WITHDRAWN
    assert Voucher.objects.count() == 0
    settings.FINANCE_IMPORT_INLINE_BYTES = 10**9
    assert run(federation, economist).status == LedgerImport.Status.DONE


def test_an_import_whose_worker_and_message_are_gone_is_failed_and_the_file_can_come_again(
    federation, economist, settings
):
    import datetime as dt

    from django.utils import timezone

    from finance import tasks
    from finance.import_sweep import STALE_MESSAGE

    settings.FINANCE_IMPORT_INLINE_BYTES = 100
    lost = run(federation, economist)  # queued; in a test the message is never sent
    assert lost.status == LedgerImport.Status.QUEUED
    LedgerImport.objects.filter(pk=lost.pk).update(
        status=LedgerImport.Status.RUNNING, created_at=timezone.now() - dt.timedelta(hours=1)
    )
    fresh = run(federation, economist, name="ledger_utf8.se")
    tasks.sweep_ledger_imports_task.apply()
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == LedgerImport.Status.FAILED
    assert lost.errors[0]["message"] == STALE_MESSAGE
    assert not lost.file
    assert fresh.status == LedgerImport.Status.QUEUED  # a recent one is left to its worker
    # The same file is accepted again now that the lost import is failed.
    settings.FINANCE_IMPORT_INLINE_BYTES = 10**9
    again = run(federation, economist)
    assert again.status == LedgerImport.Status.DONE, again.errors
