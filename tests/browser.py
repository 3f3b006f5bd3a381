"""Helpers for the browser tests: Debian's Chromium, logging in, and axe-core checks.

The `browser` and `page` fixtures are in tests/conftest.py so that every test module shares one Playwright
(its sync API refuses a second one in the same process).
"""

import os

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def login(page, username, password="demo"):
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/konto/logga-in/" not in url)


def switch_organisation(page, name: str) -> None:
    """The header's organisation switch, waiting for the confirmation."""
    page.get_by_label("Organisation", exact=True).select_option(label=name)
    page.get_by_role("button", name="Byt", exact=True).click()
    page.get_by_text(f"Du arbetar nu i {name}").first.wait_for()


def forecast_refused_then_saved(page, unit: str, amount: str, comment: str) -> None:
    """From the uppföljning: a prognos for `unit` without a comment is refused and keeps the typed amount; with
    the comment it is saved."""
    page.get_by_role("link", name=f"Ändra prognos för {unit}").click()
    page.get_by_role("heading", level=1, name=f"Prognos helår: {unit}").wait_for()
    page.get_by_label("Prognos helår (kr)").fill(amount)
    page.get_by_label("Kommentar").fill("")
    page.get_by_role("button", name="Spara prognos").click()
    page.locator("#form-errors").get_by_text("Skriv en kommentar som förklarar prognosen").wait_for()
    assert page.get_by_label("Prognos helår (kr)").input_value() == amount
    page.get_by_label("Kommentar").fill(comment)
    page.get_by_role("button", name="Spara prognos").click()
    page.get_by_text(f"Prognosen för {unit} är sparad.").wait_for()


def assert_accessible(page, what: str) -> None:
    """axe-core on the current page: no serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_timeout(200)  # Bootstrap's colour transitions (0.15 s) end before axe reads the contrast
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    details = "\n".join(
        f"{v['impact']}: {v['id']} – {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in bad
    )
    assert not bad, f"axe hittade allvarliga brister på {what}:\n{details}"
