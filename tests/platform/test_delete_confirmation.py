"""Issue 7, point 17: every delete asks first. A form that posts to a ".../ta-bort/" URL (a *_remove view) carries
data-confirm, which static/js/paragraf.js turns into a modal <dialog> (CSP-safe: no inline script); the browser
test in tests/meetings/test_confirm_browser.py checks the dialog and the keyboard focus."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
REMOVE_FORM = re.compile(r"<form\b[^>]*\{% url '[a-z_]+:[a-z_]*(?:remove|delete)'[^>]*>", re.S)


def test_every_delete_form_asks_for_confirmation():
    forms = {}
    for path in TEMPLATES.rglob("*.html"):
        for match in REMOVE_FORM.finditer(path.read_text(encoding="utf-8")):
            forms.setdefault(str(path.relative_to(TEMPLATES)), []).append(match.group(0))
    assert len([form for found in forms.values() for form in found]) >= 7, forms  # the test finds the forms
    missing = {name: [f for f in found if "data-confirm=" not in f] for name, found in forms.items()}
    assert not any(missing.values()), missing


def test_the_dialog_script_is_a_static_file():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "paragraf.js").read_text(encoding="utf-8")
    assert "form[data-confirm]" in script and "showModal" in script and "returnFocus.focus()" in script
