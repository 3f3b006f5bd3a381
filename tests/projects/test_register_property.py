"""Over random registers: every count the database aggregation gives matches a count done in Python, every total
of the resulting report equals the sum of its parts, and the report passes the submission checks."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects.categories import INDIVIDUAL_SPLITS
from projects.models import GENDERS, CategoryList, Project, RegisterParticipant, period_bounds
from projects.register_selectors import SPLIT_FIELDS, register_report_counts
from projects.report_grid import CategoryRef, build_grid, category_key, validate
from projects.report_selectors import _lists_for

from .register_factories import make_register_world

pytestmark = pytest.mark.django_db
K = CategoryList.Key

DAY0 = dt.date(2017, 1, 1)
participant = st.fixed_dictionaries(
    {
        "gender": st.sampled_from(GENDERS),
        "consent": st.booleans(),
        "start": st.integers(0, 365 * 3),
        "length": st.one_of(st.none(), st.integers(0, 500)),
        "age": st.integers(16, 64),
        "referrer": st.integers(0, 5),  # 5: not given
        "education": st.integers(0, 9),
        "income_at_entry": st.integers(0, 11),
        "exit": st.integers(0, 10),
        "income_at_exit": st.integers(0, 11),
        "activities": st.sets(st.integers(0, 5), max_size=3),
        "start_year": st.integers(2017, 2019),
    }
)


@pytest.fixture
def world():
    # One world per test; each example replaces its register (_build), so examples do not see each other's.
    return make_register_world(report_period=Project.ReportPeriod.TERTIAL)


def _pick(categories, index):
    return categories[index] if index < len(categories) else None


def _build(world, rows, lists):
    RegisterParticipant.objects.filter(project=world.project).delete()
    cats = {key: list(lists[key].categories.all()) for key in INDIVIDUAL_SPLITS}
    made = []
    for number, row in enumerate(rows):
        enrolled_on = DAY0 + dt.timedelta(days=row["start"])
        exited_on = enrolled_on + dt.timedelta(days=row["length"]) if row["length"] is not None else None
        if exited_on and exited_on > dt.date(2019, 12, 31):
            exited_on = None
        record = RegisterParticipant(
            organisation=world.kommun,
            project=world.project,
            code=f"P-{number}",
            gender=row["gender"],
            consent=row["consent"],
            enrolment_year=enrolled_on.year if row["consent"] else row["start_year"],
        )
        if row["consent"]:
            record.enrolled_on = record.consent_on = enrolled_on
            record.birth_year = enrolled_on.year - row["age"]
            record.referrer = _pick(cats[K.REFERRER], row["referrer"])
            record.education = _pick(cats[K.EDUCATION], row["education"])
            record.income_at_entry = _pick(cats[K.INCOME_AT_ENTRY], row["income_at_entry"])
            if exited_on:
                record.exited_on = exited_on
                record.exit_reason = _pick(cats[K.EXIT_REASON], row["exit"])
                record.income_at_exit = _pick(cats[K.INCOME_AT_EXIT], row["income_at_exit"])
        made.append((record, [cats[K.ACTIVITY][i] for i in row["activities"]] if row["consent"] else []))
    RegisterParticipant.objects.bulk_create([record for record, _ in made])
    through = RegisterParticipant.activities.through
    through.objects.bulk_create(
        [through(registerparticipant_id=r.pk, category_id=a.pk) for r, acts in made for a in acts]
    )
    return [record for record, _ in made], {r.pk: {a.pk for a in acts} for r, acts in made}, cats


def _python_counts(records, activities, year, number):
    """The same rules, counted one participant at a time."""
    start, end = period_bounds("tertial", year, number)
    expected = {}

    def add(key, gender):
        expected[(key, gender)] = expected.get((key, gender), 0) + 1

    active_records, exited_records = [], []
    for r in records:
        if r.enrolled_on is None:
            if r.enrolment_year != year:
                continue
            state = "enrolled" if number == 1 else "carried_over"
        elif r.enrolled_on < start and (r.exited_on is None or r.exited_on >= start):
            state = "carried_over"
        elif start <= r.enrolled_on <= end:
            state = "enrolled"
        else:
            state = None
        if state:
            add(state, r.gender)
            active_records.append(r)
        if r.exited_on and start <= r.exited_on <= end:
            add("exited", r.gender)
            exited_records.append(r)
    return expected, active_records, exited_records


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(participant, max_size=40), number=st.integers(1, 3), year=st.integers(2018, 2019))
def test_aggregation_matches_python_and_every_total_is_the_sum_of_its_parts(world, rows, number, year):
    lists = _lists_for(world.federation.pk, list(INDIVIDUAL_SPLITS))
    records, activities, cats = _build(world, rows, lists)
    counts = register_report_counts(project=world.project, year=year, period_number=number)
    expected, active_records, exited_records = _python_counts(records, activities, year, number)
    for base in ("carried_over", "enrolled", "exited"):
        for gender in GENDERS:
            assert counts.values[(base, gender)] == expected.get((base, gender), 0), (base, gender)
    # Each split: either every participant of its basis is counted in it (with "Saknas/okänd" for the missing),
    # or it is left out whole.
    for key, field in SPLIT_FIELDS.items():
        population = exited_records if lists[key].basis == CategoryList.Basis.EXITED else active_records
        unknown = next((c for c in cats[key] if c.label.startswith("Saknas")), None)
        reported = any((category_key(c.pk), g) in counts.values for c in cats[key] for g in GENDERS)
        python = {}
        complete = True
        for r in population:
            value = getattr(r, field)
            if value is None:
                if unknown is None:
                    complete = False
                    continue
                value = unknown.pk
            python[(category_key(value), r.gender)] = python.get((category_key(value), r.gender), 0) + 1
        assert reported == (complete and bool(population)) or not population
        if reported:
            for c in cats[key]:
                for g in GENDERS:
                    assert counts.values[(category_key(c.pk), g)] == python.get((category_key(c.pk), g), 0)
    for c in cats[K.ACTIVITY]:
        for g in GENDERS:
            python = sum(1 for r in active_records if r.gender == g and c.pk in activities[r.pk])
            assert counts.values.get((category_key(c.pk), g), 0) == python
    # The report built from these values: every split that is reported adds up, so nothing is flagged.
    spec = []
    age_refs = {}
    for key in INDIVIDUAL_SPLITS:
        refs = [CategoryRef(c.pk, c.label, c.age_from, c.age_to) for c in cats[key]]
        if key == K.AGE_GROUP:
            age_refs = {ref.id: ref for ref in refs}
        spec.append((key, key, lists[key].basis, refs))
    grid = build_grid(structural=False, lists=spec, values=counts.values)
    assert validate(grid, age_refs=age_refs) == []
    for section in grid.sections:
        assert section.total == sum(row.total for row in section.rows)
        for gender in GENDERS:
            assert section.totals[gender] == sum(row.cells[gender] for row in section.rows)
    assert grid.active.total == sum(grid.active.cells.values())
    assert grid.remaining.cells == {g: grid.active.cells[g] - grid.base("exited")[g] for g in GENDERS}
