import pytest
from django.test import Client

from core.models import Role

from .factories import OrganisationFactory, user_with_role


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: ids repeat across rolled-back tests, cached pages must not."""
    from django.core.cache import cache

    from core.http_cache import forget_recent

    cache.clear()
    forget_recent()
    yield
    cache.clear()
    forget_recent()


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Ljusnarsbergs kommun")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Annan kommun")


@pytest.fixture
def client_for(db):
    """client_for(organisation, role) -> a logged-in Client whose user holds that role there."""

    def make(organisation, role=Role.ADMIN, **user_kwargs):
        user = user_with_role(organisation, role, **user_kwargs)
        client = Client()
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def admin_client_org(client_for, organisation):
    return client_for(organisation, Role.ADMIN)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Playwright's sync API allows one per process)."""
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context on the live server; `page.csp_errors` collects Content-Security-Policy reports."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_errors = []
    page.on("console", lambda msg: page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    context.close()


CHROMIUM = "/usr/bin/chromium"


def pytest_report_header(config):
    import os

    from django.conf import settings

    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    browser = "Chromium" if os.path.exists(CHROMIUM) else "saknas – webbläsartester hoppas över"
    worker = "ja" if os.environ.get("CELERY_WORKER_TESTS") == "1" else "nej – arbetartester hoppas över"
    return [f"paragraf: databas={db}, webbläsare={browser}, riktig Celery-arbetare={worker}"]


def pytest_collection_modifyitems(config, items):
    import os

    skip_browser = pytest.mark.skip(reason="/usr/bin/chromium saknas (installera Debians chromium)")
    skip_worker = pytest.mark.skip(reason="sätt CELERY_WORKER_TESTS=1 med REDIS_URL och en startad arbetare")
    for item in items:
        if "browser" in item.keywords and not os.path.exists(CHROMIUM):
            item.add_marker(skip_browser)
        if "worker" in item.keywords and os.environ.get("CELERY_WORKER_TESTS") != "1":
            item.add_marker(skip_worker)
