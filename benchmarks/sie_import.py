#!/usr/bin/env python
"""SIE 4 import of 100 000 transaktioner: time and peak memory (target: under 30 s and under 500 MB).

Writes a SIE 4 file (CP437) of 25 000 verifikationer with four #TRANS each (100 000 transaktioner, each with a
verksamhet object), 60 accounts and 20 objects, and imports it through finance.import_services as an upload by
the ekonom (here run in the request, not on the Celery worker, so that the process measured is the one that
imports: parse, checks, and the bulk writes). Prints the time of each phase, the peak resident memory of the
process before and after, and the rows written. A 1 000-transaction file is imported first for the ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paragraf_followup .venv/bin/python benchmarks/sie_import.py
"""

from __future__ import annotations

import random
import resource
import sys
import time
from decimal import Decimal

import harness  # noqa: F401  (Django setup before the imports below)
from django.conf import settings
from followup import own_database

LIMIT_SECONDS, LIMIT_MB = 30.0, 500


def sie_file(transactions: int, org_number: str, seed: int) -> bytes:
    rng = random.Random(seed)
    accounts = [f"{40 + g}{a:03d}" for g in range(10) for a in range(6)]
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        '#PROGRAM "Paragraf benchmark" 1.0',
        "#GEN 20240115",
        '#FNAMN "Benchmarkkommun"',
        f"#ORGNR {org_number}",
        "#RAR 0 20230101 20231231",
        '#DIM 2 "Verksamhet"',
    ]
    lines += [f'#KONTO {code} "Konto {code}"' for code in accounts] + ['#KONTO 19310 "Bank"']
    lines += [f'#OBJEKT 2 "{o:02d}" "Verksamhet {o}"' for o in range(20)]
    for number in range(1, transactions // 4 + 1):
        date = f"2023{1 + number % 12:02d}{1 + number % 28:02d}"
        lines.append(f'#VER "A" {number} {date} "Leverantörsfaktura {number}" {date}')
        lines.append("{")
        amounts = [Decimal(rng.randrange(100, 2_000_000)) / 100 for _ in range(3)]
        for amount in amounts:
            lines.append(f'#TRANS {rng.choice(accounts)} {{2 "{rng.randrange(20):02d}"}} {amount:.2f}')
        lines.append(f"#TRANS 19310 {{}} {-sum(amounts):.2f}")
        lines.append("}")
    return ("\r\n".join(lines) + "\r\n").encode("cp437")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run(transactions: int, index: int) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import Organisation, Role
    from finance import import_services
    from finance.models import LedgerEntry
    from tests.factories import user_with_role

    org_number = f"21200{index}-{1000 + index}"
    organisation = Organisation.objects.create(
        name=f"Benchmarkkommun {index}", kind=Organisation.Kind.MUNICIPALITY, org_number=org_number
    )
    user = user_with_role(organisation, Role.ECONOMIST, username=f"ekonom{index}")
    start = time.perf_counter()
    data = sie_file(transactions, org_number, index)
    built = time.perf_counter() - start
    before = peak_mb()
    start = time.perf_counter()
    job = import_services.ledger_import_upload(
        organisation=organisation, actor=user, upload=SimpleUploadedFile("bokforing.se", data)
    )
    seconds = time.perf_counter() - start
    assert job.status == job.Status.DONE, job.errors[:3]
    return {
        "transactions": transactions,
        "bytes": len(data),
        "built": built,
        "seconds": seconds,
        "peak_before": before,
        "peak_after": peak_mb(),
        "entries": LedgerEntry.objects.filter(organisation=organisation).count(),
        "vouchers": job.voucher_count,
    }


def main() -> None:
    settings.FINANCE_IMPORT_INLINE_BYTES = 10**9  # import in this process, not on the worker
    with own_database():
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"SIE 4 import, database {engine}, Python {sys.version.split()[0]}")
        results = [run(1_000, 1), run(100_000, 2)]
    print(f"{'#TRANS':>8} {'file':>8} {'import':>9} {'peak RSS before':>16} {'after':>8} {'rows written':>13}")
    for r in results:
        print(
            f"{r['transactions']:>8,} {r['bytes'] / 1e6:6.1f}MB {r['seconds']:8.2f}s {r['peak_before']:14.0f}MB "
            f"{r['peak_after']:6.0f}MB {r['entries']:>13,}"
        )
    small, big = results
    print(f"ratio of time 100k / 1k: {big['seconds'] / small['seconds']:.1f} (rows ×100)")
    print(f"transaktioner per second at 100k: {big['transactions'] / big['seconds']:,.0f}")
    time_ok = "under" if big["seconds"] < LIMIT_SECONDS else "OVER"
    memory_ok = "under" if big["peak_after"] < LIMIT_MB else "OVER"
    print(
        f"100 000 transaktioner: {big['seconds']:.1f} s, {time_ok} {LIMIT_SECONDS:.0f} s; "
        f"peak {big['peak_after']:.0f} MB, {memory_ok} {LIMIT_MB} MB"
    )


if __name__ == "__main__":
    main()
