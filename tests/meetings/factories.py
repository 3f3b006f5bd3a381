"""Factories for the meeting cycle: series, ärenden, sammanträden, agenda items, protokoll."""

import datetime as dt

import factory

from meetings.models import AgendaItem, Case, CaseNumberSeries, Meeting, Minutes
from tests.factories import CommitteeFactory


class CaseNumberSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNumberSeries

    committee = factory.SubFactory(CommitteeFactory)
    organisation = factory.SelfAttribute("committee.organisation")
    name = factory.Sequence(lambda n: f"Serie {n}")
    pattern = "{committee} {year}/{seq}"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    date = dt.date(2019, 11, 28)
    start_time = dt.time(9, 0)
    end_time = dt.time(15, 0)
    place = "Hörnellgatan 17, sammanträdesrum, vån 3"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = "case"
    title = factory.Sequence(lambda n: f"Ärende {n}")


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Minutes

    meeting = factory.SubFactory(MeetingFactory)


__all__ = ["AgendaItemFactory", "Case", "CaseNumberSeriesFactory", "MeetingFactory", "MinutesFactory"]
