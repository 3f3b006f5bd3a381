"""The seat rule (issue 6, point 10; docs/decisions/0006): a ledamot or ersättare reads sekretess only of the
committees where they hold a seat today or held one on the meeting's date; staff and revisor read all of their
organisation's, ekonom and the public none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.models import Role
from meetings import confidentiality
from meetings.confidentiality import INTERNAL, PUBLIC, Viewer, is_confidential, legal_basis, viewer_for_user
from meetings.models import Case, Communication, DelegatedDecision, Membership, Paragraph
from tests.factories import CommitteeFactory, OrganisationFactory, PersonFactory, user_with_role

from .confidential_world import MARKER, build_world

pytestmark = pytest.mark.django_db

MEETING_DAY = dt.date(2022, 6, 16)


@pytest.fixture
def committee(organisation):
    return CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN", kind="committee")


@pytest.fixture
def other_committee(organisation):
    return CommitteeFactory(organisation=organisation, name="Kommunstyrelsen", short_name="KS", kind="board")


def ledamot(organisation, *seats, role=Role.MEMBER):
    """A user with the ledamot role and the given seats: (committee, seat role, starts_on, ends_on)."""
    user = user_with_role(organisation, role)
    person = PersonFactory(organisation=organisation, user=user)
    for committee, seat_role, starts_on, ends_on in seats:
        Membership.objects.create(
            committee=committee, person=person, role=seat_role, starts_on=starts_on, ends_on=ends_on
        )
    return user


def viewer(user, organisation) -> Viewer:
    return viewer_for_user(user, organisation)


MEMBER, SUBSTITUTE = Membership.Role.MEMBER, Membership.Role.SUBSTITUTE


def test_a_seat_today_reads_every_meeting_of_the_committee(organisation, committee, other_committee):
    user = ledamot(organisation, (committee, MEMBER, dt.date(2023, 1, 1), None))
    reader = viewer(user, organisation)
    # Today's seat counts for older meetings too: the nämnd is the same myndighet.
    assert reader.may_read(committee.pk, MEETING_DAY)
    assert reader.may_read(committee.pk, None)
    assert not reader.may_read(other_committee.pk, MEETING_DAY)
    assert not reader.may_read(None, MEETING_DAY)


def test_a_seat_held_on_the_meeting_day_but_not_now(organisation, committee):
    user = ledamot(organisation, (committee, MEMBER, dt.date(2019, 1, 1), dt.date(2022, 12, 31)))
    reader = viewer(user, organisation)
    assert reader.may_read(committee.pk, MEETING_DAY)
    assert not reader.may_read(committee.pk, dt.date(2023, 3, 1))  # a meeting after they left
    assert not reader.may_read(committee.pk, dt.date(2018, 12, 1))  # a meeting before they came
    assert not reader.may_read(committee.pk, None)  # a living ärende: only a seat today counts


def test_a_seat_in_another_committee_reads_nothing_here(organisation, committee, other_committee):
    user = ledamot(organisation, (other_committee, MEMBER, dt.date(2019, 1, 1), None))
    reader = viewer(user, organisation)
    assert not reader.may_read(committee.pk, MEETING_DAY)
    assert reader.may_read(other_committee.pk, MEETING_DAY)


def test_an_ersättare_reads_like_a_ledamot(organisation, committee):
    user = ledamot(organisation, (committee, SUBSTITUTE, dt.date(2019, 1, 1), None))
    assert viewer(user, organisation).may_read(committee.pk, MEETING_DAY)


def test_no_seat_reads_nothing(organisation, committee):
    user = ledamot(organisation)
    reader = viewer(user, organisation)
    assert reader.reads_nothing
    assert not reader.may_read(committee.pk, MEETING_DAY)


def test_an_utskott_belongs_to_its_nämnd(organisation, committee, other_committee):
    utskott = CommitteeFactory(organisation=organisation, short_name="SNAU", kind="subcommittee", parent=committee)
    in_utskott = viewer(ledamot(organisation, (utskott, MEMBER, dt.date(2019, 1, 1), None)), organisation)
    in_nämnd = viewer(ledamot(organisation, (committee, MEMBER, dt.date(2019, 1, 1), None)), organisation)
    for reader in (in_utskott, in_nämnd):
        assert reader.may_read(committee.pk, MEETING_DAY) and reader.may_read(utskott.pk, MEETING_DAY)
        assert not reader.may_read(other_committee.pk, MEETING_DAY)


def test_a_seat_in_another_organisation_counts_nowhere_here(organisation, committee):
    elsewhere = OrganisationFactory()
    user = ledamot(organisation)
    PersonFactory(organisation=elsewhere, user=user)
    Membership.objects.create(
        committee=CommitteeFactory(organisation=elsewhere),
        person=user.persons.get(organisation=elsewhere),
        role=MEMBER,
        starts_on=dt.date(2019, 1, 1),
    )
    assert viewer(user, organisation).reads_nothing


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECRETARY, Role.DIRECTOR, Role.AUDITOR])
def test_staff_and_revisor_read_the_whole_organisation(organisation, committee, role):
    reader = viewer(user_with_role(organisation, role), organisation)
    assert reader.organisation_wide
    assert reader.may_read(committee.pk, MEETING_DAY) and reader.may_read(None, None)


def test_ekonom_reads_nothing_even_with_a_seat(organisation, committee):
    user = ledamot(organisation, (committee, MEMBER, dt.date(2019, 1, 1), None), role=Role.ECONOMIST)
    assert viewer(user, organisation).reads_nothing


def test_staff_role_beside_ledamot_wins(organisation, committee):
    user = ledamot(organisation)
    from tests.factories import RoleAssignmentFactory

    RoleAssignmentFactory(user=user, organisation=organisation, role=Role.SECRETARY)
    assert viewer(user, organisation).organisation_wide


def test_the_public_and_the_document_viewers(committee):
    assert PUBLIC.reads_nothing and not PUBLIC.may_read(committee.pk, MEETING_DAY)
    assert INTERNAL.may_read(committee.pk, MEETING_DAY)
    assert viewer_for_user(None, None) is PUBLIC


def test_no_extra_queries_for_staff(organisation, django_assert_num_queries, rf):
    request = rf.get("/")
    request.user = user_with_role(organisation, Role.SECRETARY)
    request.organisation = organisation
    request.roles = frozenset({Role.SECRETARY})
    with django_assert_num_queries(0):
        assert confidentiality.viewer_for(request).organisation_wide
        assert confidentiality.viewer_for(request) is confidentiality.viewer_for(request)


# -- What is confidential ---------------------------------------------------------------------------------------


def test_confidential_through_what_it_belongs_to(organisation):
    world = build_world(organisation)
    for obj in (
        world.case,
        world.item,
        world.new_item,
        world.paragraph,
        world.item_attachment,
        world.case_attachment,
        world.delegated,
        world.communication,
        world.correction,
        world.case.officer_report,
    ):
        assert is_confidential(obj), obj
        assert legal_basis(obj) == "OSL 26 kap. 1 §", obj
    assert not is_confidential(world.public_paragraph)
    assert legal_basis(world.public_paragraph) == ""
    # The same rule as a query.
    assert not Paragraph.objects.filter(PUBLIC.readable_paragraphs(), pk=world.paragraph.pk).exists()
    assert not DelegatedDecision.objects.filter(PUBLIC.readable_register_rows(), pk=world.delegated.pk).exists()
    assert not Communication.objects.filter(PUBLIC.readable_register_rows(), pk=world.communication.pk).exists()
    assert not Case.objects.filter(PUBLIC.readable_cases(), pk=world.case.pk).exists()


def test_the_query_conditions_follow_the_seats(organisation):
    world = build_world(organisation)
    now = viewer(world.users["member"], organisation)
    then = viewer(world.users["member_then"], organisation)
    other = viewer(world.users["member_of_other_committee"], organisation)
    assert Paragraph.objects.filter(now.readable_paragraphs(), pk=world.paragraph.pk).exists()
    assert Paragraph.objects.filter(then.readable_paragraphs(), pk=world.paragraph.pk).exists()
    assert not Paragraph.objects.filter(other.readable_paragraphs(), pk=world.paragraph.pk).exists()
    assert Case.objects.filter(now.readable_cases(), pk=world.case.pk).exists()
    assert not Case.objects.filter(then.readable_cases(), pk=world.case.pk).exists()
    # Reported to the upcoming meeting, after the former member's seat ended.
    assert DelegatedDecision.objects.filter(now.readable_register_rows(), pk=world.delegated.pk).exists()
    assert not DelegatedDecision.objects.filter(then.readable_register_rows(), pk=world.delegated.pk).exists()


# -- Through the pages ------------------------------------------------------------------------------------------


def _page(client, name, **kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(
    ("who", "reads"),
    [
        ("member", True),
        ("substitute", True),
        ("member_of_subcommittee", True),
        ("member_then", True),
        ("member_of_other_committee", False),
        ("member_without_seat", False),
        ("former_member", False),
        ("economist", False),
        ("auditor", True),
        ("director", True),
    ],
)
def test_the_protokoll_page_follows_the_seat_rule(organisation, who, reads):
    world = build_world(organisation)
    client = world.client(who)
    status, html = _page(client, "minutes:minutes_detail", pk=world.minutes.pk)
    assert status == 200
    assert (f"{MARKER} paragraf" in html) is reads
    assert (f"{MARKER} rättelse" in html) is reads
    assert ("Paragrafen omfattas av sekretess (OSL 26 kap. 1 §)" in html) is not reads
    archived = client.get(reverse("minutes:archived_pdf", kwargs={"pk": world.minutes.pk}))
    assert archived.status_code == (200 if reads else 403)
    internal = client.post(reverse("reporting:job_request"), {"kind": "meetings.minutes", "minutes": world.minutes.pk})
    assert internal.status_code == (302 if reads else 403)


def test_the_case_page_needs_a_seat_today(organisation):
    world = build_world(organisation)
    for who, status in [("member", 200), ("substitute", 200), ("member_then", 403), ("member_without_seat", 403)]:
        assert _page(world.client(who), "cases:case_detail", pk=world.case.pk)[0] == status, who


def test_seat_checks_add_no_query_per_row(organisation, django_assert_max_num_queries):
    """A ledamot's pages ask the rule for every row from what is already loaded: constant query counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = build_world(organisation)
    client = world.client("member_then")
    pages = [
        reverse("agenda:meeting_detail", kwargs={"pk": world.meeting.pk}),
        reverse("minutes:minutes_detail", kwargs={"pk": world.minutes.pk}),
        reverse("noticeboard:minutes_finality", kwargs={"pk": world.minutes.pk}),
        reverse("registers:delegated_list"),
    ]
    before = {}
    for url in pages:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        before[url] = len(captured.captured_queries)
    for number in range(3, 6):
        item = world.meeting.agenda_items.create(position=number, case=world.case, title=f"{MARKER} {number}")
        paragraph = Paragraph.objects.create(
            minutes=world.minutes,
            committee=world.committee,
            year=world.meeting.date.year,
            number=number,
            agenda_item=item,
            case=world.case,
            title=f"{MARKER} {number}",
        )
        paragraph.corrections.create(minutes=world.minutes, reason="Skäl", text="Text")
        DelegatedDecision.objects.create(
            organisation=organisation,
            committee=world.committee,
            decided_on=world.today,
            delegate="Delegat",
            delegation_point="1",
            decision="Beslut",
            case=world.case,
            reported_in=world.new_item,
        )
    for url in pages:
        with django_assert_max_num_queries(before[url]):
            assert client.get(url).status_code == 200
