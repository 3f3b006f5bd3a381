"""Register rows from Excel at the utförare: create and update by code, all or nothing, the background job with
its progress above the threshold, the export, and 404 for everyone outside the utförare's register staff."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import Role
from core.xlsx import ImportRefused
from projects import register_import_services, register_services
from projects.models import Project, RegisterImport, RegisterParticipant
from projects.register_import import COLUMNS
from tests.factories import user_with_role

from .factories import make_project
from .register_factories import K, enrol, make_register_world

pytestmark = pytest.mark.django_db
HEADINGS = [c.heading for c in COLUMNS]


def _row(n, **extra):
    row = {
        "Deltagarkod": f"AMT-{n:05d}",
        "Kön": ["Kvinna", "Man", "Icke-binär/annat"][n % 3],
        "Samtycke": "Ja",
        "Samtyckesdatum": "2019-02-01",
        "Födelseår": 1970 + n % 30,
        "Remittent": "Af",
        "Utbildningsnivå": "Gymnasium",
        "Försörjning vid inskrivning": "A-kassa",
        "Inskrivningsdatum": "2019-02-01",
        "Aktiviteter": "Kartläggning; Praktik",
    }
    row.update(extra)
    return row


def _file(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append([row.get(h) for h in HEADINGS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(world, rows):
    return register_import_services.register_import_upload(
        organisation=world.kommun,
        project=world.project,
        actor=world.keeper,
        data=_file(rows),
        filename="deltagare.xlsx",
    )


def test_rows_are_created_then_updated_by_code_with_history():
    world = make_register_world()
    job = _upload(world, [_row(1), _row(2), _row(3, Samtycke="Nej", Startår=2019, **dict.fromkeys(HEADINGS[4:]))])
    assert job.status == RegisterImport.Status.DONE, job.errors
    assert (job.created_count, job.updated_count) == (3, 0)
    first = RegisterParticipant.objects.get(code="AMT-00001")
    assert first.organisation == world.kommun and first.referrer == world.cat(K.REFERRER, "Af")
    assert {a.label for a in first.activities.all()} == {"Kartläggning", "Praktik"}
    anonymous = RegisterParticipant.objects.get(code="AMT-00003")
    assert not anonymous.consent and anonymous.birth_year is None and anonymous.enrolment_year == 2019
    job = _upload(
        world,
        [
            _row(1, Avslutsdatum="2019-10-01", Avslutsorsak="Arbete", **{"Försörjning vid avslut": "Lön/Arbete"}),
            _row(4),
        ],
    )
    assert (job.created_count, job.updated_count) == (1, 1), job.errors
    first.refresh_from_db()
    assert first.exited_on == dt.date(2019, 10, 1) and first.exit_reason == world.cat(K.EXIT_REASON, "Arbete")
    assert first.history.count() == 2 and first.history.first().history_user == world.keeper
    assert RegisterParticipant.objects.filter(project=world.project).count() == 4


def test_a_bad_row_in_the_middle_imports_nothing_and_every_error_is_kept():
    world = make_register_world()
    rows = [_row(n) for n in range(1, 8)]
    rows[3] = _row(4, Kön="X", Födelseår=2010, Samtyckesdatum=None)
    rows[5] = _row(5)  # the same code as row 6 of the sheet (data row 4 has code 4, this duplicates code 5)
    job = _upload(world, rows)
    assert job.status == RegisterImport.Status.FAILED
    where = [(e["row"], e["column"]) for e in job.errors]
    assert where == [(5, "Födelseår"), (5, "Kön"), (5, "Samtyckesdatum"), (7, "Deltagarkod")]
    assert not RegisterParticipant.objects.exists()


def test_a_code_of_another_insats_is_refused():
    world = make_register_world()
    enrol(world, code="AMT-00001")

    second = make_project(
        world.federation,
        actor=world.director,
        name="Unga vuxna",
        executor_organisation=world.kommun,
        follow_up_method=Project.FollowUp.REGISTER,
    )
    register_services.register_staff_add(
        organisation=world.kommun, project=second, user=world.keeper, actor=world.keeper
    )
    job = register_import_services.register_import_upload(
        organisation=world.kommun, project=second, actor=world.keeper, data=_file([_row(1)]), filename="x.xlsx"
    )
    assert job.status == RegisterImport.Status.FAILED
    assert "används redan i insatsen Arbetsmarknadstorget" in job.errors[0]["message"]


def test_a_large_file_runs_as_a_background_job_with_progress(settings, django_capture_on_commit_callbacks, monkeypatch):
    settings.REGISTER_IMPORT_INLINE_ROWS = 10
    world = make_register_world()
    seen = []
    original = register_import_services.job_progress
    monkeypatch.setattr(
        register_import_services,
        "job_progress",
        lambda model, pk, value: (seen.append(value), original(model, pk, value)),
    )
    monkeypatch.setattr(register_import_services.register_import, "PROGRESS_EVERY", 5)
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(world, [_row(n) for n in range(1, 31)])
        assert job.status == RegisterImport.Status.QUEUED and job.file
    job.refresh_from_db()
    assert job.status == RegisterImport.Status.DONE and job.created_count == 30, job.errors
    assert seen == sorted(seen) and len(seen) >= 5 and job.progress == 100
    assert not job.file  # the uploaded file is removed once imported


def test_not_a_workbook_and_not_a_keeper_are_refused():
    world = make_register_world()
    with pytest.raises(ImportRefused):
        register_import_services.register_import_upload(
            organisation=world.kommun, project=world.project, actor=world.keeper, data=b"abc", filename="a.xlsx"
        )
    stranger = user_with_role(world.kommun, Role.PARTICIPANT_OFFICER)
    with pytest.raises(ValidationError):
        register_import_services.register_import_upload(
            organisation=world.kommun, project=world.project, actor=stranger, data=_file([_row(1)]), filename="a.xlsx"
        )
    with pytest.raises(ValidationError):
        register_import_services.register_import_upload(
            organisation=world.federation,
            project=world.project,
            actor=world.director,
            data=_file([_row(1)]),
            filename="a",
        )
    assert not RegisterImport.objects.exists()


def test_the_export_holds_the_register_and_imports_back_unchanged():
    world = make_register_world()
    _upload(world, [_row(1), _row(2)])
    data, name = register_import_services.register_xlsx(organisation=world.kommun, project=world.project, blank=False)
    assert name.startswith("deltagarregister-amt-export")
    sheet = load_workbook(io.BytesIO(data))["Deltagare"]
    assert sheet["A2"].value == "AMT-00001" and sheet["G2"].value == "Af"
    job = register_import_services.register_import_upload(
        organisation=world.kommun, project=world.project, actor=world.keeper, data=data, filename="export.xlsx"
    )
    # Nothing changed: no participant is updated and no history row is written.
    assert (job.status, job.created_count, job.updated_count) == (RegisterImport.Status.DONE, 0, 0), job.errors
    assert RegisterParticipant.history.count() == 2


# Views ---------------------------------------------------------------------------------------------------------


def _client(user, organisation):
    client = Client()
    client.force_login(user)
    session = client.session
    session["current_organisation_id"] = organisation.pk
    session.save()
    return client


def _keeper_client(world):
    client = _client(world.keeper, world.kommun)
    return client


def test_the_keeper_downloads_the_template_and_imports_with_errors_listed():
    world = make_register_world()
    client = _keeper_client(world)
    url = reverse("projects:register_import", args=[world.project.pk])
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    assert "Ladda ned mall" in page.content.decode()
    template = client.get(reverse("projects:register_template", args=[world.project.pk]))
    assert load_workbook(io.BytesIO(template.content))["Deltagare"]["A1"].value == "Deltagarkod"
    bad = SimpleUploadedFile("d.xlsx", _file([_row(1), _row(2, Kön="?"), _row(3)]))
    response = client.post(url, {"file": bad})
    job = RegisterImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("projects:register_import_detail", args=[job.pk])
    detail = client.get(response.url).content.decode()
    assert "Filen importerades inte" in detail and "”?” är inget kön i listan" in detail
    assert not RegisterParticipant.objects.exists()
    progress = client.get(reverse("projects:register_import_progress", args=[job.pk]))
    assert progress.status_code == 200 and 'data-status="failed"' in progress.content.decode()


@pytest.mark.parametrize("who", ["director", "federation_admin", "kommun_unassigned", "other_kommun"])
def test_no_one_outside_the_register_staff_reaches_any_register_excel_url(who):
    world = make_register_world()
    job = _upload(world, [_row(1)])
    if who == "director":
        client = _client(world.director, world.federation)
    elif who == "federation_admin":
        client = _client(user_with_role(world.federation, Role.ADMIN), world.federation)
    elif who == "kommun_unassigned":
        client = _client(user_with_role(world.kommun, Role.PARTICIPANT_OFFICER), world.kommun)
    else:
        other = make_register_world()
        client = _client(other.keeper, other.kommun)
    pk = world.project.pk
    for name, arg in [
        ("register_template", pk),
        ("register_export", pk),
        ("register_import", pk),
        ("register_import_detail", job.pk),
        ("register_import_progress", job.pk),
    ]:
        assert client.get(reverse(f"projects:{name}", args=[arg])).status_code == 404, name
    # A POST is refused by role first (403) where the role cannot keep a register at all.
    assert client.post(reverse("projects:register_import", args=[pk])).status_code in {403, 404}


def test_register_excel_pages_keep_their_query_count(django_assert_max_num_queries):
    world = make_register_world()
    client = _keeper_client(world)
    _upload(world, [_row(n) for n in range(1, 20)])
    export = reverse("projects:register_export", args=[world.project.pk])
    client.get(export)
    with django_assert_max_num_queries(14):
        assert client.get(export).status_code == 200
    _upload(world, [_row(n) for n in range(20, 80)])
    with django_assert_max_num_queries(14):
        assert client.get(export).status_code == 200
    job = RegisterImport.objects.first()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("projects:register_import_detail", args=[job.pk])).status_code == 200
