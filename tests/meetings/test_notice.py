"""Kallelse: who is called on the meeting day, revisions, e-mails, and what changed since it was sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Role
from meetings import agenda_selectors as selectors
from meetings import agenda_services as services
from meetings.models import AgendaItem, Meeting, Membership, NoticeIssue, NoticeRecipient
from tests.factories import CommitteeFactory, MembershipFactory, PersonFactory, user_with_role
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(organisation):
    return user_with_role(organisation, Role.SECRETARY, first_name="Sara", last_name="Skrivare")


@pytest.fixture
def committee(organisation):
    return CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")


def seat(committee, first, last, role=Membership.Role.MEMBER, *, starts=dt.date(2019, 1, 1), ends=None, **kw):
    person = PersonFactory(
        organisation=committee.organisation, first_name=first, last_name=last, email=kw.pop("email", "")
    )
    return MembershipFactory(committee=committee, person=person, role=role, starts_on=starts, ends_on=ends, **kw)


@pytest.fixture
def meeting(committee):
    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 6, 16), place="Näset")
    AgendaItemFactory(meeting=meeting, position=1, kind="standard", title="Val av justerare")
    AgendaItemFactory(meeting=meeting, position=2, kind="case", title="Budget")
    return meeting


@pytest.fixture
def seats(committee):
    seat(committee, "Maja", "Ordf", Membership.Role.CHAIR, email="maja@example.se")
    seat(committee, "Elin", "Vice", Membership.Role.VICE_CHAIR, email="elin@example.se")
    # Fyllnadsval: Sven left on 2022-03-01, Stina took the seat the day after.
    seat(committee, "Sven", "Avgick", ends=dt.date(2022, 3, 1), email="sven@example.se")
    seat(committee, "Stina", "Efterträdare", starts=dt.date(2022, 3, 2), email="stina@example.se")
    seat(committee, "Ulf", "Ersättare", Membership.Role.SUBSTITUTE, substitute_order=1)  # no e-mail
    seat(committee, "Nils", "Framtida", starts=dt.date(2023, 1, 1), email="nils@example.se")


def names(notice, category):
    return sorted(r.person.first_name for r in notice.recipients.filter(category=category).select_related("person"))


def test_first_notice_calls_seats_of_the_meeting_day(
    meeting, seats, actor, organisation, django_capture_on_commit_callbacks
):
    director = PersonFactory(organisation=organisation, first_name="Greta", last_name="Chef", email="greta@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.notice_issue(meeting=meeting, actor=actor, for_information=[director])

    assert notice.revision == 1 and notice.issued_by == actor
    assert names(notice, NoticeRecipient.Category.MEMBER) == ["Elin", "Maja", "Stina"]
    assert names(notice, NoticeRecipient.Category.SUBSTITUTE) == ["Ulf"]
    assert names(notice, NoticeRecipient.Category.FOR_INFORMATION) == ["Greta"]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.NOTICE_ISSUED and meeting.notice_revision == 1

    assert sorted(m.to[0] for m in mail.outbox) == [
        "elin@example.se",
        "greta@example.se",
        "maja@example.se",
        "stina@example.se",
    ]
    message = next(m for m in mail.outbox if m.to == ["stina@example.se"])
    assert message.subject == "Kallelse: Socialnämnden 2022-06-16"
    assert f"/sammantraden/{meeting.pk}/" in message.body
    assert "Näset" in message.body
    assert "Budget" not in message.body  # the agenda itself is behind the login
    notified = notice.recipients.filter(notified_at__isnull=False).count()
    assert notified == 4  # Ulf has no e-mail address


def test_fyllnadsval_before_the_change_calls_the_old_member(committee, seats, actor):
    earlier = MeetingFactory(committee=committee, date=dt.date(2022, 2, 10))
    AgendaItemFactory(meeting=earlier, position=1)
    notice = services.notice_issue(meeting=earlier, actor=actor)
    assert names(notice, NoticeRecipient.Category.MEMBER) == ["Elin", "Maja", "Sven"]


def test_revision_needs_changes_and_numbers_on(meeting, seats, actor, django_capture_on_commit_callbacks):
    services.notice_issue(meeting=meeting, actor=actor)
    with pytest.raises(ValidationError) as caught:
        services.notice_issue(meeting=meeting, actor=actor, changes="  ")
    assert caught.value.message_dict["changes"] == ["Beskriv kort vad som har ändrats sedan förra kallelsen."]
    assert NoticeIssue.objects.filter(meeting=meeting).count() == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.notice_issue(meeting=meeting, actor=actor, changes="Punkt 3 tillagd.")
    third = services.notice_issue(meeting=meeting, actor=actor, changes="Ny lokal.")
    assert (second.revision, third.revision) == (2, 3)
    meeting.refresh_from_db()
    assert meeting.notice_revision == 3
    assert mail.outbox[0].subject.startswith("Reviderad kallelse (version 2)")
    assert "Punkt 3 tillagd." in mail.outbox[0].body


def test_empty_agenda_and_foreign_person_refused(committee, actor, other_organisation, meeting):
    empty = MeetingFactory(committee=committee)
    with pytest.raises(ValidationError, match="Dagordningen är tom"):
        services.notice_issue(meeting=empty, actor=actor)
    with pytest.raises(ValidationError):
        services.notice_issue(
            meeting=meeting, actor=actor, for_information=[PersonFactory(organisation=other_organisation)]
        )
    assert NoticeIssue.objects.count() == 0


def test_a_failing_mail_server_does_not_undo_the_notice(
    meeting, seats, actor, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.notice_issue(meeting=meeting, actor=actor)
    assert NoticeIssue.objects.filter(pk=notice.pk).exists()
    assert not notice.recipients.filter(notified_at__isnull=False).exists()


class TestChangesSinceNotice:
    def test_none_before_the_first_notice(self, meeting):
        assert selectors.agenda_changes_since_notice(meeting=meeting) is None

    def test_nothing_changed(self, meeting, actor):
        services.notice_issue(meeting=meeting, actor=actor)
        changes = selectors.agenda_changes_since_notice(meeting=meeting)
        assert changes is not None and not changes

    def test_added_removed_changed_and_meeting_fields(self, meeting, actor):
        services.notice_issue(meeting=meeting, actor=actor)
        budget = meeting.agenda_items.get(title="Budget")
        justerare = meeting.agenda_items.get(title="Val av justerare")
        services.agenda_item_update(item=budget, actor=actor, data={"proposed_clauses": ["att anta budgeten"]})
        services.agenda_item_add(meeting=meeting, actor=actor, kind="information", title="Information om lokaler")
        services.agenda_item_remove(item=justerare, actor=actor)
        temporary = services.agenda_item_add(meeting=meeting, actor=actor, kind="other", title="Tillfällig")
        services.agenda_item_remove(item=temporary, actor=actor)  # added and removed: no change to report
        services.meeting_update(meeting=meeting, actor=actor, data={"place": "Kommunhuset"})

        meeting.refresh_from_db()
        changes = selectors.agenda_changes_since_notice(meeting=meeting)
        summary = {(c.what, c.title): c.fields for c in changes.items}
        assert summary == {
            ("removed", "Val av justerare"): [],
            ("changed", "Budget"): ["nummer", "förslag till beslut"],
            ("added", "Information om lokaler"): [],
        }
        assert changes.meeting_fields == ["plats"]

    def test_revised_notice_resets_the_comparison(self, meeting, actor):
        services.notice_issue(meeting=meeting, actor=actor)
        services.agenda_item_add(meeting=meeting, actor=actor, kind="other", title="Övriga frågor")
        assert selectors.agenda_changes_since_notice(meeting=meeting)
        services.notice_issue(meeting=meeting, actor=actor, changes="Övriga frågor tillagd.")
        assert not selectors.agenda_changes_since_notice(meeting=meeting)


class TestNoticeViews:
    def test_get_lists_recipients_post_issues(self, client_for, organisation, meeting, seats):
        client = client_for(organisation, Role.SECRETARY)
        url = reverse("agenda:notice_issue", args=[meeting.pk])
        page = client.get(url).content.decode()
        table = page.split('data-testid="notice-recipients"')[1].split("</table>")[0]
        assert "Stina Efterträdare" in table and "Sven Avgick" not in table
        assert "saknas – får ingen e-post" in table
        # Those already called are not offered "för kännedom"; Sven (no longer a member) is.
        form = page.split("</table>")[1]
        assert "Sven Avgick" in form and "Stina Efterträdare" not in form
        response = client.post(url, {})
        assert response.status_code == 302, response.content.decode()[-3000:]
        detail = client.get(reverse("agenda:meeting_detail", args=[meeting.pk])).content.decode()
        assert "Kallelse skickad, kallelse version 1" in detail
        assert 'data-testid="notice-history"' in detail

    def test_revised_form_requires_changes_and_keeps_input(self, client_for, organisation, meeting, seats, actor):
        services.notice_issue(meeting=meeting, actor=actor)
        services.agenda_item_add(meeting=meeting, actor=actor, kind="other", title="Övriga frågor")
        client = client_for(organisation, Role.SECRETARY)
        url = reverse("agenda:notice_issue", args=[meeting.pk])
        page = client.get(url).content.decode()
        assert "Skicka reviderad kallelse (version 2)" in page
        assert "Ny punkt 3: Övriga frågor" in page
        greta = PersonFactory(organisation=organisation, first_name="Greta", last_name="Chef")
        response = client.post(url, {"changes": "", "for_information": [greta.pk]})
        assert response.status_code == 400  # refused, like every refused form
        assert "Beskriv kort vad som har ändrats sedan förra kallelsen." in response.content.decode()
        assert "checked" in response.content.decode()
        assert NoticeIssue.objects.filter(meeting=meeting).count() == 1

        detail = client.get(reverse("agenda:meeting_detail", args=[meeting.pk])).content.decode()
        assert "Ändrat efter att kallelsen skickades" in detail

    def test_change_notice_masks_confidential_titles_for_economist(self, client_for, organisation, meeting, actor):
        services.notice_issue(meeting=meeting, actor=actor)
        services.agenda_item_add(
            meeting=meeting,
            actor=actor,
            kind="extra",
            title="Placering av barn X",
            confidential=True,
            legal_basis="OSL 26 kap. 1 §",
        )
        page = client_for(organisation, Role.ECONOMIST).get(reverse("agenda:meeting_detail", args=[meeting.pk]))
        text = page.content.decode()
        assert "Ändrat efter att kallelsen skickades" in text
        assert "Placering av barn X" not in text
        assert AgendaItem.objects.filter(title="Placering av barn X").exists()


class TestNoticeWording:
    """Issue 7, point 18: the count says who the e-mail reached; a revised kallelse starts from the changes."""

    # Real commits: the e-mails go when the kallelse is committed, before the page counts who they reached.
    @pytest.mark.django_db(transaction=True)
    def test_skickats_till_counts_only_those_the_e_mail_reached(
        self, client_for, organisation, meeting, seats, monkeypatch
    ):
        real_send = services.send_mail

        def refuse_elin(subject, body, sender, to, **kwargs):
            if to == ["elin@example.se"]:
                raise ConnectionRefusedError("smtp refused")
            return real_send(subject, body, sender, to, **kwargs)

        monkeypatch.setattr(services, "send_mail", refuse_elin)
        client = client_for(organisation, Role.SECRETARY)
        response = client.post(reverse("agenda:notice_issue", args=[meeting.pk]), {}, follow=True)
        text = response.content.decode()
        # Four called: Maja, Elin, Stina (e-mail), Ulf (none); Elin's was refused. Two reached.
        notice = NoticeIssue.objects.get(meeting=meeting)
        assert notice.recipients.count() == 4 and len(mail.outbox) == 2
        assert "Kallelsen (version 1) har skickats till 2 personer." in text
        assert "2 av 4 kallade fick ingen e-post" in text
        assert "kallelsen med alla handlingar (tjänsteskrivelser och bilagor) som en PDF" in mail.outbox[0].body
        history = text.split('data-testid="notice-history"')[1].split("</table>")[0]
        assert '<td class="text-end" data-testid="notice-sent-count">2</td>' in history

    @pytest.mark.django_db(transaction=True)
    def test_one_reached_is_one_person(self, client_for, organisation, meeting, committee):
        seat(committee, "Maja", "Ordf", Membership.Role.CHAIR, email="maja@example.se")
        client = client_for(organisation, Role.SECRETARY)
        response = client.post(reverse("agenda:notice_issue", args=[meeting.pk]), {}, follow=True)
        text = response.content.decode()
        assert "har skickats till 1 person." in text and "fick ingen e-post" not in text

    @pytest.mark.django_db(transaction=True)
    def test_nobody_reached_is_said_so(self, client_for, organisation, meeting, committee):
        seat(committee, "Ulf", "Utanpost", Membership.Role.CHAIR)
        seat(committee, "Ola", "Utanpost", Membership.Role.MEMBER)
        client = client_for(organisation, Role.SECRETARY)
        text = client.post(reverse("agenda:notice_issue", args=[meeting.pk]), {}, follow=True).content.decode()
        assert "Kallelsen (version 1) är utskickad, men e-posten nådde ingen av de 2 kallade" in text
        assert "har skickats till" not in text

    def test_revised_kallelse_prefills_what_changed_and_says_nytt_nummer(
        self, client_for, organisation, meeting, seats, actor
    ):
        services.notice_issue(meeting=meeting, actor=actor)
        budget = meeting.agenda_items.get(title="Budget")
        services.agenda_item_add(
            meeting=meeting,
            actor=actor,
            kind="extra",
            title="Placering av barn X",
            confidential=True,
            legal_basis="OSL 26 kap. 1 §",
        )
        services.agenda_item_remove(item=meeting.agenda_items.get(title="Val av justerare"), actor=actor)
        services.agenda_item_update(item=budget, actor=actor, data={"title": "Budget 2023"})
        services.meeting_update(meeting=meeting, actor=actor, data={"place": "Kommunhuset"})
        meeting.refresh_from_db()
        budget.refresh_from_db()

        page = client_for(organisation, Role.SECRETARY).get(reverse("agenda:notice_issue", args=[meeting.pk]))
        text = page.content.decode()
        textarea = text.split('name="changes"')[1].split("</textarea>")[0]
        assert "Sammanträdet: ändrad plats." in textarea
        assert "Borttagen punkt 1: Val av justerare." in textarea
        assert f"Ändrad punkt {budget.position}: Budget 2023 – nytt nummer (tidigare 2), ändrad rubrik." in textarea
        # The text goes to everyone: a confidential punkt by its number only, even for the secretary.
        assert "Placering av barn X" not in textarea
        assert "(denna punkt på agendan är sekretessbelagd)" in textarea
        assert "nytt nummer (tidigare 2)" in text.split('name="changes"')[0]  # the list above says it too
