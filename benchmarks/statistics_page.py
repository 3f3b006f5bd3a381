"""The participant statistics page over 10 years of 50 insatser: server time and query count.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/statistics_page.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paragraf_pstats .venv/bin/python benchmarks/statistics_page.py

A samordningsförbund with 50 insatser (45 individinriktade reporting per tertial, 5 strukturövergripande per year)
and ten years of submitted reports, every cell of every grid stored as report_submit stores it (zeros included,
about 180 cells a report, one in five of a split's cells non-zero); one period in ten has a correction (version 2,
both submitted) and one in twenty a draft on top, so the version choice has work to do. The rows are bulk-inserted
(the figures, not the services, are what is measured). Then the page is asked for as a förbundschef through the
whole Django stack (middleware, session, selectors, pygal charts, template): all insatser over ten years, one insats
over ten years, all insatser for one half-year, and the Excel export. The same requests on a small förbund (5
insatser, 2 years) show that the query count does not grow. The target: under 300 ms.

On PostgreSQL the database named in DATABASE_URL is dropped and created for the run and dropped at the end; on
SQLite a throwaway file is used.
"""

from __future__ import annotations

import contextlib
import os
import statistics as stats_module
import time

import harness  # sets up Django
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

TARGET = 0.300
GENDERS = ("woman", "man", "other")


@contextlib.contextmanager
def database():
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        with harness.throwaway_database():
            yield
        return
    db.setdefault("TEST", {})["NAME"] = db["NAME"]  # our own database (paragraf_pstats), recreated for the run
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def build(*, name: str, insatser: int, years: int):
    """A förbund with its insatser and reports; returns (organisation, director)."""
    from core.models import Organisation, Role, RoleAssignment, User
    from projects.categories import INDIVIDUAL_SPLITS
    from projects.category_services import category_lists_ensure
    from projects.models import Category, CategoryList, ParticipantReport, Project, ProjectParty, ReportCount

    number = "222000-2642" if insatser > 10 else "222000-1354"
    organisation = Organisation.objects.create(name=name, kind=Organisation.Kind.FEDERATION, org_number=number)
    director = User.objects.create_user(username=f"chef-{organisation.pk}")
    RoleAssignment.objects.create(user=director, organisation=organisation, role=Role.DIRECTOR)
    category_lists_ensure(organisation=organisation, actor=director)
    categories = list(
        Category.objects.filter(category_list__organisation=organisation, category_list__key__in=INDIVIDUAL_SPLITS)
    )
    activities = list(
        Category.objects.filter(
            category_list__organisation=organisation, category_list__key=CategoryList.Key.STRUCTURAL_ACTIVITY
        )
    )
    projects = []
    for index in range(insatser):
        structural = index % 10 == 9
        projects.append(
            Project(
                organisation=organisation,
                name=f"Insats {index:02d}",
                short_name=f"I{index:02d}",
                kind=Project.Kind.ORDINARY,
                orientation=Project.Orientation.STRUCTURAL if structural else Project.Orientation.INDIVIDUAL,
                executor_name="Kommunen",
                report_period=Project.ReportPeriod.YEAR if structural else Project.ReportPeriod.TERTIAL,
                status=Project.Status.ONGOING,
                budgeted_participants=40 + index,
            )
        )
    Project.objects.bulk_create(projects)
    projects = list(Project.objects.filter(organisation=organisation).order_by("pk"))
    parties = []
    for project in projects:
        if project.is_structural:
            parties += [ProjectParty(project=project, name=f"Part {n}", position=n) for n in range(4)]
    ProjectParty.objects.bulk_create(parties)
    party_ids = {}
    for party in ProjectParty.objects.filter(project__organisation=organisation):
        party_ids.setdefault(party.project_id, []).append(party.pk)

    now = timezone.now()
    first_year = 2024 - years + 1
    reports = []
    serial = 0
    for project in projects:
        periods = 1 if project.is_structural else 3
        for year in range(first_year, 2025):
            for number in range(1, periods + 1):
                serial += 1
                versions = 2 if serial % 10 == 0 else 1
                for version in range(1, versions + 1):
                    reports.append(
                        ParticipantReport(
                            project=project,
                            period_kind=project.report_period,
                            year=year,
                            period_number=number,
                            version=version,
                            status=ParticipantReport.Status.SUBMITTED,
                            correction_reason="Rättelse" if version > 1 else "",
                            submitted_at=now,
                            submitted_by=director,
                            created_by=director,
                        )
                    )
                if serial % 20 == 0:
                    reports.append(
                        ParticipantReport(
                            project=project,
                            period_kind=project.report_period,
                            year=year,
                            period_number=number,
                            version=versions + 1,
                            correction_reason="Utkast",
                            created_by=director,
                        )
                    )
    ParticipantReport.objects.bulk_create(reports, batch_size=2000)
    counts = []
    rows = ParticipantReport.objects.filter(project__organisation=organisation).select_related("project")
    for report in rows.iterator():
        seed = report.pk
        if report.project.is_structural:
            for activity in activities:
                for party in [*party_ids.get(report.project_id, []), 0]:
                    key = f"struct:{activity.pk}:{party}"
                    for gender in GENDERS:
                        counts.append(
                            ReportCount(
                                report_id=report.pk,
                                row=ReportCount.Row.STRUCTURAL,
                                category_id=activity.pk,
                                party_id=party or None,
                                key=key,
                                label=activity.label,
                                gender=gender,
                                value=(seed + activity.pk + party) % 7,
                            )
                        )
            continue
        for row in ("carried_over", "enrolled", "exited"):
            for gender in GENDERS:
                counts.append(
                    ReportCount(report_id=report.pk, row=row, key=row, gender=gender, value=(seed + len(row)) % 9)
                )
        for category in categories:
            for offset, gender in enumerate(GENDERS):
                # As in real reports, most cells of a split are 0: about one in five holds participants.
                value = 1 + (seed + category.pk) % 6 if (seed + category.pk * 7 + offset) % 5 == 0 else 0
                counts.append(
                    ReportCount(
                        report_id=report.pk,
                        row=ReportCount.Row.CATEGORY,
                        category_id=category.pk,
                        key=f"cat:{category.pk}",
                        label=category.label,
                        gender=gender,
                        value=value,
                    )
                )
        if len(counts) > 20000:
            ReportCount.objects.bulk_create(counts, batch_size=5000)
            counts = []
    ReportCount.objects.bulk_create(counts, batch_size=5000)
    # Planner statistics (and on PostgreSQL the visibility map for index-only scans), as autovacuum would.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE projects_reportcount")
    return organisation, director, projects


def requests_for(projects, first_year: int):
    return [
        ("alla insatser, 10 år", "/insatser/statistik/", {"fran": first_year, "till": 2024}),
        ("en insats, 10 år", "/insatser/statistik/", {"fran": first_year, "till": 2024, "insats": projects[0].pk}),
        ("alla insatser, halvår 1 2024", "/insatser/statistik/", {"fran": 2024, "till": 2024, "period": "h1"}),
        ("Excel, alla insatser, 10 år", "/insatser/statistik/excel/", {"fran": first_year, "till": 2024}),
    ]


SLOW: list[tuple[float, str]] = []


def measure(client: Client, url: str, params: dict, runs: int) -> tuple[list[float], int, float]:
    client.get(url, params)  # warm-up: templates, compiled queries, rendered charts
    queries: list[tuple[float, str]] = []

    def counting(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - start, sql))

    # Counted around the cursor (the test client's request_started would reset connection.queries).
    with connection.execute_wrapper(counting):
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    SLOW.extend(sorted(queries, reverse=True)[:2])
    if os.environ.get("PROFILE") and not SLOW[2:]:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(client.get, url, params)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    database_time = sum(seconds for seconds, _sql in queries)
    return harness.timed(lambda: client.get(url, params), runs), len(queries), database_time


def run(runs: int) -> None:
    from projects.models import ParticipantReport, ReportCount

    settings.ALLOWED_HOSTS = ["*"]
    big, big_director, big_projects = build(name="Samordningsförbundet Storbyn", insatser=50, years=10)
    small, small_director, small_projects = build(name="Samordningsförbundet Lillbyn", insatser=5, years=2)
    print(
        f"Storbyn: {len(big_projects)} insatser, "
        f"{ParticipantReport.objects.filter(project__organisation=big).count()} rapportversioner, "
        f"{ReportCount.objects.filter(report__project__organisation=big).count()} celler; "
        f"Lillbyn: {len(small_projects)} insatser, 2 år"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    print(f"{harness.environment()}, {runs} runs, load average {load:.1f} on {os.cpu_count()} CPU\n")
    results = []
    for organisation, director, projects, first_year in (
        (big, big_director, big_projects, 2015),
        (small, small_director, small_projects, 2023),
    ):
        client = Client()
        client.force_login(director)
        for label, url, params in requests_for(projects, first_year):
            times, queries, database_time = measure(client, url, params, runs)
            results.append((organisation.name.split()[-1], label, times, queries, database_time))
    print(f"{'':44} {'median':>9} {'mean':>9} {'max':>9} {'queries':>8} {'i databasen':>12}")
    for where, label, times, queries, database_time in results:
        print(
            f"{where + ': ' + label:44} {stats_module.median(times) * 1000:7.0f}ms "
            f"{stats_module.mean(times) * 1000:7.0f}ms {max(times) * 1000:7.0f}ms {queries:8d} "
            f"{database_time * 1000:10.0f}ms"
        )
    print()
    half = len(results) // 2
    for (_where, label, times, queries, _db), (_w, _l, small_times, small_queries, _sdb) in zip(
        results[:half], results[half:], strict=True
    ):
        median = stats_module.median(times)
        print(
            f"{label:30} median / 300 ms: {median / TARGET:.2f}   Storbyn / Lillbyn: "
            f"{median / stats_module.median(small_times):.1f} × tid, queries {queries} / {small_queries}"
        )
    worst = max(stats_module.median(times) for _w, label, times, _q, _d in results[:half] if "Excel" not in label)
    if os.environ.get("SHOW_SLOW"):
        for seconds, sql in sorted(SLOW, reverse=True)[:6]:
            print(f"{seconds * 1000:7.1f} ms  {sql[:160]}")
    print(f"\nSidan (sämsta median) {worst * 1000:.0f} ms: {'under' if worst < TARGET else 'ÖVER'} 300 ms.")


if __name__ == "__main__":
    harness.main(run, description=__doc__.splitlines()[0], runs_help="timed requests per variant (default 10)")
