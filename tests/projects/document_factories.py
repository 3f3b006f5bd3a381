"""Lägesrapporter and projektansökningar for tests, through the services as a förbundschef would make them."""

from __future__ import annotations

import datetime as dt

from projects import application_services, project_services, status_report_services
from projects.models import Goal, Project

from .factories import ACTIVITY, cat_key, director, make_project

COSTS = [
    {"cost_type": "Löner arbetad tid", "budget": "900000", "outcome": "855800"},
    {"cost_type": "Övriga främmande tjänster", "budget": "200000", "outcome": "245200"},
    {"cost_type": "Diverse kostnader", "budget": "", "outcome": "30800"},
]


def make_status_report(organisation, actor=None, project=None, *, filled=True, start=None, end=None):
    actor = actor or director(organisation)
    if project is None:
        project = make_project(
            organisation,
            actor,
            name=f"Socioekonomi {Project.objects.filter(organisation=organisation).count() + 1}",
            kind=Project.Kind.STATE_GRANT,
            orientation=Project.Orientation.STRUCTURAL,
        )
        project_services.sub_project_create(project=project, actor=actor, code=f"73{project.pk:04d}", name="Skola")
    report = status_report_services.status_report_create(
        project=project, actor=actor, period_start=start or dt.date(2019, 1, 1), period_end=end or dt.date(2019, 12, 31)
    )
    if filled:
        report = status_report_services.status_report_update(
            report=report,
            actor=actor,
            recipient="Tillväxtverket",
            area_summaries=[{**row, "text": "Läget är gott."} for row in report.area_summaries],
            activities=[{"activity": "Samverkansmöten", "result": "Ökad samsyn; fortsätter 2020."}],
            deviations="Familjecentralen har dragit ut på tiden.",
            work_process="Samordnaren har haft ansvaret.",
            economy_comment="Utfallet följer budgeten.",
            cost_rows=COSTS,
            information="På kommunens webbplats.",
            other="",
            signed_on=dt.date(2020, 3, 6),
            signed_place="Kopparberg",
            signed_name="Karin Lindqvist",
            signed_role="Projektledare",
        )
    return report


def application_data(organisation, **overrides) -> dict:
    data = {
        "name": "Samverkan Ljusnarsberg",
        "short_name": "Samverkan",
        "kind": Project.Kind.FINSAM,
        "orientation": Project.Orientation.INDIVIDUAL,
        "applied_on": dt.date(2010, 11, 19),
        "recipient": "SOFINT",
        "applicant": "Ljusnarsbergs kommun",
        "project_leader": "Jonas Berg",
        "starts_on": dt.date(2011, 1, 1),
        "ends_on": dt.date(2013, 12, 31),
        "parties": [{"name": "Arbetsförmedlingen", "role": "Part"}, {"name": "Försäkringskassan", "role": "Part"}],
        "steering_group": "En representant per part.",
        "background": "Hög arbetslöshet.",
        "purpose": "Bättre samordning.",
        "target_group": "Ungdomar 18–29 år.",
        "goals": [
            {"title": "Tidigt stöd", "is_sub": False},
            {
                "title": "Minst 20 ungdomar har en individuell handlingsplan",
                "is_sub": True,
                "deadline": dt.date(2011, 6, 30),
                "target_key": cat_key(organisation, ACTIVITY, "Individuell handlingsplan"),
                "comparison": Goal.Comparison.COUNT,
                "target_value": 20,
            },
            {
                "title": "Minst 75 % av de kartlagda har erbjudits en aktivitet",
                "is_sub": True,
                "target_key": cat_key(organisation, ACTIVITY, "Praktik"),
                "comparison": Goal.Comparison.SHARE,
                "target_value": 75,
                "base_key": cat_key(organisation, ACTIVITY, "Kartläggning"),
            },
        ],
        "budget_rows": [
            {"year": 2011, "cost_type": "Samordnare 100 %", "amount": "520000"},
            {"year": 2011, "cost_type": "Socionom 50 %", "amount": "230000"},
            {"year": 2012, "cost_type": "Samordnare 100 %", "amount": "520000"},
        ],
        "follow_up": "Kvartalsvis lägesrapport.",
        "evaluation": "Årlig utvärdering.",
        "signatures": [{"name": "Jonas Berg", "role": "Projektledare"}],
    }
    data.update(overrides)
    return data


def make_application(organisation, actor=None, *, status="draft", **overrides):
    from projects.category_services import category_lists_ensure

    actor = actor or director(organisation)
    category_lists_ensure(organisation=organisation, actor=actor)
    application = application_services.application_create(
        organisation=organisation, actor=actor, **application_data(organisation, **overrides)
    )
    if status in {"submitted", "approved", "rejected"}:
        application = application_services.application_submit(application=application, actor=actor)
    if status == "approved":
        application_services.application_approve(application=application, actor=actor, decided_on=dt.date(2010, 12, 15))
        application.refresh_from_db()
    if status == "rejected":
        application = application_services.application_reject(
            application=application, actor=actor, decided_on=dt.date(2010, 12, 15)
        )
    return application
