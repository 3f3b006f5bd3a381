"""Bilagor of one ärende or punkt get distinct positions, even when uploaded at once (a constraint and a lock)."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from PIL import Image

from core.models import Role
from meetings import case_services
from meetings.attachments import attachment_add
from meetings.models import Attachment
from tests.factories import CommitteeFactory, user_with_role

from .factories import AgendaItemFactory, CaseNumberSeriesFactory, MeetingFactory


def png(name: str = "bild.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def owners(organisation):
    secretary = user_with_role(organisation, Role.SECRETARY)
    committee = CommitteeFactory(organisation=organisation, short_name="SN")
    series = CaseNumberSeriesFactory(committee=committee, organisation=organisation)
    case = case_services.case_register(
        organisation=organisation,
        actor=secretary,
        series=series,
        title="Uppföljning",
        registered_on=dt.date(2022, 6, 1),
    )
    item = AgendaItemFactory(meeting=MeetingFactory(committee=committee), position=1)
    return secretary, case, item


def add(organisation, actor, **owner):
    return attachment_add(organisation=organisation, actor=actor, upload=png(), **owner)


@pytest.mark.django_db
def test_positions_run_on_per_owner(organisation, owners):
    secretary, case, item = owners
    assert [add(organisation, secretary, case=case).position for _ in range(3)] == [1, 2, 3]
    assert [add(organisation, secretary, agenda_item=item).position for _ in range(2)] == [1, 2]


@pytest.mark.django_db
@pytest.mark.parametrize("owner", ["case", "agenda_item"])
def test_the_database_refuses_two_bilagor_at_one_position(organisation, owners, owner):
    secretary, case, item = owners
    first = add(organisation, secretary, **({"case": case} if owner == "case" else {"agenda_item": item}))
    twin = Attachment.objects.get(pk=first.pk)
    twin.pk = None
    twin.id = None
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="radlås (SELECT … FOR UPDATE) kräver PostgreSQL")
@pytest.mark.parametrize("owner", ["case", "agenda_item"])
def test_uploads_at_once_get_distinct_positions(organisation, owners, owner):
    secretary, case, item = owners
    target = {"case": case} if owner == "case" else {"agenda_item": item}
    uploads = 4
    start = threading.Barrier(uploads)
    errors: list[BaseException] = []

    def upload():
        try:
            start.wait(10)
            add(organisation, secretary, **target)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload) for _ in range(uploads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    rows = Attachment.objects.filter(**target)
    assert sorted(rows.values_list("position", flat=True)) == list(range(1, uploads + 1))


@pytest.mark.django_db(transaction=True)
def test_the_migration_renumbers_existing_duplicates_and_goes_back(organisation, owners):
    secretary, case, item = owners
    executor = MigrationExecutor(connection)
    before = [("meetings", "0004_editor_versions")]
    latest = executor.loader.graph.leaf_nodes()
    # Made with today's models, before going back: later migrations add columns that 0004 does not have.
    a = add(organisation, secretary, case=case)
    b = add(organisation, secretary, case=case)
    c = add(organisation, secretary, agenda_item=item)
    d = add(organisation, secretary, agenda_item=item)
    try:
        executor.migrate(before)
        Attachment.objects.filter(pk__in=[a.pk, b.pk, c.pk, d.pk]).update(position=1)  # as a race once left them
        executor = MigrationExecutor(connection)
        executor.migrate([("meetings", "0005_attachment_position_unique")])
        positions = dict(Attachment.objects.values_list("pk", "position"))
        assert (positions[a.pk], positions[b.pk]) == (1, 2)
        assert (positions[c.pk], positions[d.pk]) == (1, 2)
        executor = MigrationExecutor(connection)
        executor.migrate(before)  # the reverse runs and keeps the new positions
        assert dict(Attachment.objects.values_list("pk", "position")) == positions
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
