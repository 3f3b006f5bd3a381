import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects import project_selectors, project_services, report_services
from projects.models import BudgetYear, CategoryList, Project, ProjectParty

from .factories import category, director, make_project, make_report

pytestmark = pytest.mark.django_db


def test_create_records_status_history_and_audit(organisation):
    actor = director(organisation)
    group = None
    project = make_project(organisation, actor=actor)
    group = category(organisation, CategoryList.Key.TARGET_GROUP, "Nyanlända/utrikes födda")
    project_services.project_update(project=project, actor=actor, target_groups=[group], name="AMT")
    assert list(project.target_groups.all()) == [group]
    assert project.history.first().history_user == actor
    change = project_services.project_set_status(
        project=project, actor=actor, status=Project.Status.ONGOING, changed_on=dt.date.today(), note="Startat"
    )
    assert change.changed_by == actor
    assert [row.status for row in project.status_changes.order_by("pk")] == ["application", "ongoing"]
    with pytest.raises(ValidationError):
        project_services.project_set_status(
            project=project, actor=actor, status=Project.Status.FINISHED, changed_on=dt.date(2000, 1, 1)
        )


@pytest.mark.parametrize(
    ("field", "value", "word"),
    [
        ("orientation", Project.Orientation.STRUCTURAL, "Inriktningen"),
        ("follow_up_method", Project.FollowUp.REGISTER, "Uppföljningsmetoden"),
        ("esf_funded", True, "ESF-finansieringen"),
    ],
)
def test_fields_the_follow_up_counts_by_are_fixed_once_reports_exist(organisation, field, value, word):
    actor = director(organisation)
    project = make_project(organisation, actor=actor)
    original = getattr(project, field)
    project_services.project_update(project=project, actor=actor, **{field: value})  # no report yet: allowed
    project_services.project_update(project=project, actor=actor, **{field: original})
    make_report(project, actor=actor)
    with pytest.raises(ValidationError) as caught:
        project_services.project_update(project=project, actor=actor, **{field: value})
    message = caught.value.message_dict[field][0]
    assert message.startswith(word) and "Registrera en ny insats i stället." in message
    project.refresh_from_db()
    assert getattr(project, field) == original


def test_target_groups_of_another_organisation_are_refused(organisation, other_organisation):
    make_project(other_organisation)
    foreign = category(other_organisation, CategoryList.Key.TARGET_GROUP, "Nyanlända/utrikes födda")
    with pytest.raises(ValidationError):
        make_project(organisation, target_groups=[foreign])


def test_budget_per_year_is_decimal_and_replaced_by_year(organisation):
    actor = director(organisation)
    project = make_project(organisation, actor=actor)
    for grant in ("100000.50", "200000.25"):
        project_services.budget_year_save(
            project=project,
            actor=actor,
            year=2019,
            granted_grant=Decimal(grant),
            co_financing=Decimal("10"),
            own_contribution=Decimal("0.25"),
        )
    row = BudgetYear.objects.get(project=project)
    assert row.total == Decimal("200010.50")
    with pytest.raises(ValidationError):
        project_services.budget_year_save(
            project=project,
            actor=actor,
            year=2020,
            granted_grant=Decimal("-1"),
            co_financing=Decimal("0"),
            own_contribution=Decimal("0"),
        )


def test_project_codes_are_unique_in_the_organisation(organisation, other_organisation):
    actor = director(organisation)
    first = make_project(organisation, actor=actor)
    second = make_project(organisation, actor=actor, name="MySam")
    project_services.sub_project_create(project=first, actor=actor, code="7354", name="Riktade grundskoleinsatser")
    with pytest.raises(ValidationError) as caught:
        project_services.sub_project_create(project=second, actor=actor, code=" 7354 ", name="Annat")
    assert "Projektkoden 7354 används redan av Riktade grundskoleinsatser" in caught.value.messages[0]
    other = make_project(other_organisation)
    project_services.sub_project_create(project=other, actor=director(other_organisation), code="7354", name="Eget")


def test_a_party_in_a_structural_report_cannot_be_removed(organisation):
    actor = director(organisation)
    project = make_project(organisation, actor=actor, orientation=Project.Orientation.STRUCTURAL)
    party = project_services.party_create(project=project, actor=actor, name="Region Västerbotten")
    report = make_report(project, actor=actor)
    activity = category(organisation, CategoryList.Key.STRUCTURAL_ACTIVITY, "Utbildningar och kompetensinsatser")
    key = f"struct:{activity.pk}:{party.pk}"
    report_services.report_save_counts(report=report, actor=actor, values={(key, "woman"): 3, (key, "man"): 2})
    with pytest.raises(ValidationError):
        project_services.party_remove(party=party, actor=actor)
    assert ProjectParty.objects.filter(pk=party.pk).exists()


def test_list_is_scoped_to_the_organisation(organisation, other_organisation):
    make_project(organisation)
    make_project(other_organisation, name="Annans")
    names = [row.name for row in project_selectors.project_list(organisation=organisation)]
    assert names == ["Arbetsmarknadstorget"]


def test_project_codes_for_finance_are_the_organisations_own(organisation, other_organisation):
    actor = director(organisation)
    project = make_project(organisation, actor=actor)
    for code in ("7358", "7354"):
        project_services.sub_project_create(project=project, actor=actor, code=code, name=f"Delprojekt {code}")
    other = make_project(other_organisation)
    project_services.sub_project_create(project=other, actor=director(other_organisation), code="9999", name="Annat")
    codes = [(row.code, row.project.name) for row in project_selectors.project_codes(organisation=organisation)]
    assert codes == [("7354", "Arbetsmarknadstorget"), ("7358", "Arbetsmarknadstorget")]
