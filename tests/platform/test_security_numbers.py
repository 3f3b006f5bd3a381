"""Oversized, negative and garbage numbers anywhere a URL, query string or form takes one: never a 500.

SQLite overflows above 2**63 - 1 in the driver (OverflowError); PostgreSQL stores int4 and int8 columns and
refuses values beyond them. Run this file on both (DATABASE_URL=postgres://… for PostgreSQL).

- Path ids: every URL of the project that takes an id, with each bad id: 404 (core.converters.IdConverter).
- Query strings: every page, with each parameter its GET forms name (and page/sida/organisation): no 500.
- Forms: every form of every page, one field at a time set to a bad number, the rest as the page filled them:
  a form error or a 404, no 500 (core.lookups bounds `in` and foreign-key lookups; forms bound what they save).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlencode, urljoin, urlsplit

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import Role
from core.params import parse_id

from .url_catalogue import OBJECT_BUILDERS, OTHER_PARAMS, walk

# Posting these would end the test's own session or change its password.
SKIPPED_POSTS = {"logout", "login", "password_change", "password_reset", "password_reset_confirm"}
# Query-string parameters a page might read without naming them in a form or link of its own.
COMMON_QUERY_PARAMS = ("sida", "page", "organisation", "organ")

BAD_PATH_IDS = [
    "9223372036854775808",  # 2**63: one over BigAutoField
    "9" * 25,
    "-1",
    "١٢",  # Arabic-Indic digits: int() accepts them, a URL must not
]
# Drawn by hypothesis besides those.
MORE_PATH_IDS = ["18446744073709551616", "0" * 30 + "1", "1e5", "0x10", "\0", "1.0", "+1"]
BAD_NUMBERS = [
    str(2**31),  # one over int4 (PostgreSQL integer, e.g. positions and years)
    str(2**63),
    "9" * 25,
    "-" + "9" * 25,
    "-1",
    "0",
    "1e400",
    "NaN",
    "١٢٣",
    "²",
    " 7 ",
    "1" * 400,
]
NUMBERS = st.one_of(
    st.integers(min_value=2**31 - 2, max_value=2**80).map(str),
    st.integers(min_value=-(2**80), max_value=-1).map(str),
    st.sampled_from(BAD_NUMBERS),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Pd", "Zs"]), min_size=1, max_size=30),
)

PATH_IDS = st.one_of(
    st.sampled_from(BAD_PATH_IDS + MORE_PATH_IDS),
    st.integers(min_value=2**63, max_value=2**90).map(str),
    st.text(alphabet="0123456789-+.eE ١٢²", min_size=1, max_size=30),
)

ID_ROUTES = sorted((route for route in walk() if route.takes_id), key=lambda route: route.name)


def sentinel_url(route, sentinels: dict[str, str], organisation=None) -> str | None:
    """The route reversed with a distinct sentinel id per id parameter (the caller swaps them for bad values)."""
    kwargs = dict(OTHER_PARAMS.get(route.name, {}))
    if organisation is not None and route.name in OBJECT_BUILDERS and set(route.params) - set(kwargs):
        kwargs = {**OBJECT_BUILDERS[route.name](organisation), **kwargs}  # real values for non-id parts
    for index, (param, converter) in enumerate(zip(route.params, route.converters, strict=True)):
        if converter in {"int", "id"}:
            sentinels[param] = str(987_650_000 + index)
            kwargs[param] = int(sentinels[param])
        elif param not in kwargs:
            return None
    return reverse(route.name, kwargs=kwargs)


def test_every_id_route_uses_the_bounded_converter():
    """A URL added with Django's plain <int:…> would let a 25-digit id reach the database again."""
    plain = [route.name for route in ID_ROUTES if "int" in route.converters]
    assert not plain, f"Använd <id:…> (core.converters) i stället för <int:…> i: {', '.join(plain)}"
    assert len(ID_ROUTES) >= 20


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (" 12 ", 12), ("9223372036854775807", 2**63 - 1), ("9223372036854775808", None), ("0", None)]
    + [(bad, None) for bad in ("-1", "1e5", "١٢", "²", "", None, "12a", "0x1")],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


@pytest.mark.django_db
def test_bad_ids_in_every_path_are_404(client_for, organisation):
    client = client_for(organisation, Role.ADMIN)
    failures = []
    for route in ID_ROUTES:
        sentinels: dict[str, str] = {}
        url = sentinel_url(route, sentinels, organisation)
        assert url is not None, route.name
        for bad in BAD_PATH_IDS:
            for sentinel in sentinels.values():
                bad_url = url.replace(sentinel, bad)
                for method in ("get", "post"):
                    status = getattr(client, method)(bad_url).status_code
                    if status != 404:
                        failures.append(f"{method.upper()} {bad_url} → {status}")
    assert not failures, "\n".join(failures[:40])


# --- Pages and their forms ------------------------------------------------------------------------------------


def page_urls(organisation) -> list[tuple[str, str]]:
    """(route name, URL) for every page of the project, with a real object of the organisation where it takes one."""
    urls = []
    for route in sorted(walk(), key=lambda route: route.name):
        if route.name in OBJECT_BUILDERS:
            kwargs = OBJECT_BUILDERS[route.name](organisation)
        elif route.params and route.name not in OTHER_PARAMS:
            continue
        else:
            kwargs = OTHER_PARAMS.get(route.name, {})
        urls.append((route.name, reverse(route.name, kwargs=kwargs)))
    return urls


def scrape(client: Client, pages) -> tuple[list[tuple[str, str]], list[dict]]:
    """The query parameters the pages use (in their GET forms and links) and the POST forms they render."""
    queries: set[tuple[str, str]] = set()
    forms, seen = [], set()
    for name, url in pages:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        document = lxml.html.fromstring(response.content.decode())
        queries.update((url, param) for param in COMMON_QUERY_PARAMS if param in response.content.decode())
        for href in document.xpath("//a/@href"):
            link = urlsplit(urljoin(url, href))
            if link.query and link.netloc in {"", "testserver"}:
                queries.update((link.path, param) for param in parse_qs(link.query, keep_blank_values=True))
        for form in document.forms:
            fields = [element for element in form.inputs if element.name and element.name != "csrfmiddlewaretoken"]
            action = urljoin(url, form.action or url)
            if (form.method or "GET").upper() == "GET":
                queries.update((urlsplit(action).path, element.name) for element in fields)
                continue
            if name in SKIPPED_POSTS or any(getattr(element, "type", "") == "file" for element in fields):
                continue
            values: dict[str, list[str]] = {}
            for key, value in form.form_values():
                values.setdefault(key, []).append(value)
            values.pop("csrfmiddlewaretoken", None)
            names = sorted({element.name for element in fields})
            if names and (action, tuple(names)) not in seen:
                seen.add((action, tuple(names)))
                forms.append({"page": name, "action": action, "values": values, "names": names})
    return sorted(queries), forms


class Site(tuple):
    def __repr__(self) -> str:  # hypothesis prints the fixture with a failing example: keep it short
        return f"Site({len(self[1])} query parameters, {len(self[2])} forms, {len(self[3])} id URLs)"


@pytest.fixture
def site(client_for, organisation):
    client = client_for(organisation, Role.ADMIN)
    queries, forms = scrape(client, page_urls(organisation))
    assert len(forms) >= 20 and len(queries) >= 30, (len(forms), len(queries))
    id_urls = []
    for route in ID_ROUTES:
        sentinels: dict[str, str] = {}
        id_urls.append((sentinel_url(route, sentinels, organisation), sorted(sentinels.values())))
    return Site((client, queries, forms, id_urls))


def post_one_bad_field(client: Client, form: dict, field: str, bad: str) -> int:
    data = {**form["values"], field: [bad]}
    return client.post(form["action"], data).status_code


@pytest.mark.django_db
def test_every_query_parameter_and_form_field_survives_a_25_digit_number(site):
    client, queries, forms, _ = site
    failures = []
    for url, param in queries:
        for bad in ("9" * 25,):
            status = client.get(f"{url}?{urlencode({param: bad})}").status_code
            if status >= 500:
                failures.append(f"GET {url}?{param}={bad} → {status}")
    for form in forms:
        for field in form["names"]:
            for bad in ("9" * 25,):
                status = post_one_bad_field(client, form, field, bad)
                if status >= 500:
                    failures.append(f"POST {form['action']} {field}={bad} → {status} (sidan {form['page']})")
    assert not failures, "\n".join(failures[:40])


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same examples in every run (and CI): a failure is reproducible from the log
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_number_anywhere_gives_a_500(site, data):
    client, queries, forms, id_urls = site
    where = data.draw(st.sampled_from(["path", "query", "form"]), label="where")
    if where == "path":
        url, sentinels = data.draw(st.sampled_from(id_urls), label="url")
        bad = data.draw(PATH_IDS, label="id")
        bad_url = url.replace(data.draw(st.sampled_from(sentinels), label="param"), quote(bad))
        status = client.get(bad_url).status_code
        assert status == 404 if parse_id(bad) is None else status < 500, f"GET {bad_url}"
        return
    bad = data.draw(NUMBERS, label="value")
    if where == "form":
        form = data.draw(st.sampled_from(forms), label="form")
        field = data.draw(st.sampled_from(form["names"]), label="field")
        status = post_one_bad_field(client, form, field, bad)
        assert status < 500, f"POST {form['action']} {field}={bad!r}"
    else:
        url, param = data.draw(st.sampled_from(queries), label="query")
        status = client.get(url, {param: bad}).status_code
        assert status < 500, f"GET {url}?{param}={bad!r}"


@pytest.mark.django_db
def test_sentinels_do_not_collide_with_other_url_parts(organisation):
    for route in ID_ROUTES:
        sentinels: dict[str, str] = {}
        url = sentinel_url(route, sentinels, organisation)
        for sentinel in sentinels.values():
            assert len(re.findall(sentinel, url)) == 1, url
