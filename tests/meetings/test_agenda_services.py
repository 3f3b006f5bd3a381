"""Sammanträden and the föredragningslista: template copy, where new items go, reordering, locks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Role
from meetings import agenda_services as services
from meetings.case_services import case_register, officer_report_update
from meetings.models import AgendaItem, AgendaItemKind, AgendaTemplateItem, Meeting, Minutes
from tests.factories import CommitteeFactory, user_with_role
from tests.meetings.factories import AgendaItemFactory, CaseNumberSeriesFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(organisation):
    return user_with_role(organisation, Role.SECRETARY)


@pytest.fixture
def committee(organisation):
    return CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")


def make_case(organisation, actor, committee, *, title="Riktlinje biståndshandläggning", clauses=(), **kwargs):
    series = CaseNumberSeriesFactory(committee=committee, organisation=organisation)
    case = case_register(
        organisation=organisation,
        actor=actor,
        series=series,
        title=title,
        registered_on=dt.date(2022, 5, 2),
        **kwargs,
    )
    if clauses:
        officer_report_update(report=case.officer_report, actor=actor, data={"proposed_clauses": list(clauses)})
    return case


def titles(meeting) -> list[str]:
    return list(meeting.agenda_items.order_by("position").values_list("title", flat=True))


def positions(meeting) -> list[int]:
    return list(meeting.agenda_items.order_by("position").values_list("position", flat=True))


def agenda(meeting, *kinds_and_titles):
    for position, (kind, title) in enumerate(kinds_and_titles, start=1):
        AgendaItemFactory(meeting=meeting, position=position, kind=kind, title=title)


class TestMeetingCreate:
    def test_copies_active_template_rows_in_order(self, organisation, actor, committee):
        committee.meetings_public = True
        committee.save()
        AgendaTemplateItem.objects.create(committee=committee, position=3, title="Övriga frågor", kind="other")
        AgendaTemplateItem.objects.create(
            committee=committee, position=1, title="Val av justerare", proposed_clauses=["att utse Ulla Ek"]
        )
        AgendaTemplateItem.objects.create(committee=committee, position=2, title="Gammal punkt", is_active=False)
        AgendaTemplateItem.objects.create(
            committee=committee, position=2, title="Information", kind="information", description="Från förvaltningen"
        )
        meeting = services.meeting_create(
            organisation=organisation,
            actor=actor,
            committee=committee,
            date=dt.date(2022, 6, 16),
            start_time=dt.time(9),
            place="Näset",
        )
        items = list(meeting.agenda_items.order_by("position"))
        assert [(i.position, i.title, i.kind) for i in items] == [
            (1, "Val av justerare", "standard"),
            (2, "Information", "information"),
            (3, "Övriga frågor", "other"),
        ]
        assert items[0].proposed_clauses == ["att utse Ulla Ek"]
        assert items[1].description == "Från förvaltningen"
        assert meeting.is_public is True  # from the committee
        assert meeting.history.first().history_user == actor
        assert items[0].history.first().history_user == actor

    def test_explicit_closed_overrides_committee(self, organisation, actor, committee):
        committee.meetings_public = True
        committee.save()
        meeting = services.meeting_create(
            organisation=organisation,
            actor=actor,
            committee=committee,
            date=dt.date(2022, 6, 16),
            start_time=dt.time(9),
            place="Näset",
            is_public=False,
        )
        assert meeting.is_public is False

    def test_end_before_start_and_other_organisation_refused(self, organisation, other_organisation, actor, committee):
        with pytest.raises(ValidationError) as caught:
            services.meeting_create(
                organisation=organisation,
                actor=actor,
                committee=committee,
                date=dt.date(2022, 6, 16),
                start_time=dt.time(9),
                end_time=dt.time(8),
                place="Näset",
            )
        assert caught.value.message_dict["end_time"] == ["Sluttiden måste vara senare än starttiden."]
        with pytest.raises(ValidationError):
            services.meeting_create(
                organisation=organisation,
                actor=actor,
                committee=CommitteeFactory(organisation=other_organisation),
                date=dt.date(2022, 6, 16),
                start_time=dt.time(9),
                place="Näset",
            )
        assert Meeting.objects.count() == 0


class TestAddPlacement:
    @pytest.fixture
    def meeting(self, committee):
        meeting = MeetingFactory(committee=committee)
        agenda(
            meeting,
            ("standard", "Mötets öppnande"),
            ("standard", "Val av justerare"),
            ("case", "Budget"),
            ("information", "Information från förvaltningen"),
            ("delegated_decisions", "Delegationsbeslut"),
            ("communications", "Meddelanden"),
            ("other", "Övriga frågor"),
        )
        return meeting

    @pytest.mark.parametrize(
        ("kind", "after"),
        [
            (AgendaItemKind.CASE, "Budget"),
            (AgendaItemKind.EXTRA, "Budget"),
            (AgendaItemKind.INFORMATION, "Information från förvaltningen"),
            (AgendaItemKind.OTHER, "Övriga frågor"),
            (AgendaItemKind.STANDARD, "Val av justerare"),
        ],
    )
    def test_new_item_goes_after_last_of_same_or_lower_rank(self, organisation, committee, meeting, actor, kind, after):
        case = make_case(organisation, actor, committee) if kind == AgendaItemKind.CASE else None
        item = services.agenda_item_add(meeting=meeting, actor=actor, kind=kind, title="Ny punkt", case=case)
        order = titles(meeting)
        assert order[order.index(after) + 1] == "Ny punkt"
        assert item.position == order.index("Ny punkt") + 1
        assert positions(meeting) == list(range(1, 9))

    def test_into_empty_agenda(self, committee, actor):
        meeting = MeetingFactory(committee=committee)
        item = services.agenda_item_add(meeting=meeting, actor=actor, kind="other", title="Övriga frågor")
        assert item.position == 1

    def test_case_brings_title_number_clauses_and_secrecy(self, organisation, actor, committee, meeting):
        case = make_case(
            organisation,
            actor,
            committee,
            clauses=["att anta riktlinjen", "att den gäller från 1 juli"],
            confidential=True,
            legal_basis="OSL 26 kap. 1 §",
        )
        item = services.agenda_item_add(meeting=meeting, actor=actor, kind="case", case=case)
        assert item.title == "Riktlinje biståndshandläggning"
        assert item.case_number == case.case_number
        assert item.proposed_clauses == ["att anta riktlinjen", "att den gäller från 1 juli"]
        assert item.confidential and item.legal_basis == "OSL 26 kap. 1 §"
        assert titles(meeting)[3] == "Riktlinje biståndshandläggning"

    def test_case_kind_needs_a_case(self, meeting, actor):
        with pytest.raises(ValidationError) as caught:
            services.agenda_item_add(meeting=meeting, actor=actor, kind="case", title="Utan ärende")
        assert caught.value.message_dict["case"] == ["Välj vilket ärende punkten gäller."]

    def test_closed_case_and_other_organisations_case_refused(
        self, organisation, other_organisation, actor, committee, meeting
    ):
        closed = make_case(organisation, actor, committee)
        closed.status = "decided"
        closed.save()
        with pytest.raises(ValidationError):
            services.agenda_item_add(meeting=meeting, actor=actor, kind="case", case=closed)
        other_committee = CommitteeFactory(organisation=other_organisation)
        foreign = make_case(other_organisation, user_with_role(other_organisation, Role.SECRETARY), other_committee)
        with pytest.raises(ValidationError):
            services.agenda_item_add(meeting=meeting, actor=actor, kind="case", case=foreign)
        assert meeting.agenda_items.count() == 7

    @pytest.mark.parametrize(
        ("kwargs", "field", "message"),
        [
            ({"title": "  "}, "title", "Skriv en rubrik för punkten."),
            ({"title": "X", "proposed_clauses": ["att godkänna", "godkänna"]}, "proposed_clauses", "Rad 2"),
            ({"title": "X", "confidential": True}, "legal_basis", "Ange sekretessgrund"),
        ],
    )
    def test_bad_input_messages(self, meeting, actor, kwargs, field, message):
        with pytest.raises(ValidationError) as caught:
            services.agenda_item_add(meeting=meeting, actor=actor, kind="information", **kwargs)
        assert message in caught.value.message_dict[field][0]
        assert meeting.agenda_items.count() == 7


class TestReorder:
    @pytest.fixture
    def meeting(self, committee):
        meeting = MeetingFactory(committee=committee)
        agenda(meeting, ("standard", "A"), ("case", "B"), ("case", "C"), ("other", "D"))
        return meeting

    def ids(self, meeting):
        return {item.title: item.pk for item in meeting.agenda_items.all()}

    def test_renumbers_1_to_n(self, meeting, actor):
        ids = self.ids(meeting)
        services.agenda_reorder(meeting=meeting, actor=actor, item_ids=[ids["C"], ids["A"], ids["D"], ids["B"]])
        assert titles(meeting) == ["C", "A", "D", "B"]
        assert positions(meeting) == [1, 2, 3, 4]
        moved = AgendaItem.objects.get(pk=ids["C"])
        assert moved.history.first().history_user == actor

    @pytest.mark.parametrize("change", ["missing", "duplicate", "foreign", "garbage"])
    def test_ids_must_be_exactly_the_meetings_items(self, meeting, actor, committee, change):
        ids = list(self.ids(meeting).values())
        if change == "missing":
            ids = ids[:-1]
        elif change == "duplicate":
            ids = [*ids[:-1], ids[0]]
        elif change == "foreign":
            ids = [*ids[:-1], AgendaItemFactory(meeting=MeetingFactory(committee=committee), position=1).pk]
        else:
            ids = [*ids[:-1], "x"]
        with pytest.raises(ValidationError):
            services.agenda_reorder(meeting=meeting, actor=actor, item_ids=ids)
        assert titles(meeting) == ["A", "B", "C", "D"]

    def test_move_up_and_down_and_at_the_ends(self, meeting, actor):
        ids = self.ids(meeting)
        c = AgendaItem.objects.get(pk=ids["C"])
        assert services.agenda_item_move(item=c, actor=actor, direction="up") == 2
        assert titles(meeting) == ["A", "C", "B", "D"]
        d = AgendaItem.objects.get(pk=ids["D"])
        assert services.agenda_item_move(item=d, actor=actor, direction="down") == 4
        a = AgendaItem.objects.get(pk=ids["A"])
        assert services.agenda_item_move(item=a, actor=actor, direction="up") == 1
        assert titles(meeting) == ["A", "C", "B", "D"]

    def test_remove_renumbers(self, meeting, actor):
        ids = self.ids(meeting)
        services.agenda_item_remove(item=AgendaItem.objects.get(pk=ids["B"]), actor=actor)
        assert titles(meeting) == ["A", "C", "D"]
        assert positions(meeting) == [1, 2, 3]

    def test_locked_minutes_refuse_every_agenda_change(self, meeting, actor):
        Minutes.objects.create(meeting=meeting, status="verified", verified_at=timezone.now())
        item = meeting.agenda_items.first()
        calls = [
            lambda: services.agenda_item_add(meeting=meeting, actor=actor, kind="other", title="Sent"),
            lambda: services.agenda_item_update(item=item, actor=actor, data={"title": "Nytt"}),
            lambda: services.agenda_item_move(item=item, actor=actor, direction="down"),
            lambda: services.agenda_item_remove(item=item, actor=actor),
            lambda: services.agenda_reorder(
                meeting=meeting, actor=actor, item_ids=list(reversed(list(self.ids(meeting).values())))
            ),
            lambda: services.meeting_update(meeting=meeting, actor=actor, data={"place": "Annat"}),
        ]
        for call in calls:
            with pytest.raises(ValidationError) as caught:
                call()
            assert caught.value.messages == [services.AGENDA_LOCKED_MESSAGE]
        assert titles(meeting) == ["A", "B", "C", "D"]


class TestUpdate:
    def test_update_cleans_clauses_and_drops_basis_when_open(self, committee, actor):
        item = AgendaItemFactory(
            meeting=MeetingFactory(committee=committee), position=1, confidential=True, legal_basis="OSL 26 kap. 1 §"
        )
        item = services.agenda_item_update(
            item=item,
            actor=actor,
            data={"title": " Budget  2023 ", "proposed_clauses": ["att  anta budgeten", ""], "confidential": False},
        )
        assert item.title == "Budget 2023"
        assert item.proposed_clauses == ["att anta budgeten"]
        assert item.legal_basis == ""

    def test_confidential_without_basis_refused(self, committee, actor):
        item = AgendaItemFactory(meeting=MeetingFactory(committee=committee), position=1, title="Öppen")
        with pytest.raises(ValidationError) as caught:
            services.agenda_item_update(item=item, actor=actor, data={"confidential": True, "legal_basis": " "})
        assert "Ange sekretessgrund" in caught.value.message_dict["legal_basis"][0]
        item.refresh_from_db()
        assert item.confidential is False
