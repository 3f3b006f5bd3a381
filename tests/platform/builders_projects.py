"""URL name -> builder of URL kwargs for an object of the given organisation (see url_catalogue.py)."""


def _project(organisation):
    from tests.projects.factories import make_project

    return make_project(organisation)


def _project_kwargs(organisation) -> dict:
    return {"pk": _project(organisation).pk}


def _party(organisation) -> dict:
    from projects.models import ProjectParty

    return {"pk": ProjectParty.objects.create(project=_project(organisation), name="Arbetsförmedlingen").pk}


def _budget_year(organisation) -> dict:
    from projects.models import BudgetYear

    return {"pk": BudgetYear.objects.create(project=_project(organisation), year=2019).pk}


def _sub_project(organisation) -> dict:
    from projects.models import SubProject

    project = _project(organisation)
    code = str(7354 + SubProject.objects.filter(organisation=organisation).count())
    return {"pk": SubProject.objects.create(organisation=organisation, project=project, code=code, name="Skola").pk}


def _report(organisation) -> dict:
    from tests.projects.factories import make_report

    return {"pk": make_report(_project(organisation)).pk}


def _category_list(organisation) -> dict:
    from projects.category_services import category_lists_ensure

    return {"pk": category_lists_ensure(organisation=organisation)[0].pk}


def _category(organisation) -> dict:
    from projects.category_services import category_lists_ensure

    return {"pk": category_lists_ensure(organisation=organisation)[0].categories.first().pk}


def _goal(organisation) -> dict:
    from projects.models import Goal

    return {"pk": Goal.objects.create(project=_project(organisation), title="Minst 20 deltagare").pk}


def _indicator(organisation) -> dict:
    from projects.models import IndicatorResult

    row = IndicatorResult.objects.create(project=_project(organisation), year=2019, indicator="Upplevelse", value=80)
    return {"pk": row.pk}


def _staff(organisation) -> dict:
    from core.models import Role
    from projects.models import ProjectStaff
    from tests.factories import user_with_role

    user = user_with_role(organisation, Role.PARTICIPANT_OFFICER)
    return {"pk": ProjectStaff.objects.create(project=_project(organisation), user=user).pk}


def _register_project(organisation):
    """An insats of a förbund that `organisation` (a member kommun) runs with the participant register."""
    from core.models import Organisation
    from projects.models import Project
    from tests.factories import FederationMemberFactory, OrganisationFactory
    from tests.projects.factories import make_project

    federation = OrganisationFactory(kind=Organisation.Kind.FEDERATION)
    FederationMemberFactory(federation=federation, member=organisation)
    return make_project(federation, executor_organisation=organisation, follow_up_method=Project.FollowUp.REGISTER)


def _register_project_kwargs(organisation) -> dict:
    return {"pk": _register_project(organisation).pk}


def _register_import(organisation) -> dict:
    from projects.models import RegisterImport

    job = RegisterImport.objects.create(
        organisation=organisation, project=_register_project(organisation), filename="deltagare.xlsx", status="done"
    )
    return {"pk": job.pk}


def _register_participant(organisation) -> dict:
    import datetime as dt

    from core.models import Role
    from projects import register_services
    from tests.factories import user_with_role

    project = _register_project(organisation)
    keeper = user_with_role(organisation, Role.ADMIN)
    participant = register_services.participant_enrol(
        organisation=organisation,
        project=project,
        actor=keeper,
        gender="woman",
        consent=True,
        consent_on=dt.date(2019, 2, 1),
        enrolled_on=dt.date(2019, 2, 1),
        birth_year=1995,
    )
    return {"pk": participant.pk}


def _register_staff(organisation) -> dict:
    from core.models import Role
    from projects import register_services
    from tests.factories import user_with_role

    user = user_with_role(organisation, Role.PARTICIPANT_OFFICER)
    row = register_services.register_staff_add(
        organisation=organisation, project=_register_project(organisation), user=user, actor=user
    )
    return {"pk": row.pk}


BUILDERS: dict = {
    # The participant register (register_urls): objects of the utförare, never of the förbund.
    **{
        f"register:{name}": _register_project_kwargs
        for name in ("register_list", "participant_enrol", "register_report", "report_preview", "staff")
    },
    **{
        f"register:{name}": _register_participant
        for name in ("participant_detail", "participant_edit", "participant_exit", "participant_extract")
    },
    "register:staff_remove": _register_staff,
    **{
        f"projects:{name}": _project_kwargs
        for name in (
            "project_detail",
            "project_edit",
            "project_status",
            "party_create",
            "budget_year_save",
            "sub_project_create",
            "report_create",
            "goal_create",
            "indicator_create",
            "indicator_import",
            "staff_add",
        )
    },
    "projects:party_edit": _party,
    "projects:party_remove": _party,
    "projects:budget_year_remove": _budget_year,
    "projects:sub_project_edit": _sub_project,
    "projects:sub_project_remove": _sub_project,
    "projects:report_detail": _report,
    "projects:report_correct": _report,
    **{f"projects:{name}": _report for name in ("report_export", "report_template", "report_import")},
    **{
        f"projects:{name}": _register_project_kwargs
        for name in ("register_template", "register_export", "register_import")
    },
    "projects:register_import_detail": _register_import,
    "projects:register_import_progress": _register_import,
    "projects:category_create": _category_list,
    "projects:category_edit": _category,
    **{f"projects:{name}": _goal for name in ("goal_edit", "goal_remove", "goal_assess")},
    "projects:indicator_remove": _indicator,
    "projects:staff_remove": _staff,
}

# Lägesrapporter and projektansökningar keep their builders in a module of their own.
from tests.platform.builders_project_documents import BUILDERS as _DOCUMENT_BUILDERS  # noqa: E402

BUILDERS.update(_DOCUMENT_BUILDERS)
