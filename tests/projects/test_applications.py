"""Projektansökningar (issue 8 point 9): an approved application becomes the project through one service, with
its parties, mål and delmål with measurable targets, and budget per year; approved or rejected it is locked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Role
from core.versioning import EditConflict
from projects import application_services, goal_selectors
from projects.models import Goal, Project, ProjectApplication

from .document_factories import application_data, make_application
from .factories import ACTIVITY, cat_key, director

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_approval_makes_the_project_with_parties_goals_and_budget(organisation):
    application = make_application(organisation, status="approved")
    project = application.project
    assert application.status == ProjectApplication.Status.APPROVED
    assert (project.name, project.status, project.kind) == ("Samverkan Ljusnarsberg", "granted", "finsam")
    assert (project.starts_on, project.ends_on) == (dt.date(2011, 1, 1), dt.date(2013, 12, 31))
    assert [p.name for p in project.parties.all()] == ["Arbetsförmedlingen", "Försäkringskassan"]
    goals = goal_selectors.goal_progress(project=project)
    assert [g.goal.title for g in goals] == ["Tidigt stöd"]
    subs = [s.goal for s in goals[0].sub_goals]
    assert [(g.comparison, g.target_value, g.deadline) for g in subs] == [
        (Goal.Comparison.COUNT, Decimal("20"), dt.date(2011, 6, 30)),
        (Goal.Comparison.SHARE, Decimal("75"), None),
    ]
    assert subs[0].target_key == cat_key(organisation, ACTIVITY, "Individuell handlingsplan")
    assert subs[1].base_key == cat_key(organisation, ACTIVITY, "Kartläggning")
    assert [(b.year, b.granted_grant) for b in project.budget_years.all()] == [
        (2011, Decimal("750000.00")),
        (2012, Decimal("520000.00")),
    ]
    assert project.status_changes.get().status == Project.Status.GRANTED


def test_approved_and_rejected_applications_refuse_every_write(organisation):
    actor = director(organisation)
    for status in ("approved", "rejected"):
        application = make_application(organisation, status=status, name=f"Ansökan {status}")
        writes = [
            lambda a=application: application_services.application_update(application=a, actor=actor, purpose="X"),
            lambda a=application: application_services.application_submit(application=a, actor=actor),
            lambda a=application: application_services.application_approve(
                application=a, actor=actor, decided_on=dt.date(2011, 1, 1)
            ),
            lambda a=application: application_services.application_reject(
                application=a, actor=actor, decided_on=dt.date(2011, 1, 1)
            ),
        ]
        for write in writes:
            with pytest.raises(ValidationError, match="kan inte ändras"):
                write()
        assert ProjectApplication.objects.get(pk=application.pk).purpose == "Bättre samordning."
    assert Project.objects.filter(organisation=organisation).count() == 1


def test_a_submitted_application_is_not_edited_and_a_draft_is_not_decided(organisation):
    actor = director(organisation)
    draft = make_application(organisation)
    with pytest.raises(ValidationError, match="utkast"):
        application_services.application_approve(application=draft, actor=actor, decided_on=dt.date(2011, 1, 1))
    submitted = make_application(organisation, status="submitted", name="Inlämnad")
    with pytest.raises(ValidationError, match="inlämnad"):
        application_services.application_update(application=submitted, actor=actor, purpose="X")
    with pytest.raises(ValidationError, match="före ansökans datum"):
        application_services.application_approve(application=submitted, actor=actor, decided_on=dt.date(2009, 1, 1))


def test_rows_are_checked_and_every_problem_named(organisation):
    from projects.category_services import category_lists_ensure

    category_lists_ensure(organisation=organisation)
    data = application_data(organisation)
    data["goals"] = [
        {"title": "Delmål först", "is_sub": True},
        {"title": "Mål", "target_key": "cat:999999", "comparison": "share", "target_value": 120},
    ]
    data["budget_rows"] = [{"year": 1990, "cost_type": "", "amount": "-5"}]
    with pytest.raises(ValidationError) as caught:
        application_services.application_create(organisation=organisation, actor=director(organisation), **data)
    assert caught.value.messages == [
        "Mål och delmål, rad 1: ett delmål står under det mål det hör till; skriv målet först.",
        "Mål och delmål, rad 2: välj vad målet mäts på ur listan.",
        "Mål och delmål, rad 2: en andel anges i procent, mellan 0 och 100.",
        "Mål och delmål, rad 2: ange vad andelen räknas av.",
        "Budget, rad 1: ange ett år mellan 2000 och 2100.",
        "Budget, rad 1: ange kostnadsslaget.",
        "Budget, rad 1: ange ett belopp som inte är negativt.",
    ]
    assert not ProjectApplication.objects.exists()


def test_a_save_over_a_newer_version_is_refused(organisation):
    application = make_application(organisation)
    opened = application.version
    application_services.application_update(
        application=application, actor=director(organisation), version=opened, purpose="Ny text"
    )
    with pytest.raises(EditConflict) as caught:
        application_services.application_update(
            application=application, actor=director(organisation), version=opened, purpose="Min text"
        )
    assert [change.value for change in caught.value.changes] == ["Ny text"]


def test_submit_archives_the_pdf(organisation, django_capture_on_commit_callbacks):
    application = make_application(organisation)
    with django_capture_on_commit_callbacks(execute=True):
        application_services.application_submit(application=application, actor=director(organisation))
    application.refresh_from_db()
    assert application.status == "submitted" and application.archived_job.is_done


# Pages ---------------------------------------------------------------------------------------------------------


def _editor_post(**overrides) -> dict:
    data = {
        "version": "",
        "name": "Nytt projekt",
        "kind": "finsam",
        "orientation": "individual",
        "applicant": "Ljusnarsbergs kommun",
        "background": "Bakgrund",
        "purpose": "Syfte",
        "target_group": "Unga",
        **{f"{prefix}-TOTAL_FORMS": "1" for prefix in ("party", "goal", "timeline", "budget", "signature")},
        **{f"{prefix}-INITIAL_FORMS": "0" for prefix in ("party", "goal", "timeline", "budget", "signature")},
        "party-0-name": "Arbetsförmedlingen",
        "goal-0-title": "Fler i arbete",
        "budget-0-year": "2021",
        "budget-0-cost_type": "Samordnare",
        "budget-0-amount": "520 000",
    }
    data.update(overrides)
    return data


def test_the_director_enters_submits_and_approves_through_the_pages(
    client_for, organisation, django_capture_on_commit_callbacks
):
    client = client_for(organisation, Role.DIRECTOR)
    response = client.post(reverse("projects:application_create"), _editor_post())
    application = ProjectApplication.objects.get(organisation=organisation)
    assert response.url == reverse("projects:application_detail", args=[application.pk])
    page = client.get(response.url).content.decode()
    assert "520\xa0000\xa0kr" in page and "Lämna in ansökan" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:application_submit", args=[application.pk]), {"version": application.version})
    response = client.post(
        reverse("projects:application_decide", args=[application.pk]),
        {"outcome": "approved", "decided_on": "2021-01-15"},
    )
    project = Project.objects.get(organisation=organisation, name="Nytt projekt")
    assert response.url == reverse("projects:project_detail", args=[project.pk])
    page = client.get(response.url).content.decode()
    assert reverse("projects:application_pdf", args=[application.pk]) in page
    pdf = client.get(reverse("projects:application_pdf", args=[application.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    response = client.post(reverse("projects:application_edit", args=[application.pk]), _editor_post(name="Ändrat"))
    assert response.status_code == 302
    assert ProjectApplication.objects.get(pk=application.pk).name == "Nytt projekt"


def test_the_editor_keeps_what_was_typed_on_bad_rows(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    response = client.post(reverse("projects:application_create"), _editor_post(**{"budget-0-amount": "massor"}))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Budget, rad 1: ange ett belopp som inte är negativt." in page and 'value="massor"' in page


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER])
def test_revisor_and_ledamot_read_only(client_for, organisation, role):
    application = make_application(organisation, status="submitted")
    client = client_for(organisation, role)
    assert client.get(reverse("projects:application_list")).status_code == 200
    assert client.get(reverse("projects:application_detail", args=[application.pk])).status_code == 200
    assert client.get(reverse("projects:application_create")).status_code == 403
    assert client.get(reverse("projects:application_decide", args=[application.pk])).status_code == 403
    response = client.post(
        reverse("projects:application_decide", args=[application.pk]),
        {"outcome": "approved", "decided_on": "2011-01-01"},
    )
    assert response.status_code == 403 and not Project.objects.exists()


def test_another_organisations_application_is_404(client_for, organisation, other_organisation):
    application = make_application(other_organisation, status="submitted")
    client = client_for(organisation, Role.DIRECTOR)
    for name in ("application_detail", "application_edit", "application_decide", "application_pdf"):
        assert client.get(reverse(f"projects:{name}", args=[application.pk])).status_code == 404
    assert client.post(reverse("projects:application_submit", args=[application.pk])).status_code == 404


def test_the_pages_keep_a_constant_number_of_queries(client_for, organisation, django_assert_max_num_queries):
    client = client_for(organisation, Role.DIRECTOR)
    application = make_application(organisation)
    for number in range(4):
        make_application(organisation, name=f"Ansökan {number}")
    with django_assert_max_num_queries(15):
        assert client.get(reverse("projects:application_list")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("projects:application_detail", args=[application.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("projects:application_edit", args=[application.pk])).status_code == 200
