"""A förbund, a member kommun that runs an insats with the register, and its register keeper."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.models import Organisation, Role, RoleAssignment, User
from projects import register_services
from projects.models import CategoryList, Project, RegisterParticipant
from tests.factories import FederationMemberFactory, OrganisationFactory, user_with_role

from .factories import category, director, make_project

K = CategoryList.Key


@dataclass
class RegisterWorld:
    federation: Organisation
    kommun: Organisation
    project: Project
    keeper: User
    director: User

    def cat(self, key: str, label: str):
        return category(self.federation, key, label)


def make_register_world(**project_overrides) -> RegisterWorld:
    federation = OrganisationFactory(name="Samordningsförbundet Test", kind=Organisation.Kind.FEDERATION)
    kommun = OrganisationFactory(name="Skellefteå kommun")
    FederationMemberFactory(federation=federation, member=kommun)
    chief = director(federation)
    data = {"executor_organisation": kommun, "follow_up_method": Project.FollowUp.REGISTER}
    data.update(project_overrides)
    project = make_project(federation, actor=chief, **data)
    keeper = user_with_role(kommun, Role.PARTICIPANT_OFFICER)
    register_services.register_staff_add(organisation=kommun, project=project, user=keeper, actor=keeper)
    return RegisterWorld(federation, kommun, project, keeper, chief)


def also_role(user: User, organisation: Organisation, role: str) -> None:
    RoleAssignment.objects.get_or_create(user=user, organisation=organisation, role=role)


def enrol(world: RegisterWorld, *, gender="woman", enrolled_on=dt.date(2019, 2, 1), consent=True, **extra):
    data = {
        "birth_year": 1995,
        "referrer": world.cat(K.REFERRER, "Af"),
        "education": world.cat(K.EDUCATION, "Gymnasium"),
        "income_at_entry": world.cat(K.INCOME_AT_ENTRY, "A-kassa"),
        "enrolled_on": enrolled_on,
        "consent_on": enrolled_on,
    }
    data.update(extra)
    if not consent:
        data = {"enrolment_year": extra.get("enrolment_year", enrolled_on.year)}
    return register_services.participant_enrol(
        organisation=world.kommun, project=world.project, actor=world.keeper, gender=gender, consent=consent, **data
    )


def exit_(world: RegisterWorld, participant: RegisterParticipant, exited_on=dt.date(2019, 6, 1)):
    return register_services.participant_exit(
        participant=participant,
        actor=world.keeper,
        exited_on=exited_on,
        exit_reason=world.cat(K.EXIT_REASON, "Arbete"),
        income_at_exit=world.cat(K.INCOME_AT_EXIT, "Lön/Arbete"),
    )
