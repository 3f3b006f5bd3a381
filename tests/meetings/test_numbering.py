"""Diarienummer and § numbers: sequential, unique, gapless, never reused – also with two secretaries at once."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.models import Role
from meetings import case_services, minutes_services
from meetings.models import Case, CaseNumberSeries, Paragraph, validate_case_pattern
from tests.factories import CommitteeFactory, user_with_role

from .factories import CaseNumberSeriesFactory, MeetingFactory, MinutesFactory


@pytest.fixture
def secretary(organisation):
    return user_with_role(organisation, Role.SECRETARY)


def register(series, actor, on, title="Ärende"):
    return case_services.case_register(
        organisation=series.organisation, actor=actor, series=series, title=title, registered_on=on
    )


@pytest.mark.django_db
def test_case_numbers_follow_the_series_pattern_and_restart_each_year(organisation, secretary):
    committee = CommitteeFactory(organisation=organisation, short_name="SN")
    series = CaseNumberSeriesFactory(committee=committee, pattern="{committee} {year}/{seq}")
    numbers = [register(series, secretary, dt.date(2022, 6, 1)).case_number for _ in range(3)]
    assert numbers == ["SN 2022/1", "SN 2022/2", "SN 2022/3"]
    assert register(series, secretary, dt.date(2023, 1, 2)).case_number == "SN 2023/1"
    assert register(series, secretary, dt.date(2022, 12, 31)).case_number == "SN 2022/4"

    padded = CaseNumberSeriesFactory(committee=CommitteeFactory(organisation=organisation, short_name="ks"))
    padded.pattern = "{committee} {seq4}/{year}"
    padded.save()
    assert register(padded, secretary, dt.date(2018, 3, 1)).case_number == "ks 0001/2018"


@pytest.mark.django_db
def test_registering_audits_the_actor_and_creates_the_officer_report(organisation, secretary):
    series = CaseNumberSeriesFactory(committee=CommitteeFactory(organisation=organisation))
    case = register(series, secretary, dt.date(2022, 6, 1), title="Extra månadsuppföljning maj")
    assert case.officer_report.proposed_clauses == []
    assert case.history.get().history_user == secretary


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{committee} {year}", "löpnumret"),
        ("{committee}/{seq}", "årtalet"),
        ("{nämnd} {year}/{seq}", "okända fält: {nämnd}"),
    ],
)
def test_bad_series_pattern_is_refused_in_swedish(pattern, message):
    with pytest.raises(ValidationError) as info:
        validate_case_pattern(pattern)
    assert message in " ".join(info.value.messages)


@pytest.mark.django_db
def test_a_failed_registration_leaves_no_gap(organisation, secretary):
    series = CaseNumberSeriesFactory(committee=CommitteeFactory(organisation=organisation))
    register(series, secretary, dt.date(2022, 1, 10))
    with pytest.raises(ValidationError):
        # Confidential without a legal basis: refused before the number is taken.
        case_services.case_register(
            organisation=organisation, actor=secretary, series=series, title="X", confidential=True
        )
    with pytest.raises(RuntimeError), transaction.atomic():
        register(series, secretary, dt.date(2022, 1, 11))
        raise RuntimeError("något gick fel efter numret")
    assert register(series, secretary, dt.date(2022, 1, 12)).sequence == 2


@pytest.mark.django_db
def test_series_of_another_organisation_is_refused(organisation, other_organisation, secretary):
    foreign = CaseNumberSeriesFactory(committee=CommitteeFactory(organisation=other_organisation))
    with pytest.raises(ValidationError):
        case_services.case_register(organisation=organisation, actor=secretary, series=foreign, title="X")
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_database_refuses_a_duplicate_paragraph_number(organisation):
    minutes = MinutesFactory(meeting__committee__organisation=organisation)
    meeting = minutes.meeting
    Paragraph.objects.create(minutes=minutes, committee=meeting.committee, year=2019, number=69, title="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.create(minutes=minutes, committee=meeting.committee, year=2019, number=69, title="B")


@pytest.mark.django_db
def test_paragraphs_run_on_across_meetings_and_restart_with_the_year(organisation, secretary):
    committee = CommitteeFactory(organisation=organisation)

    def minutes_on(day):
        return minutes_services.minutes_start(meeting=MeetingFactory(committee=committee, date=day), actor=secretary)

    october, november = minutes_on(dt.date(2019, 10, 1)), minutes_on(dt.date(2019, 11, 28))
    first = [minutes_services.paragraph_add(minutes=october, actor=secretary, title=f"P{i}").number for i in range(3)]
    second = [minutes_services.paragraph_add(minutes=november, actor=secretary, title=f"Q{i}").number for i in range(2)]
    assert first + second == [1, 2, 3, 4, 5]
    january = minutes_on(dt.date(2020, 1, 15))
    assert minutes_services.paragraph_add(minutes=january, actor=secretary, title="Ny").number == 1
    other = minutes_services.minutes_start(
        meeting=MeetingFactory(committee=CommitteeFactory(organisation=organisation), date=dt.date(2019, 11, 28)),
        actor=secretary,
    )
    assert minutes_services.paragraph_add(minutes=other, actor=secretary, title="Annat organ").number == 1


@pytest.mark.django_db
def test_paragraph_brings_the_agenda_items_proposal(organisation, secretary):
    minutes = MinutesFactory(meeting__committee__organisation=organisation)
    item = minutes.meeting.agenda_items.create(
        position=1, title="Avtal med Sobona", proposed_clauses=["att godkänna medlemskapet i Sobona"]
    )
    paragraph = minutes_services.paragraph_add(minutes=minutes, actor=secretary, title="", agenda_item=item)
    assert paragraph.title == "Avtal med Sobona"
    assert paragraph.decision_clauses == ["att godkänna medlemskapet i Sobona"]


@pytest.mark.django_db
def test_only_the_last_paragraph_can_be_removed(organisation, secretary):
    minutes = MinutesFactory(meeting__committee__organisation=organisation)
    first, second = (minutes_services.paragraph_add(minutes=minutes, actor=secretary, title=t) for t in "AB")
    with pytest.raises(ValidationError) as info:
        minutes_services.paragraph_remove(paragraph=first, actor=secretary)
    assert "luckor" in info.value.messages[0]
    minutes_services.paragraph_remove(paragraph=second, actor=secretary)
    # The released last number is taken again: it was never part of a justerat protokoll.
    assert minutes_services.paragraph_add(minutes=minutes, actor=secretary, title="C").number == 2


@pytest.mark.django_db
def test_locked_minutes_get_no_new_paragraph(organisation, secretary):
    minutes = MinutesFactory(
        meeting__committee__organisation=organisation, status="verified", verified_at=timezone.now()
    )
    with pytest.raises(ValidationError) as info:
        minutes_services.paragraph_add(minutes=minutes, actor=secretary, title="Sent tillägg")
    assert "justerat" in info.value.messages[0]
    assert not Paragraph.objects.exists()


def _in_threads(count, work):
    """Run `work(i)` in `count` threads released at the same moment; return results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results.append(work(i))
        except Exception as exc:  # collected and asserted on by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_secretaries_get_unique_gapless_paragraph_numbers(organisation):
    secretary = user_with_role(organisation, Role.SECRETARY)
    committee = CommitteeFactory(organisation=organisation)
    meetings = [MeetingFactory(committee=committee, date=dt.date(2019, 11, 28)) for _ in range(2)]
    minutes = [minutes_services.minutes_start(meeting=m, actor=secretary) for m in meetings]

    numbers, errors = _in_threads(
        8, lambda i: minutes_services.paragraph_add(minutes=minutes[i % 2], actor=secretary, title=f"P{i}").number
    )
    assert errors == []
    assert sorted(numbers) == list(range(1, 9))
    stored = sorted(Paragraph.objects.filter(committee=committee).values_list("number", flat=True))
    assert stored == list(range(1, 9))


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_unique_gapless_case_numbers(organisation):
    secretary = user_with_role(organisation, Role.SECRETARY)
    series = CaseNumberSeriesFactory(committee=CommitteeFactory(organisation=organisation, short_name="KS"))
    numbers, errors = _in_threads(6, lambda i: register(series, secretary, dt.date(2020, 5, 4)).case_number)
    assert errors == []
    assert sorted(numbers, key=lambda n: int(n.rsplit("/", 1)[1])) == [f"KS 2020/{n}" for n in range(1, 7)]
    assert CaseNumberSeries.objects.get().counters.get(year=2020).last_value == 6
