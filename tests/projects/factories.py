"""Factories for insatser and reports: through the services, as a förbundschef would create them."""

from __future__ import annotations

from core.models import Role
from projects import project_services, report_services
from projects.models import Category, CategoryList, Project
from tests.factories import user_with_role


def director(organisation):
    return user_with_role(organisation, Role.DIRECTOR)


def make_project(organisation, actor=None, **overrides) -> Project:
    actor = actor or director(organisation)
    data = {
        "name": "Arbetsmarknadstorget",
        "short_name": "AMT",
        "kind": Project.Kind.ORDINARY,
        "orientation": Project.Orientation.INDIVIDUAL,
        "executor_name": "Skellefteå kommun",
    }
    data.update(overrides)
    return project_services.project_create(organisation=organisation, actor=actor, **data)


def category(organisation, key: str, label: str) -> Category:
    return Category.objects.get(category_list__organisation=organisation, category_list__key=key, label=label)


def cat_key(organisation, key: str, label: str) -> str:
    return f"cat:{category(organisation, key, label).pk}"


def make_report(project, actor=None, year=2019, period_number=1, values=None):
    actor = actor or director(project.organisation)
    report = report_services.report_create(project=project, actor=actor, year=year, period_number=period_number)
    if values:
        report = report_services.report_save_counts(report=report, actor=actor, values=values)
    return report


AGE = CategoryList.Key.AGE_GROUP
EXIT = CategoryList.Key.INCOME_AT_EXIT
ACTIVITY = CategoryList.Key.ACTIVITY
