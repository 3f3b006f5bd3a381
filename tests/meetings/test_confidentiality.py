"""One rule for what may go public: a § or agenda item is confidential when it, its agenda item or its ärende is."""

import pytest

from core.models import Role
from meetings import minutes_services
from meetings.minutes_documents import MinutesDocument, PublicMinutesDocument
from meetings.models import PUBLIC_PARAGRAPH, AgendaItem, Case, Paragraph
from reporting.rendering import build_html
from tests.factories import user_with_role

from .factories import CaseNumberSeriesFactory, MinutesFactory

SECRET = "Placering av barn i familjehem"


@pytest.fixture
def paragraph(organisation):
    minutes = MinutesFactory(meeting__committee__organisation=organisation)
    item = minutes.meeting.agenda_items.create(position=1, title=SECRET, proposed_clauses=["att bevilja placeringen"])
    secretary = user_with_role(organisation, Role.SECRETARY)
    return minutes_services.paragraph_add(minutes=minutes, actor=secretary, title="", agenda_item=item)


def public_html(paragraph):
    document = PublicMinutesDocument(
        organisation=paragraph.committee.organisation, params={"minutes": paragraph.minutes_id}
    )
    return build_html(document)


@pytest.mark.django_db
def test_a_paragraph_whose_agenda_item_became_confidential_stays_out_of_public_output(paragraph):
    assert SECRET in public_html(paragraph)
    AgendaItem.objects.filter(pk=paragraph.agenda_item_id).update(confidential=True, legal_basis="OSL 26 kap. 1 §")
    paragraph.refresh_from_db()
    assert paragraph.confidential is False and paragraph.is_confidential is True
    html = public_html(paragraph)
    assert SECRET not in html and "att bevilja placeringen" not in html
    assert "§&nbsp;1" in html  # the number never breaks from its §
    assert not Paragraph.objects.filter(PUBLIC_PARAGRAPH, pk=paragraph.pk).exists()
    internal = MinutesDocument(organisation=paragraph.committee.organisation, params={"minutes": paragraph.minutes_id})
    assert SECRET in build_html(internal)


@pytest.mark.django_db
def test_a_paragraph_of_a_confidential_case_is_confidential(paragraph, organisation):
    series = CaseNumberSeriesFactory(committee=paragraph.committee)
    case = Case.objects.create(
        organisation=organisation,
        series=series,
        year=2019,
        sequence=1,
        case_number="X 2019/1",
        title="Ärende",
        registered_on=paragraph.minutes.meeting.date,
        confidential=True,
        legal_basis="OSL 26 kap. 1 §",
    )
    Paragraph.objects.filter(pk=paragraph.pk).update(case=case)
    paragraph.refresh_from_db()
    assert paragraph.is_confidential
    assert SECRET not in public_html(paragraph)
