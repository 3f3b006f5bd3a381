"""The period report computed from the participant register in the database: 1 000 against 100 000
participants over 50 insatser (issue 8: under 1 s on PostgreSQL, a query count that does not grow).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paragraf_register \
        .venv/bin/python benchmarks/participant_register.py
    .venv/bin/python benchmarks/participant_register.py --runs 5      # SQLite, for reference

Builds a samordningsförbund whose member Skellefteå kommun runs 50 insatser with the register, fills the
register with bulk inserts (dates 2015–2019, every field of the record, one to two activities each), and times
`register_selectors.register_report_counts` (the counts of one insats's 2019 report), the same for all 50 insatser,
and `crossing_services.register_report_submit` (counts, report created and submitted), with the query count of
each. Then grows the register to 100 000 and measures again.
"""

from __future__ import annotations

import random
import statistics

import harness
from django.db import connection
from django.test.utils import CaptureQueriesContext

INSATSER = 50
SIZES = (1_000, 100_000)


def build(size: int, projects, world, rng: random.Random, start: int) -> None:
    import datetime as dt

    from projects.models import RegisterParticipant

    cats, kommun = world["cats"], world["kommun"]
    through = RegisterParticipant.activities.through
    batch, activities = [], []
    for number in range(start, size):
        project = projects[number % INSATSER]
        enrolled_on = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
        consent = rng.random() > 0.05
        record = RegisterParticipant(
            organisation=kommun,
            project=project,
            code=f"B-{number:06}",
            gender=rng.choices(("woman", "man", "other"), (48, 50, 2))[0],
            consent=consent,
            enrolment_year=enrolled_on.year,
        )
        if consent:
            record.enrolled_on = record.consent_on = enrolled_on
            record.birth_year = enrolled_on.year - rng.randint(16, 64)
            record.referrer = rng.choice(cats["referrer"])
            record.education = rng.choice(cats["education"])
            record.income_at_entry = rng.choice(cats["income_at_entry"])
            if rng.random() < 0.7:
                record.exited_on = enrolled_on + dt.timedelta(days=rng.randrange(30, 700))
                record.exit_reason = rng.choice(cats["exit_reason"])
                record.income_at_exit = rng.choice(cats["income_at_exit"])
        batch.append(record)
        if len(batch) == 5000:
            _flush(batch, activities, cats, rng, through)
    _flush(batch, activities, cats, rng, through)


def _flush(batch, activities, cats, rng, through) -> None:
    from projects.models import RegisterParticipant

    RegisterParticipant.objects.bulk_create(batch)
    links = []
    for record in batch:
        if record.consent:
            for activity in rng.sample(cats["activity"], rng.randint(1, 2)):
                links.append(through(registerparticipant_id=record.pk, category_id=activity.pk))
    through.objects.bulk_create(links)
    batch.clear()


def measure(label: str, runs: int, function) -> tuple[list[float], int]:
    with CaptureQueriesContext(connection) as queries:
        function()
    count = len(queries.captured_queries)
    return harness.timed(function, runs), count


def run(runs: int) -> None:
    from core.models import Role, RoleAssignment, User
    from projects import crossing_services, project_services, register_services
    from projects.category_services import category_lists_ensure
    from projects.models import Category, ParticipantReport, Project, RegisterParticipant
    from projects.register_selectors import register_report_counts

    federation, members = harness.make_federation(street_address="Hörnellgatan 17")
    kommun = members[3]
    chief = User.objects.create(username="chief")
    keeper = User.objects.create(username="keeper")
    RoleAssignment.objects.create(user=chief, organisation=federation, role=Role.DIRECTOR)
    RoleAssignment.objects.create(user=keeper, organisation=kommun, role=Role.PARTICIPANT_OFFICER)
    category_lists_ensure(organisation=federation, actor=chief)
    projects = []
    for number in range(INSATSER):
        project = project_services.project_create(
            organisation=federation,
            actor=chief,
            name=f"Insats {number + 1:02}",
            kind=Project.Kind.ORDINARY,
            orientation=Project.Orientation.INDIVIDUAL,
            executor_name=kommun.name,
            executor_organisation=kommun,
            follow_up_method=Project.FollowUp.REGISTER,
        )
        register_services.register_staff_add(organisation=kommun, project=project, user=keeper, actor=keeper)
        projects.append(project)
    cats = {}
    for key in ("referrer", "education", "income_at_entry", "income_at_exit", "exit_reason", "activity"):
        cats[key] = list(Category.objects.filter(category_list__organisation=federation, category_list__key=key))
    world = {"cats": cats, "kommun": kommun}
    rng = random.Random(2019)
    print(harness.environment())
    print(f"{INSATSER} insatser run by {kommun.name}; report period: year 2019\n")
    results = {}
    built = 0
    for size in SIZES:
        build(size, projects, world, rng, built)
        built = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        target = projects[0]
        one, one_queries = measure("one", runs, lambda target=target: register_report_counts(project=target, year=2019))
        every, every_queries = measure(
            "all", max(1, runs // 5), lambda: [register_report_counts(project=p, year=2019) for p in projects]
        )

        def submit(target=target):
            reason = "Ny körning" if ParticipantReport.objects.filter(project=target).exists() else ""
            crossing_services.register_report_submit(
                organisation=kommun, project=target, actor=keeper, year=2019, reason=reason
            )

        crossing, crossing_queries = measure("crossing", runs, submit)
        counts = register_report_counts(project=target, year=2019)
        active = sum(counts.base("carried_over").values()) + sum(counts.base("enrolled").values())
        total = RegisterParticipant.objects.count()
        results[size] = (one, one_queries, every, every_queries, crossing, crossing_queries)
        print(
            f"register of {total} participants ({total // INSATSER} per insats; "
            f"{active} active in 2019 in the insats timed)"
        )
        harness.print_rows(
            [
                (f"one insats's 2019 counts ({one_queries} queries)", one),
                (f"all {INSATSER} insatser's counts ({every_queries} queries)", every),
                (f"crossing: count + create + submit ({crossing_queries} q)", crossing),
            ]
        )
        print()
    small, big = results[SIZES[0]], results[SIZES[1]]
    ratio = statistics.median(big[0]) / statistics.median(small[0])
    print(f"ratio 100k / 1k, one insats's counts (median): {ratio:.2f} for {SIZES[1] // SIZES[0]}x the data")
    print(
        f"ratio 100k / 1k, all insatser (median):       {statistics.median(big[2]) / statistics.median(small[2]):.2f}"
    )
    print(f"queries 1k → 100k: one insats {small[1]} → {big[1]}, crossing {small[5]} → {big[5]}")
    target_met = statistics.median(big[0]) < 1.0
    print(f"target (one period report under 1 s at 100 000): {'met' if target_met else 'NOT met'}")
    if small[1] != big[1] or small[5] != big[5]:
        raise SystemExit("The query count grew with the data.")


if __name__ == "__main__":
    harness.main(run, description=__doc__.splitlines()[0], runs_help="timed runs per measurement (default 10)")
