"""Lägesrapporter (issue 8 point 8): the services lock a submitted report against every write, a correction is a
new version and the earlier stays, the editor refuses a save over a newer version; the pages by role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Role
from core.versioning import EditConflict
from projects import status_report_selectors, status_report_services
from projects.models import STATUS_REPORT_LOCKED_MESSAGE, StatusReport
from tests.factories import user_with_role

from .document_factories import make_status_report
from .factories import director, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_new_report_has_one_summary_per_delprojekt_and_carries_who_reports(organisation):
    report = make_status_report(organisation)
    assert [row["heading"] for row in report.area_summaries] == ["Skola"]
    status_report_services.status_report_submit(report=report, actor=director(organisation))
    second = status_report_services.status_report_create(
        project=report.project,
        actor=director(organisation),
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2020, 6, 30),
    )
    assert second.recipient == "Tillväxtverket" and second.signed_name == "Karin Lindqvist"
    assert [row["cost_type"] for row in second.cost_rows] == [row["cost_type"] for row in report.cost_rows]
    assert all(row["outcome"] == "" for row in second.cost_rows)


def test_the_same_period_twice_is_refused(organisation):
    report = make_status_report(organisation, filled=False)
    with pytest.raises(ValidationError, match="Det finns redan en lägesrapport för perioden"):
        status_report_services.status_report_create(
            project=report.project,
            actor=director(organisation),
            period_start=report.period_start,
            period_end=report.period_end,
        )


def test_totals_are_computed_from_the_rows(organisation):
    report = make_status_report(organisation)
    economy = status_report_selectors.economic_outcome(report=report)
    assert economy.outcome_total == Decimal("1131800")
    assert economy.budget_total == Decimal("1100000")
    assert economy.variance_total == Decimal("-31800")
    assert [row.variance for row in economy.rows] == [Decimal("44200"), Decimal("-45200"), None]


def test_bad_amounts_are_all_named_and_nothing_is_saved(organisation):
    report = make_status_report(organisation, filled=False)
    with pytest.raises(ValidationError) as caught:
        status_report_services.status_report_update(
            report=report,
            actor=director(organisation),
            cost_rows=[
                {"cost_type": "Löner", "budget": "tio", "outcome": "1 000"},
                {"cost_type": "", "budget": "", "outcome": "5"},
            ],
        )
    assert caught.value.messages == [
        "Ekonomiskt utfall, rad 1, budget: ”tio” är inget belopp.",
        "Ekonomiskt utfall, rad 2: ange kostnadsslaget.",
    ]
    report.refresh_from_db()
    assert report.cost_rows == [] and report.version == 1


def test_submit_needs_a_summary_and_the_signature(organisation):
    report = make_status_report(organisation, filled=False)
    with pytest.raises(ValidationError) as caught:
        status_report_services.status_report_submit(report=report, actor=director(organisation))
    assert "Ange namnförtydligande under Underskrift." in caught.value.messages
    assert StatusReport.objects.get(pk=report.pk).status == StatusReport.Status.DRAFT


def test_submit_locks_and_every_write_refuses(organisation, django_capture_on_commit_callbacks):
    actor = director(organisation)
    report = make_status_report(organisation, actor)
    with django_capture_on_commit_callbacks(execute=True):
        report = status_report_services.status_report_submit(report=report, actor=actor)
    report.refresh_from_db()
    assert report.is_locked and report.submitted_by == actor
    assert report.archived_job is not None and report.archived_job.is_done
    writes = [
        lambda: status_report_services.status_report_update(report=report, actor=actor, other="ändrat"),
        lambda: status_report_services.status_report_update(report=report, actor=actor, version=report.version),
        lambda: status_report_services.status_report_submit(report=report, actor=actor),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as caught:
            write()
        assert caught.value.messages == [STATUS_REPORT_LOCKED_MESSAGE]
    assert StatusReport.objects.get(pk=report.pk).other == ""


def test_a_correction_is_a_new_version_and_the_submitted_one_stays(organisation):
    actor = director(organisation)
    report = make_status_report(organisation, actor)
    report = status_report_services.status_report_submit(report=report, actor=actor)
    with pytest.raises(ValidationError, match="Ange skälet"):
        status_report_services.status_report_correct(report=report, actor=actor, reason=" ")
    new = status_report_services.status_report_correct(report=report, actor=actor, reason="Fel utfall")
    assert (new.revision, new.status, new.cost_rows) == (2, StatusReport.Status.DRAFT, report.cost_rows)
    status_report_services.status_report_update(report=new, actor=actor, other="Rättat utfall")
    with pytest.raises(ValidationError, match="nyare version"):
        status_report_services.status_report_correct(report=report, actor=actor, reason="Igen")
    with pytest.raises(ValidationError, match="samma period"):
        status_report_services.status_report_update(report=new, actor=actor, period_start=dt.date(2019, 2, 1))
    report.refresh_from_db()
    assert report.other == "" and report.is_locked
    assert list(status_report_selectors.versions_of(report=new)) == [report, new]


def test_a_save_over_a_newer_version_is_refused_and_shows_the_other_change(organisation):
    first, second = director(organisation), user_with_role(organisation, Role.ADMIN, first_name="Alva")
    report = make_status_report(organisation, first, filled=False)
    opened = report.version
    status_report_services.status_report_update(report=report, actor=second, version=opened, deviations="Sen start")
    with pytest.raises(EditConflict) as caught:
        status_report_services.status_report_update(report=report, actor=first, version=opened, deviations="Ingen")
    assert [change.value for change in caught.value.changes] == ["Sen start"]
    assert StatusReport.objects.get(pk=report.pk).deviations == "Sen start"


# Pages ---------------------------------------------------------------------------------------------------------


def _edit_post(report, **overrides) -> dict:
    data = {
        "version": str(report.version),
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "recipient": "Tillväxtverket",
        "deviations": "Inga",
        "signed_on": "2020-03-06",
        "signed_name": "Karin Lindqvist",
        "area-TOTAL_FORMS": "1",
        "area-INITIAL_FORMS": "0",
        "area-0-code": "7354",
        "area-0-heading": "Skola",
        "area-0-text": "Läget är gott.",
        "activity-TOTAL_FORMS": "1",
        "activity-INITIAL_FORMS": "0",
        "activity-0-activity": "Samverkansmöten",
        "activity-0-result": "Samsyn",
        "cost-TOTAL_FORMS": "2",
        "cost-INITIAL_FORMS": "0",
        "cost-0-cost_type": "Löner",
        "cost-0-budget": "1 000",
        "cost-0-outcome": "900,50",
        "cost-1-cost_type": "",
    }
    data.update(overrides)
    return data


def test_the_director_writes_submits_and_downloads_the_pdf(
    client_for, organisation, django_capture_on_commit_callbacks
):
    client = client_for(organisation, Role.DIRECTOR)
    project = make_project(organisation)
    response = client.post(
        reverse("projects:status_report_create", args=[project.pk]),
        {"period_start": "2020-01-01", "period_end": "2020-06-30"},
    )
    report = StatusReport.objects.get(project=project)
    assert response.url == reverse("projects:status_report_edit", args=[report.pk])
    response = client.post(response.url, _edit_post(report))
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.cost_rows == [{"cost_type": "Löner", "budget": "1000.00", "outcome": "900.50"}]
    page = client.get(reverse("projects:status_report_detail", args=[report.pk])).content.decode()
    assert "100\xa0kr" in page  # budget − utfall, computed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:status_report_submit", args=[report.pk]), {"version": report.version + 0})
    report.refresh_from_db()
    assert report.is_locked
    pdf = client.get(reverse("projects:status_report_pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    project_page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert reverse("projects:status_report_pdf", args=[report.pk]) in project_page
    # Locked: the editor sends back to the report, and a post changes nothing.
    response = client.post(reverse("projects:status_report_edit", args=[report.pk]), _edit_post(report, deviations="X"))
    assert response.status_code == 302
    assert StatusReport.objects.get(pk=report.pk).deviations == "Inga"


def test_a_conflicting_save_keeps_what_was_typed(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    report = make_status_report(organisation, filled=False)
    stale = _edit_post(report, deviations="Det jag skrev")
    status_report_services.status_report_update(report=report, actor=director(organisation), deviations="Annan text")
    response = client.post(reverse("projects:status_report_edit", args=[report.pk]), stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Det jag skrev" in page and "Annan text" in page and 'data-testid="edit-conflict"' in page
    assert StatusReport.objects.get(pk=report.pk).deviations == "Annan text"


def test_bad_rows_are_listed_and_the_form_keeps_them(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    report = make_status_report(organisation, filled=False)
    response = client.post(
        reverse("projects:status_report_edit", args=[report.pk]), _edit_post(report, **{"cost-0-budget": "mycket"})
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ekonomiskt utfall, rad 1, budget: ”mycket” är inget belopp." in page and 'value="mycket"' in page


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER])
def test_revisor_and_ledamot_read_but_write_nothing(client_for, organisation, role):
    report = make_status_report(organisation)
    client = client_for(organisation, role)
    assert client.get(reverse("projects:status_report_detail", args=[report.pk])).status_code == 200
    for name in ("status_report_edit", "status_report_correct"):
        assert client.get(reverse(f"projects:{name}", args=[report.pk])).status_code == 403
    assert client.post(reverse("projects:status_report_submit", args=[report.pk]), {"version": 1}).status_code == 403
    assert client.post(reverse("projects:status_report_create", args=[report.project_id]), {}).status_code == 403
    assert StatusReport.objects.get(pk=report.pk).status == StatusReport.Status.DRAFT


def test_another_organisations_report_is_404(client_for, organisation, other_organisation):
    report = make_status_report(other_organisation)
    client = client_for(organisation, Role.DIRECTOR)
    for name in ("status_report_detail", "status_report_edit", "status_report_correct", "status_report_pdf"):
        assert client.get(reverse(f"projects:{name}", args=[report.pk])).status_code == 404
    assert client.post(reverse("projects:status_report_submit", args=[report.pk]), {"version": 1}).status_code == 404


def test_the_pages_keep_a_constant_number_of_queries(client_for, organisation, django_assert_max_num_queries):
    client = client_for(organisation, Role.DIRECTOR)
    report = make_status_report(organisation)
    for _ in range(3):
        make_status_report(
            organisation, project=report.project, start=dt.date(2018 - _, 1, 1), end=dt.date(2018 - _, 12, 31)
        )
    with django_assert_max_num_queries(25):
        assert client.get(reverse("projects:status_report_detail", args=[report.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("projects:status_report_edit", args=[report.pk])).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(reverse("projects:project_detail", args=[report.project_id])).status_code == 200
