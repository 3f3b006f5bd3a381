#!/usr/bin/env python
"""The uppföljning of a year of 1 000 and of 100 000 ledger rows: time and number of queries.

Builds a kommun with 60 result accounts in 10 kontoklasser, a verksamhet dimension of 20 objects, a fastställd
budget of 1 200 lines (every account × verksamhet, twelve months each) and a year's ledger of N rows spread over
the accounts, verksamheter and months (each row with its verksamhet, a few without). Then times
finance.followup_selectors.followup() (January–May, as seed 004) and the whole page (GET /ekonomi/uppfoljning/ as
the ekonom, charts and templates included), and counts their queries. The sums are made by the database; the
number of queries must not grow with the rows.

On PostgreSQL (the target: under 1 s for 100 000 rows) give your own database; it is dropped and recreated:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paragraf_followup .venv/bin/python benchmarks/followup.py
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import time
from decimal import Decimal

import harness
from django.conf import settings
from django.db import connection

SIZES = (1_000, 100_000)
LIMIT_SECONDS = 1.0


@contextlib.contextmanager
def own_database():
    """On PostgreSQL the DATABASE_URL database itself is the throwaway one (never a shared test database)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(harness.WORKDIR / "benchmark.sqlite3")
    else:
        database.setdefault("TEST", {})["NAME"] = database["NAME"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if not database["ENGINE"].endswith("sqlite3"):
            # Leave the (empty) database in place for the next run, as `createdb` made it.
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{old_name}"')
        shutil.rmtree(harness.WORKDIR, ignore_errors=True)


@contextlib.contextmanager
def counted():
    """Counts every query the connection executes (independent of DEBUG and debug cursors)."""
    count = [0]

    def wrapper(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def build(rows: int, index: int):
    from core.models import Organisation, Role
    from finance.models import (
        Account,
        AccountGroup,
        AccountKind,
        Budget,
        BudgetLine,
        BudgetMonth,
        Dimension,
        DimensionObject,
        FiscalYear,
        LedgerEntry,
        LedgerImport,
        Voucher,
    )
    from tests.factories import user_with_role

    rng = random.Random(rows)
    organisation = Organisation.objects.create(
        name=f"Benchmarkkommun {index}", kind=Organisation.Kind.MUNICIPALITY, org_number=f"21200{index:01d}-0000"
    )
    user = user_with_role(organisation, Role.ECONOMIST, username=f"ekonom{index}")
    year = FiscalYear.objects.create(organisation=organisation, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    groups = [
        AccountGroup.objects.create(organisation=organisation, code=f"{30 + g * 5}", name=f"Kontoklass {g}")
        for g in range(10)
    ]
    accounts = [
        Account.objects.create(
            organisation=organisation,
            code=f"{30 + g * 5}{a:03d}",
            name=f"Konto {g}-{a}",
            kind=AccountKind.INCOME if g == 0 else AccountKind.EXPENSE,
            group=groups[g],
        )
        for g in range(10)
        for a in range(6)
    ]
    dimension = Dimension.objects.create(
        organisation=organisation, sie_number=2, name="Verksamhet", kind=Dimension.Kind.ACTIVITY
    )
    objects = DimensionObject.objects.bulk_create(
        [DimensionObject(dimension=dimension, code=f"{o:02d}", name=f"Verksamhet {o}") for o in range(20)]
    )
    budget = Budget.objects.create(
        organisation=organisation, fiscal_year=year, status=Budget.Status.ADOPTED, adopted_on=dt.date(2022, 11, 30)
    )
    lines = BudgetLine.objects.bulk_create(
        [
            BudgetLine(budget=budget, account=account, dimension_object=item, amount=Decimal(120_000))
            for account in accounts
            for item in objects
        ]
    )
    BudgetMonth.objects.bulk_create(
        [BudgetMonth(line=line, month=m, amount=Decimal(10_000)) for line in lines for m in range(1, 13)],
        batch_size=2000,
    )
    job = LedgerImport.objects.create(
        organisation=organisation, fiscal_year=year, filename="bench.se", sha256=f"{index:064d}", status="done"
    )
    vouchers = Voucher.objects.bulk_create(
        [
            Voucher(
                organisation=organisation,
                fiscal_year=year,
                ledger_import=job,
                series="A",
                number=str(v),
                date=dt.date(2023, 1 + v % 12, 1 + v % 28),
            )
            for v in range(max(1, rows // 10))
        ],
        batch_size=2000,
    )
    entries = []
    for n in range(rows):
        voucher = vouchers[n // 10 % len(vouchers)]
        entries.append(
            LedgerEntry(
                organisation=organisation,
                fiscal_year=year,
                ledger_import=job,
                voucher=voucher,
                account=accounts[rng.randrange(len(accounts))],
                amount=Decimal(rng.randrange(-50_000, 500_000)) / 100,
                date=voucher.date,
            )
        )
    created = LedgerEntry.objects.bulk_create(entries, batch_size=5000)
    through = LedgerEntry.dimension_objects.through
    through.objects.bulk_create(
        [
            through(ledgerentry_id=entry.pk, dimensionobject_id=objects[n % 20].pk)
            for n, entry in enumerate(created)
            if n % 50  # every 50th row has no verksamhet
        ],
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return organisation, user, year


def measure(rows: int, index: int, runs: int) -> dict:
    from django.test import Client
    from django.urls import reverse

    from finance import followup_selectors

    organisation, user, year = build(rows, index)
    client = Client()
    client.force_login(user)
    url = reverse("finance:followup") + f"?ar={year.pk}&fran=1&till=5"
    client.get(url)  # warm-up: templates, pygal

    def selector():
        return followup_selectors.followup(organisation=organisation, fiscal_year=year, first=1, last=5)

    with counted() as selector_queries:
        report = selector()
    with counted() as page_queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    selector_times, page_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        selector()
        selector_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        client.get(url)
        page_times.append(time.perf_counter() - start)
    total = sum(e for e in report.total.figures.actual_months)
    return {
        "rows": rows,
        "selector": selector_times,
        "page": page_times,
        "selector_queries": selector_queries[0],
        "page_queries": page_queries[0],
        "year_total": total,
    }


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, in-memory e-mail
    with own_database():
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"Uppföljning jan–maj, database {engine}, Python {sys.version.split()[0]}, {args.runs} runs")
        results = [measure(rows, index, max(1, args.runs)) for index, rows in enumerate(SIZES, start=1)]
    print(f"{'ledger rows':>12} {'selector median':>16} {'page median':>12} {'page max':>9} {'queries':>9}")
    for r in results:
        print(
            f"{r['rows']:>12,} {statistics.median(r['selector']):15.3f}s {statistics.median(r['page']):11.3f}s "
            f"{max(r['page']):8.3f}s {r['selector_queries']:>4} / {r['page_queries']:<4}"
        )
    small, big = results
    print(f"ratio of rows: {big['rows'] / small['rows']:.0f}")
    print(f"ratio of page time (median): {statistics.median(big['page']) / statistics.median(small['page']):.2f}")
    print(
        f"queries 1k vs 100k (selector / page): {small['selector_queries']}/{small['page_queries']} vs "
        f"{big['selector_queries']}/{big['page_queries']}"
    )
    verdict = "under" if statistics.median(big["page"]) < LIMIT_SECONDS else "OVER"
    print(f"100 000 rows: page {statistics.median(big['page']):.3f} s, {verdict} the {LIMIT_SECONDS:.0f} s limit")
    if small["page_queries"] != big["page_queries"]:
        print("THE NUMBER OF QUERIES GREW WITH THE ROWS")
        sys.exit(1)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    main()
