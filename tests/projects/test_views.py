import pytest
from django.urls import reverse

from core.models import Role
from projects.models import ParticipantReport, Project, ProjectStatusChange

from .factories import AGE, cat_key, make_project, make_report

pytestmark = pytest.mark.django_db


def _project_post(**overrides):
    data = {
        "name": "Framsteg Norsjömodellen",
        "short_name": "Framsteg",
        "kind": Project.Kind.FINSAM,
        "orientation": Project.Orientation.INDIVIDUAL,
        "follow_up_method": Project.FollowUp.MANUAL,
        "report_period": Project.ReportPeriod.YEAR,
        "executor_name": "Norsjö kommun",
        "starts_on": "2019-05-01",
        "ends_on": "2020-12-31",
    }
    data.update(overrides)
    return data


def test_the_director_registers_an_insats_from_the_list(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    listing = client.get(reverse("projects:project_list"))
    assert reverse("projects:project_create") in listing.content.decode()
    form = client.get(reverse("projects:project_create"))
    assert "Unga som riskerar att hamna i långvarigt utanförskap" in form.content.decode()
    response = client.post(reverse("projects:project_create"), _project_post())
    project = Project.objects.get(organisation=organisation)
    assert response.status_code == 302 and response.url == reverse("projects:project_detail", args=[project.pk])
    assert ProjectStatusChange.objects.filter(project=project, status=Project.Status.APPLICATION).exists()
    page = client.get(response.url).content.decode()
    assert "Framsteg Norsjömodellen" in page and "Finsam-projekt" in page


def test_the_form_keeps_what_was_typed_and_names_the_field(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    response = client.post(reverse("projects:project_create"), _project_post(ends_on="2018-01-01"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Slutdatum kan inte ligga före startdatum." in page
    assert 'value="Framsteg Norsjömodellen"' in page
    assert not Project.objects.exists()


def test_locked_fields_stay_once_reports_exist(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    project = make_project(organisation)
    make_report(project)
    response = client.post(
        reverse("projects:project_edit", args=[project.pk]),
        _project_post(orientation=Project.Orientation.STRUCTURAL, esf_funded="on", name="Nytt namn"),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.orientation, project.esf_funded) == ("Nytt namn", "individual", False)
    page = client.get(reverse("projects:project_edit", args=[project.pk])).content.decode()
    assert "Registrera en ny insats i stället." in page


def test_another_organisations_insats_is_404(client_for, organisation, other_organisation):
    project = make_project(other_organisation)
    report = make_report(project)
    client = client_for(organisation, Role.DIRECTOR)
    assert client.get(reverse("projects:project_detail", args=[project.pk])).status_code == 404
    assert client.get(reverse("projects:report_detail", args=[report.pk])).status_code == 404


def _grid_post(organisation, action="save", **cells):
    data = {"action": action, "comment": ""}
    data["c__carried_over__woman"] = cells.get("carried_woman", "10")
    data["c__enrolled__woman"] = cells.get("enrolled_woman", "2")
    data["c__exited__woman"] = cells.get("exited_woman", "3")
    data[f"c__{cat_key(organisation, AGE, '16 - 29 år')}__woman"] = cells.get("young_woman", "12")
    return data


def test_grid_entry_computes_totals_and_submits(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    project = make_project(organisation)
    report = make_report(project)
    url = reverse("projects:report_detail", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'name="c__carried_over__woman"' in page
    response = client.post(url, _grid_post(organisation, action="submit"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_locked
    page = client.get(url).content.decode()
    assert 'name="c__carried_over__woman"' not in page  # read-only once submitted
    assert 'data-computed="active" data-gender="woman">12<' in page
    assert "Rätta rapporten (ny version)" in page


def test_impossible_figures_block_submission_and_are_listed(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    report = make_report(make_project(organisation))
    url = reverse("projects:report_detail", args=[report.pk])
    response = client.post(url, _grid_post(organisation, action="submit", exited_woman="20", young_woman="5"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Avslutade under perioden, kvinnor: 20 är fler än" in page
    assert "Åldersgrupp, kvinnor: summan 5 stämmer inte med antalet aktiva deltagare (12)." in page
    report.refresh_from_db()
    assert report.status == ParticipantReport.Status.DRAFT
    assert 'name="c__exited__woman" value="20"' in page  # what was typed stays


def test_a_typo_in_a_cell_is_named_and_nothing_is_saved(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    report = make_report(make_project(organisation))
    url = reverse("projects:report_detail", args=[report.pk])
    response = client.post(url, _grid_post(organisation, carried_woman="tio"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Inskrivna vid periodens början, kvinnor: ange ett heltal" in page
    assert 'value="tio"' in page
    assert not report.counts.exists()


def test_a_locked_report_refuses_posts_and_corrections_make_versions(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    report = make_report(make_project(organisation))
    url = reverse("projects:report_detail", args=[report.pk])
    client.post(url, _grid_post(organisation, action="submit"))
    client.post(url, _grid_post(organisation, carried_woman="99"))
    report.refresh_from_db()
    assert report.counts.get(key="carried_over", gender="woman").value == 10
    response = client.post(reverse("projects:report_correct", args=[report.pk]), {"reason": "Fel i inskrivna"})
    correction = ParticipantReport.objects.get(version=2)
    assert response.url == reverse("projects:report_detail", args=[correction.pk])
    page = client.get(reverse("projects:report_detail", args=[correction.pk])).content.decode()
    assert "Fel i inskrivna" in page and "Version 1" in page
    assert client.get(url).status_code == 200  # the older version stays readable


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER])
def test_revisor_and_ledamot_read_reports_and_change_nothing(client_for, organisation, role):
    report = make_report(make_project(organisation))
    client = client_for(organisation, role)
    url = reverse("projects:report_detail", args=[report.pk])
    page = client.get(url).content.decode()
    assert "Deltagarrapport Helår 2019" in page and 'name="c__' not in page
    assert client.post(url, _grid_post(organisation, action="submit")).status_code == 403
    assert client.get(reverse("projects:project_create")).status_code == 403
    assert "Insatser" in client.get(reverse("projects:project_list")).content.decode()


def test_the_secretary_has_no_insatser(client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    assert client.get(reverse("projects:project_list")).status_code == 403


def test_parts_of_an_insats_are_added_from_its_page(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    project = make_project(organisation)
    detail = reverse("projects:project_detail", args=[project.pk])
    page = client.get(detail).content.decode()
    for name in ("party_create", "budget_year_save", "sub_project_create", "project_status", "report_create"):
        assert reverse(f"projects:{name}", args=[project.pk]) in page
    client.post(
        reverse("projects:party_create", args=[project.pk]), {"name": "Arbetsförmedlingen", "role": "Samverkanspart"}
    )
    client.post(
        reverse("projects:budget_year_save", args=[project.pk]),
        {"year": 2019, "granted_grant": "100000", "co_financing": "50000.40", "own_contribution": "0"},
    )
    client.post(reverse("projects:sub_project_create", args=[project.pk]), {"code": "7354", "name": "Skolinsatser"})
    response = client.post(reverse("projects:sub_project_create", args=[project.pk]), {"code": "7354", "name": "Igen"})
    assert "Projektkoden 7354 används redan av Skolinsatser" in response.content.decode()
    client.post(
        reverse("projects:project_status", args=[project.pk]), {"status": "granted", "changed_on": "2030-01-01"}
    )
    page = client.get(detail).content.decode()
    assert "Arbetsförmedlingen" in page and "150\xa0000\xa0kr" in page and "7354" in page and "Beviljad" in page
    project.refresh_from_db()
    assert project.status == "granted" and project.status_changes.count() == 2


def test_a_structural_report_counts_per_activity_and_organisation(client_for, organisation):
    from projects import project_services

    from .factories import category, director

    client = client_for(organisation, Role.DIRECTOR)
    project = make_project(organisation, orientation=Project.Orientation.STRUCTURAL, name="NAFS")
    party = project_services.party_create(project=project, actor=director(organisation), name="Region Västerbotten")
    report = make_report(project)
    url = reverse("projects:report_detail", args=[report.pk])
    page = client.get(url).content.decode()
    assert "Kartläggningar och behovsanalyser" in page and "Organisation ej angiven" in page
    assert 'name="c__carried_over__woman"' not in page
    activity = category(organisation, "structural_activity", "Kartläggningar och behovsanalyser").pk
    data = {
        "action": "submit",
        f"c__struct:{activity}:{party.pk}__woman": "33",
        f"c__struct:{activity}:{party.pk}__man": "21",
        f"c__struct:{activity}:0__man": "2",
    }
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.is_locked
    page = client.get(url).content.decode()
    assert f'data-section-total="structural_activity:{activity}" data-gender="total">56<' in page


def test_category_lists_are_edited_from_their_page(client_for, organisation):
    from projects.models import Category, CategoryList

    from .factories import category

    client = client_for(organisation, Role.DIRECTOR)
    make_project(organisation)
    page = client.get(reverse("projects:category_list")).content.decode()
    assert "16 - 29 år" in page and "Annan (egen kontakt)" in page
    age = CategoryList.objects.get(organisation=organisation, key="age_group")
    response = client.post(
        reverse("projects:category_create", args=[age.pk]), {"label": "65 - 70 år", "age_from": "65", "age_to": "70"}
    )
    assert response.status_code == 302
    assert Category.objects.get(category_list=age, label="65 - 70 år").outside_working_age
    duplicate = client.post(reverse("projects:category_create", args=[age.pk]), {"label": "16 - 29 år"})
    assert "Listan har redan kategorin ”16 - 29 år”." in duplicate.content.decode()
    referrer = category(organisation, "referrer", "Region VB")
    client.post(reverse("projects:category_edit", args=[referrer.pk]), {"label": "Region Västerbotten", "active": ""})
    referrer.refresh_from_db()
    assert (referrer.label, referrer.active) == ("Region Västerbotten", False)
