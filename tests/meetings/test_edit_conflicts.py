"""No lost updates: the editors of the §, the försättsblad, the agenda item, the ärende and the tjänsteskrivelse.

Two people open the same editor (the same version); the first save wins, the second is refused with a Swedish
message that shows what the first one saved, and keeps what the second one typed (core.versioning).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import reverse

from core.models import Role
from core.versioning import EditConflict
from meetings import agenda_services, case_services, minutes_services
from meetings.models import AgendaItem, Case, Minutes, OfficerReport, Paragraph
from tests.factories import CommitteeFactory, user_with_role

from .factories import AgendaItemFactory, CaseNumberSeriesFactory, MeetingFactory, MinutesFactory

FIRST_TEXT = "Första versionen av texten från Anna"
SECOND_TEXT = "Andra versionen som Bertil skrev samtidigt"


def build(organisation):
    anna = user_with_role(organisation, Role.SECRETARY, first_name="Anna", last_name="Andersson")
    bertil = user_with_role(organisation, Role.SECRETARY, first_name="Bertil", last_name="Berg")
    committee = CommitteeFactory(organisation=organisation, short_name="SN")
    series = CaseNumberSeriesFactory(committee=committee, organisation=organisation)
    case = case_services.case_register(organisation=organisation, actor=anna, series=series, title="Riktlinje")
    meeting = MeetingFactory(committee=committee)
    item = AgendaItemFactory(meeting=meeting, position=1, title="Punkt")
    minutes = MinutesFactory(meeting=meeting)
    paragraph = minutes_services.paragraph_add(minutes=minutes, actor=anna, title="Paragraf")
    return SimpleNamespace(anna=anna, bertil=bertil, case=case, item=item, minutes=minutes, paragraph=paragraph)


@dataclass(frozen=True)
class Editor:
    """One editor: its URL, a post with a text, the service call, and where the text is saved."""

    name: str
    url_name: str
    text_field: str

    def obj(self, w):
        return {
            "paragraph": lambda: Paragraph.objects.get(pk=w.paragraph.pk),
            "front": lambda: Minutes.objects.get(pk=w.minutes.pk),
            "agenda_item": lambda: AgendaItem.objects.get(pk=w.item.pk),
            "case": lambda: Case.objects.get(pk=w.case.pk),
            "officer_report": lambda: OfficerReport.objects.get(case=w.case),
        }[self.name]()

    def url(self, w) -> str:
        pk = {"paragraph": w.paragraph.pk, "front": w.minutes.pk, "agenda_item": w.item.pk}.get(self.name, w.case.pk)
        return reverse(self.url_name, kwargs={"pk": pk})

    def post(self, text: str, version: int) -> dict[str, Any]:
        data = {
            "paragraph": {"title": "Paragraf", "body": text},
            "front": {"verification_place": text},
            "agenda_item": {"title": "Punkt", "description": text},
            "case": {"title": text, "status": "open"},
            "officer_report": {"summary": text, "action": "save"},
        }[self.name]
        return {**data, "version": version}

    def save(self, w, *, actor, text: str, version: int | None):
        """The service, called as the view calls it."""
        if self.name == "paragraph":
            paragraph = Paragraph.objects.get(pk=w.paragraph.pk)
            return minutes_services.paragraph_update(
                paragraph=paragraph, actor=actor, title="Paragraf", body=text, version=version
            )
        if self.name == "front":
            return minutes_services.minutes_update_front(
                minutes=Minutes.objects.get(pk=w.minutes.pk),
                actor=actor,
                verification_place=text,
                verification_date=None,
                secretary=None,
                version=version,
            )
        if self.name == "agenda_item":
            item = AgendaItem.objects.get(pk=w.item.pk)
            return agenda_services.agenda_item_update(
                item=item, actor=actor, data={"title": "Punkt", "description": text}, version=version
            )
        if self.name == "case":
            case = Case.objects.get(pk=w.case.pk)
            return case_services.case_update(case=case, actor=actor, title=text, status="open", version=version)
        report = OfficerReport.objects.get(case=w.case)
        return case_services.officer_report_update(report=report, actor=actor, data={"summary": text}, version=version)


EDITORS = [
    Editor("paragraph", "minutes:paragraph_edit", "body"),
    Editor("front", "minutes:minutes_front", "verification_place"),
    Editor("agenda_item", "agenda:agenda_item_edit", "description"),
    Editor("case", "cases:case_edit", "title"),
    Editor("officer_report", "cases:officer_report_edit", "summary"),
]
IDS = [editor.name for editor in EDITORS]


def form_version(html: str) -> int:
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', html)
    assert match, "the form carries its version in a hidden field"
    return int(match.group(1))


# -- Services -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("editor", EDITORS, ids=IDS)
def test_second_save_from_the_same_version_is_refused_and_the_first_kept(editor, organisation):
    w = build(organisation)
    start = editor.obj(w).version
    editor.save(w, actor=w.anna, text=FIRST_TEXT, version=start)
    assert editor.obj(w).version == start + 1

    with pytest.raises(EditConflict) as refused:
        editor.save(w, actor=w.bertil, text=SECOND_TEXT, version=start)

    saved = editor.obj(w)
    assert getattr(saved, editor.text_field) == FIRST_TEXT
    assert saved.version == start + 1
    conflict = refused.value
    assert conflict.current_version == start + 1
    assert conflict.changed_by == "Anna Andersson"
    assert [change.value for change in conflict.changes if change.name == editor.text_field] == [FIRST_TEXT]
    assert "Någon annan har sparat" in conflict.messages[0]
    # Saving again over the version now saved is a deliberate choice, and goes through.
    editor.save(w, actor=w.bertil, text=SECOND_TEXT, version=start + 1)
    assert getattr(editor.obj(w), editor.text_field) == SECOND_TEXT


@pytest.mark.django_db
def test_the_same_user_in_another_tab_is_told_so(organisation):
    w = build(organisation)
    editor = EDITORS[0]
    editor.save(w, actor=w.anna, text=FIRST_TEXT, version=1)
    with pytest.raises(EditConflict) as refused:
        editor.save(w, actor=w.anna, text=SECOND_TEXT, version=1)
    assert refused.value.messages[0].startswith("Du har själv sparat § 1 i en annan flik")


@pytest.mark.django_db
def test_a_conflict_lists_only_what_the_other_person_changed(organisation):
    w = build(organisation)
    paragraph = Paragraph.objects.get(pk=w.paragraph.pk)
    minutes_services.paragraph_update(
        paragraph=paragraph, actor=w.anna, title="Paragraf", motions="Yrkande från Anna", version=1
    )
    with pytest.raises(EditConflict) as refused:
        minutes_services.paragraph_update(paragraph=paragraph, actor=w.bertil, title="Paragraf", version=1)
    assert [(c.label, c.value) for c in refused.value.changes] == [("Yrkanden", "Yrkande från Anna")]


@pytest.mark.django_db
def test_a_new_officer_report_saved_by_someone_else_first_is_a_conflict(organisation):
    """The form of an ärende without a saved tjänsteskrivelse carries version 0."""
    w = build(organisation)
    OfficerReport.objects.filter(case=w.case).delete()
    first = OfficerReport(case=w.case)
    case_services.officer_report_update(report=first, actor=w.anna, data={"summary": FIRST_TEXT}, version=0)
    with pytest.raises(EditConflict):
        case_services.officer_report_update(
            report=OfficerReport(case=w.case), actor=w.bertil, data={"summary": SECOND_TEXT}, version=0
        )
    assert OfficerReport.objects.get(case=w.case).summary == FIRST_TEXT


# -- Views ----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("editor", EDITORS, ids=IDS)
def test_second_post_with_the_stale_version_answers_409_keeps_the_text_and_shows_the_other_change(
    editor, organisation, client
):
    w = build(organisation)
    anna, bertil = client, type(client)()
    anna.force_login(w.anna)
    bertil.force_login(w.bertil)
    url = editor.url(w)
    version = form_version(anna.get(url).content.decode())
    assert form_version(bertil.get(url).content.decode()) == version

    assert anna.post(url, editor.post(FIRST_TEXT, version)).status_code == 302
    response = bertil.post(url, editor.post(SECOND_TEXT, version))

    assert response.status_code == 409
    html = response.content.decode()
    assert "Någon annan har sparat" in html
    assert "Anna Andersson" in html
    assert SECOND_TEXT in html  # what Bertil typed is still in the form
    assert FIRST_TEXT in html  # and what Anna saved is shown beside it
    assert getattr(editor.obj(w), editor.text_field) == FIRST_TEXT
    # The form shown again carries the version saved now: saving it again is a deliberate overwrite.
    new_version = form_version(html)
    assert new_version == version + 1
    assert bertil.post(url, editor.post(SECOND_TEXT, new_version)).status_code == 302
    assert getattr(editor.obj(w), editor.text_field) == SECOND_TEXT


@pytest.mark.django_db
@pytest.mark.parametrize("editor", EDITORS, ids=IDS)
def test_a_post_without_a_version_is_refused(editor, organisation, client):
    w = build(organisation)
    client.force_login(w.anna)
    data = editor.post(FIRST_TEXT, 1)
    del data["version"]
    response = client.post(editor.url(w), data)
    assert response.status_code == 400
    assert "Formuläret saknar versionsuppgift" in response.content.decode()
    assert getattr(editor.obj(w), editor.text_field) != FIRST_TEXT


# -- Two saves at the same time -----------------------------------------------------------------------------------

HOLD_SECONDS = 0.5


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="radlås (SELECT … FOR UPDATE) kräver PostgreSQL")
@pytest.mark.parametrize("editor", [EDITORS[0], EDITORS[4]], ids=["paragraph", "officer_report"])
def test_two_concurrent_saves_one_wins_and_the_other_is_refused(editor, organisation):
    """Anna's save holds its row lock while Bertil's save from the same version starts: Bertil's waits for the
    lock, then sees Anna's version and is refused. Without the lock both would succeed and Anna's text be lost."""
    w = build(organisation)
    start = editor.obj(w).version
    anna_saved = threading.Event()
    results: dict[str, Any] = {}

    def anna():
        try:
            with transaction.atomic():
                editor.save(w, actor=w.anna, text=FIRST_TEXT, version=start)
                anna_saved.set()
                time.sleep(HOLD_SECONDS)  # still uncommitted, the row still locked
            results["anna"] = "saved"
        finally:
            anna_saved.set()
            connection.close()

    def bertil():
        try:
            anna_saved.wait(10)
            began = time.monotonic()
            try:
                editor.save(w, actor=w.bertil, text=SECOND_TEXT, version=start)
            except EditConflict:
                results["bertil"] = "refused"
            else:
                results["bertil"] = "saved"
            results["bertil_waited"] = time.monotonic() - began
        finally:
            connection.close()

    threads = [threading.Thread(target=anna), threading.Thread(target=bertil)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert results["anna"] == "saved"
    assert results["bertil"] == "refused"
    assert results["bertil_waited"] >= HOLD_SECONDS * 0.8  # it waited for Anna's lock
    saved = editor.obj(w)
    assert getattr(saved, editor.text_field) == FIRST_TEXT
    assert saved.version == start + 1
