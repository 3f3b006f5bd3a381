"""Page query counts do not grow with the data: compared at two sizes rather than pinned, so shared middleware
changes elsewhere do not break them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Role
from projects import category_services
from projects.models import CategoryList

from .factories import director, make_project, make_report

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_insats_list_and_detail_are_constant(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    first = make_project(organisation)
    make_report(first)
    client.get(reverse("projects:project_list"))  # the first request of a session sets it up
    small = (
        _count(client, reverse("projects:project_list")),
        _count(client, reverse("projects:project_detail", args=[first.pk])),
    )
    actor = director(organisation)
    from projects import project_services

    for index in range(4):
        other = make_project(organisation, actor=actor, name=f"Insats {index}")
        make_report(other, actor=actor)
        project_services.party_create(project=first, actor=actor, name=f"Part {index}")
        project_services.sub_project_create(project=first, actor=actor, code=f"73{index}", name="Del")
    make_report(first, actor=actor, year=2020)
    large = (
        _count(client, reverse("projects:project_list")),
        _count(client, reverse("projects:project_detail", args=[first.pk])),
    )
    assert small == large


def test_report_grid_is_constant_in_the_number_of_categories(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    report = make_report(make_project(organisation))
    url = reverse("projects:report_detail", args=[report.pk])
    client.get(url)
    before = _count(client, url)
    age = CategoryList.objects.get(organisation=organisation, key=CategoryList.Key.AGE_GROUP)
    for index in range(5):
        category_services.category_create(category_list=age, actor=director(organisation), label=f"Grupp {index}")
    assert _count(client, url) == before
