"""URL name -> builder of URL kwargs for an object of the given organisation (see url_catalogue.py)."""


def _series(organisation) -> dict:
    from tests.factories import CommitteeFactory
    from tests.meetings.factories import CaseNumberSeriesFactory

    return {"pk": CaseNumberSeriesFactory(committee=CommitteeFactory(organisation=organisation)).pk}


def _case(organisation) -> dict:
    from core.models import Role
    from meetings.case_services import case_register
    from tests.factories import CommitteeFactory, user_with_role
    from tests.meetings.factories import CaseNumberSeriesFactory

    series = CaseNumberSeriesFactory(committee=CommitteeFactory(organisation=organisation))
    actor = user_with_role(organisation, Role.SECRETARY)
    return {"pk": case_register(organisation=organisation, actor=actor, series=series, title="Testärende").pk}


BUILDERS: dict = {
    "cases:series_edit": _series,
    "cases:case_detail": _case,
    "cases:case_edit": _case,
    "cases:officer_report_edit": _case,
    "cases:attachment_add": _case,
}
