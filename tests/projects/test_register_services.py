"""The participant register's services: pseudonyms, anonymous participants, exit, aggregation, the crossing to
the förbund, and gallring."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects import crossing_services, register_gallring_services, register_services, report_selectors
from projects.models import (
    ParticipantReport,
    RegisterDisposal,
    RegisterParticipant,
    RegisterViewLog,
)
from projects.register_selectors import register_report_counts

from .register_factories import K, enrol, exit_, make_register_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_register_world()


def test_a_participant_is_a_pseudonym_and_a_personnummer_is_refused(world):
    participant = enrol(world)
    assert participant.code.startswith("D-") and len(participant.code) == 8
    assert participant.enrolment_year == 2019
    names = {f.name for f in RegisterParticipant._meta.get_fields()}
    assert not names & {"name", "first_name", "last_name", "personnummer", "personal_number"}
    for code in ("19950101-1234", "9501011234", "X950101-1234"):
        with pytest.raises(ValidationError) as caught:
            enrol(world, code=code)
        assert "personnummer" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        enrol(world, code=participant.code)
    assert "finns redan" in str(caught.value)


def test_without_consent_only_gender_and_start_year_are_kept(world):
    anonymous = register_services.participant_enrol(
        organisation=world.kommun,
        project=world.project,
        actor=world.keeper,
        gender="man",
        consent=False,
        enrolment_year=2019,
        birth_year=1990,
        referrer=world.cat(K.REFERRER, "FK"),
        enrolled_on=dt.date(2019, 3, 1),
    )
    anonymous.refresh_from_db()
    assert (anonymous.gender, anonymous.enrolment_year) == ("man", 2019)
    assert anonymous.birth_year is None and anonymous.referrer is None and anonymous.enrolled_on is None
    # The database refuses the same, whatever path writes the row.
    anonymous.birth_year = 1990
    with pytest.raises(IntegrityError), transaction.atomic():
        anonymous.save()


def test_withdrawing_consent_strips_the_record_and_its_history(world):
    participant = enrol(world, birth_year=1991)
    register_services.participant_update(
        participant=participant, actor=world.keeper, gender="woman", consent=False, enrolment_year=2019
    )
    participant.refresh_from_db()
    assert participant.birth_year is None and participant.referrer_id is None
    history = RegisterParticipant.history.filter(id=participant.pk)
    assert history.count() == 1 and not history.filter(birth_year__isnull=False).exists()


def test_exit_needs_reason_and_income_and_a_date_after_entry(world):
    participant = enrol(world)
    with pytest.raises(ValidationError) as caught:
        register_services.participant_exit(
            participant=participant,
            actor=world.keeper,
            exited_on=dt.date(2019, 1, 1),
            exit_reason=None,
            income_at_exit=None,
        )
    assert "avslutsorsak" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        exit_(world, participant, exited_on=dt.date(2019, 1, 1))
    assert "före inskrivningsdatum" in str(caught.value)
    exit_(world, participant)
    participant.refresh_from_db()
    assert participant.is_exited and participant.exit_reason.label == "Arbete"


def test_only_the_assigned_keeper_at_the_executor_writes(world):
    from core.models import Role
    from tests.factories import user_with_role

    stranger = user_with_role(world.kommun, Role.PARTICIPANT_OFFICER)
    with pytest.raises(ValidationError):
        register_services.participant_enrol(
            organisation=world.kommun,
            project=world.project,
            actor=stranger,
            gender="man",
            consent=False,
            enrolment_year=2019,
        )
    # The förbund itself can never keep a register, not even its own director.
    with pytest.raises(ValidationError):
        register_services.participant_enrol(
            organisation=world.federation,
            project=world.project,
            actor=world.director,
            gender="man",
            consent=False,
            enrolment_year=2019,
        )
    with pytest.raises(ValidationError):
        register_services.register_staff_add(
            organisation=world.federation, project=world.project, user=world.director, actor=world.director
        )


def test_counts_for_a_period(world):
    carried = enrol(world, enrolled_on=dt.date(2018, 5, 1), birth_year=1980)
    exit_(world, carried, exited_on=dt.date(2019, 3, 1))
    enrol(world, gender="man", enrolled_on=dt.date(2019, 4, 1))
    enrol(world, gender="other", consent=False, enrolment_year=2019)
    gone = enrol(world, enrolled_on=dt.date(2017, 1, 1), birth_year=1980)
    exit_(world, gone, exited_on=dt.date(2018, 12, 31))
    counts = register_report_counts(project=world.project, year=2019)
    assert counts.base("carried_over") == {"woman": 1, "man": 0, "other": 0}
    assert counts.base("enrolled") == {"woman": 0, "man": 1, "other": 1}
    assert counts.base("exited") == {"woman": 1, "man": 0, "other": 0}
    af = f"cat:{world.cat(K.REFERRER, 'Af').pk}"
    # The anonymous participant has no remittent and the list has no "Saknas/okänd": that split is unreported.
    assert (af, "woman") not in counts.values and "Remittent" in counts.omitted
    # Education has "Saknas/okänd", where the anonymous participant is counted.
    unknown = f"cat:{world.cat(K.EDUCATION, 'Saknas/okänd').pk}"
    assert counts.values[(unknown, "other")] == 1
    age_30_44 = f"cat:{world.cat(K.AGE_GROUP, '30 - 44 år').pk}"
    assert counts.values.get((age_30_44, "woman")) is None  # age split incomplete too (anonymous)
    arbete = f"cat:{world.cat(K.EXIT_REASON, 'Arbete').pk}"
    assert counts.values[(arbete, "woman")] == 1


def test_the_crossing_submits_counts_and_a_second_submission_is_a_new_version(world):
    participant = enrol(world, enrolled_on=dt.date(2019, 2, 1))
    report, counts = crossing_services.register_report_submit(
        organisation=world.kommun, project=world.project, actor=world.keeper, year=2019
    )
    assert counts.base("enrolled")["woman"] == 1
    assert report.is_locked and report.version == 1 and report.submitted_by == world.keeper
    grid, errors = report_selectors.report_grid(report=report)
    assert errors == [] and grid.active.cells == {"woman": 1, "man": 0, "other": 0}
    exit_(world, participant)
    with pytest.raises(ValidationError) as caught:
        crossing_services.register_report_submit(
            organisation=world.kommun, project=world.project, actor=world.keeper, year=2019
        )
    assert "skälet" in str(caught.value)
    second, _ = crossing_services.register_report_submit(
        organisation=world.kommun, project=world.project, actor=world.keeper, year=2019, reason="Avslut i juni"
    )
    assert second.version == 2 and second.correction_reason == "Avslut i juni"
    grid, _ = report_selectors.report_grid(report=second)
    assert grid.base("exited")["woman"] == 1
    report.refresh_from_db()
    assert report_selectors.report_grid(report=report)[0].base("exited")["woman"] == 0


def test_a_register_insats_refuses_hand_typed_reports(world):
    from projects import report_services

    with pytest.raises(ValidationError) as caught:
        report_services.report_create(project=world.project, actor=world.director, year=2019)
    assert "register" in str(caught.value)
    enrol(world)
    report, _ = crossing_services.register_report_submit(
        organisation=world.kommun, project=world.project, actor=world.keeper, year=2019
    )
    with pytest.raises(ValidationError):
        report_services.report_correct(report=report, actor=world.director, reason="Fel")


def test_gallring_removes_records_history_and_view_logs_and_leaves_reports(world):
    old = enrol(world, enrolled_on=dt.date(2019, 1, 10))
    exit_(world, old, exited_on=dt.date(2019, 6, 1))
    register_services.participant_view_log(participant=old, actor=world.keeper)
    anonymous = enrol(world, gender="man", consent=False, enrolment_year=2019)
    kept = enrol(world, enrolled_on=dt.date(2019, 2, 1))
    recent = enrol(world, enrolled_on=dt.date(2019, 2, 1))
    exit_(world, recent, exited_on=dt.date(2023, 6, 1))
    report, _ = crossing_services.register_report_submit(
        organisation=world.kommun, project=world.project, actor=world.keeper, year=2019
    )
    before = {(c.key, c.gender, c.value) for c in report.counts.all()}
    removed = register_gallring_services.register_gallring(organisation=world.kommun, today=dt.date(2024, 1, 1))
    assert [(row.project_name, row.removed, row.automatic, row.years) for row in removed] == [
        (world.project.name, 2, True, 2)
    ]
    gone = [old.pk, anonymous.pk]
    assert set(RegisterParticipant.objects.values_list("pk", flat=True)) == {kept.pk, recent.pk}
    assert not RegisterParticipant.history.filter(id__in=gone).exists()
    assert not RegisterViewLog.objects.filter(participant_id__in=gone).exists()
    from django.apps import apps

    m2m = apps.get_model("projects", "HistoricalRegisterParticipant_activities")
    assert not m2m.objects.filter(registerparticipant_id__in=gone).exists()
    report.refresh_from_db()
    assert report.is_locked and {(c.key, c.gender, c.value) for c in report.counts.all()} == before
    assert ParticipantReport.objects.count() == 1
    # The log holds no personal data: nothing but counts, dates of the run and the insats.
    row = RegisterDisposal.objects.get()
    assert old.code not in str(row.__dict__)
    # Nothing more is due: a second run logs nothing.
    assert register_gallring_services.register_gallring(organisation=world.kommun, today=dt.date(2024, 1, 1)) == []


def test_the_retention_setting_is_used(world):
    old = enrol(world, enrolled_on=dt.date(2019, 1, 10))
    exit_(world, old, exited_on=dt.date(2019, 6, 1))
    register_services.retention_save(organisation=world.kommun, actor=world.keeper, years=10, basis="IHP § 4")
    assert register_gallring_services.register_gallring(organisation=world.kommun, today=dt.date(2024, 1, 1)) == []
    assert register_gallring_services.register_gallring_all(today=dt.date(2030, 1, 1)) == 1


def test_the_nightly_task_is_scheduled():
    from django.conf import settings

    from projects.tasks import register_gallring_task

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert register_gallring_task.name in names
