"""URL name -> builder of URL kwargs for an object of the given organisation (see url_catalogue.py)."""

import datetime as dt


def _delegated(organisation) -> dict:
    from meetings.models import DelegatedDecision
    from tests.factories import CommitteeFactory

    row = DelegatedDecision.objects.create(
        organisation=organisation,
        committee=CommitteeFactory(organisation=organisation),
        decided_on=dt.date(2022, 5, 3),
        delegate="Socialsekreterare",
        delegation_point="3.1",
        decision="Beviljat bistånd",
    )
    return {"pk": row.pk}


def _communication(organisation) -> dict:
    from meetings.models import Communication
    from tests.factories import CommitteeFactory

    row = Communication.objects.create(
        organisation=organisation,
        committee=CommitteeFactory(organisation=organisation),
        received_on=dt.date(2022, 5, 10),
        sender="Länsstyrelsen",
        subject="Tillsyn",
    )
    return {"pk": row.pk}


def _meeting(organisation) -> dict:
    from tests.meetings.factories import MeetingFactory

    return {"pk": MeetingFactory(committee__organisation=organisation).pk}


BUILDERS: dict = {
    "registers:delegated_edit": _delegated,
    "registers:communication_edit": _communication,
    "registers:report_to_meeting": _meeting,
}
