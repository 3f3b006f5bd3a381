#!/usr/bin/env python
"""An Excel import of 10 000 participant register rows: time and memory (issue 8: under 20 s and 300 MB).

Builds a förbund, a member kommun running an insats with the register and its register keeper, writes a filled-in
template of N rows (every column, samtycke, two activities each; not timed), and imports it through
`register_import_services.register_import_upload` with the file above the background threshold, so the timed path
is the background job's: row, file saved, task (in-process under config.settings.test), parse with progress
updates, code check, one write transaction with history rows. Then the same rows again with every participant
exited (every row changed, so every participant is updated), and once more under tracemalloc for the peak of
Python allocations (tracemalloc slows Python several times, so that run is for memory only). Prints wall time,
rows per second and the process's peak RSS (ru_maxrss, Django and the test data included), with their ratios
to the limits.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/register_import.py [--rows 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paragraf_x .venv/bin/python benchmarks/register_import.py
"""

from __future__ import annotations

import argparse
import gc
import io
import resource
import time
import tracemalloc

import harness

LIMIT_SECONDS = 20.0
LIMIT_MB = 300.0


def _file(rows: int, exit_on: str | None = None) -> bytes:
    """N filled-in rows; with `exit_on` every participant is exited that day (so a re-import changes every row)."""
    from openpyxl import Workbook

    from projects.register_import import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Deltagare")
    sheet.append([c.heading for c in COLUMNS])
    genders = ["Kvinna", "Man", "Icke-binär/annat"]
    for n in range(rows):
        exited = exit_on is not None or n % 4 == 0
        sheet.append(
            [
                f"BM-{n:06d}",
                genders[n % 3],
                None,
                "Ja",
                "2019-02-01",
                1960 + n % 40,
                ["Af", "FK", "Kommun"][n % 3],
                "Gymnasium",
                "A-kassa",
                "2019-02-01",
                (exit_on or "2019-11-30") if exited else None,
                "Arbete" if exited else None,
                "Lön/Arbete" if exited else None,
                "Kartläggning; Praktik",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _world():
    from core.models import Organisation, Role
    from projects import register_services
    from projects.models import Project
    from tests.factories import FederationMemberFactory, OrganisationFactory, user_with_role
    from tests.projects.factories import make_project

    federation = OrganisationFactory(name="Samordningsförbundet Skellefteå-Norsjö", kind=Organisation.Kind.FEDERATION)
    kommun = OrganisationFactory(name="Skellefteå kommun")
    FederationMemberFactory(federation=federation, member=kommun)
    project = make_project(federation, executor_organisation=kommun, follow_up_method=Project.FollowUp.REGISTER)
    keeper = user_with_role(kommun, Role.PARTICIPANT_OFFICER)
    register_services.register_staff_add(organisation=kommun, project=project, user=keeper, actor=keeper)
    return kommun, project, keeper


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run(rows: int) -> None:
    from django.conf import settings

    from projects import register_import_services
    from projects.models import RegisterImport, RegisterParticipant

    settings.REGISTER_IMPORT_INLINE_ROWS = 300  # the file goes to the background job
    settings.IMPORT_JOBS_IN_THREAD = False  # the task runs in-process after the commit, so it is timed here
    kommun, project, keeper = _world()
    data = _file(rows)
    files = [data, _file(rows, "2019-12-15"), _file(rows, "2019-12-20")]
    print(harness.environment())
    print(f"file: {rows} rows, {len(data) / 1024:.0f} KiB; peak RSS before the import {_peak_rss_mb():.0f} MB")
    for label, traced, content in (
        ("import (all new)", False, files[0]),
        ("import again (every row changed)", False, files[1]),
        ("again, under tracemalloc", True, files[2]),
    ):
        gc.collect()
        if traced:  # tracemalloc slows Python down several times: its run is for memory, not time
            tracemalloc.start()
        start = time.perf_counter()
        job = register_import_services.register_import_upload(
            organisation=kommun, project=project, actor=keeper, data=content, filename="deltagare.xlsx"
        )
        elapsed = time.perf_counter() - start
        peak = 0
        if traced:
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        job.refresh_from_db()
        assert job.status == RegisterImport.Status.DONE, job.errors[:3]
        peak_mb, rss = peak / 1024 / 1024, _peak_rss_mb()
        print(
            f"{label:34} {elapsed:6.2f} s  {rows / elapsed:7.0f} rows/s  tracemalloc peak {peak_mb:6.1f} MB  "
            f"peak RSS {rss:6.0f} MB  ({job.created_count} new, {job.updated_count} updated)"
        )
        print(
            f"{'':34} ratio to {LIMIT_SECONDS:.0f} s: {elapsed / LIMIT_SECONDS:.2f}; tracemalloc to {LIMIT_MB:.0f} MB: "
            f"{peak_mb / LIMIT_MB:.2f}; peak RSS to {LIMIT_MB:.0f} MB: {rss / LIMIT_MB:.2f}"
        )
    assert RegisterParticipant.objects.filter(project=project).count() == rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with harness.throwaway_database():
        run(args.rows)
