"""The main menu. Each entry names the permission that shows it, so every role sees only what it may use."""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from .permissions import roles_for


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    perm: str
    # URL prefix that marks the entry active; defaults to the entry's own URL.
    section: str = ""


MENU: list[MenuEntry] = [
    MenuEntry("Översikt", "core:dashboard", "core.view"),
    MenuEntry("Organisation", "core:organisation_detail", "core.view", "/organisation/"),
    MenuEntry("Organ", "meetings:committee_list", "meetings.view", "/organ/"),
    MenuEntry("Ärenden", "cases:case_list", "meetings.view", "/arenden/"),
    MenuEntry("Sammanträden", "agenda:meeting_list", "meetings.view", "/sammantraden/"),
    MenuEntry("Protokoll", "noticeboard:posting_overview", "meetings.view", "/anslagstavla/hantera/"),
    MenuEntry("Register", "registers:delegated_list", "meetings.view", "/register/"),
    MenuEntry("Insatser", "projects:project_list", "projects.view", "/insatser/"),
    MenuEntry("Deltagarregister", "register:register_home", "projects.register", "/deltagarregister/"),
    MenuEntry("Ekonomi", "finance:overview", "finance.view", "/ekonomi/"),
    MenuEntry("Dokument", "reporting:job_list", "reporting.view", "/dokument/"),
    MenuEntry("Användare", "core:user_list", "core.manage_users", "/anvandare/"),
    MenuEntry("Granskningslogg", "core:audit_list", "core.view_audit", "/granskning/"),
]


@lru_cache(maxsize=256)
def _entries(roles: frozenset[str], urlconf, prefix: str) -> tuple[tuple[MenuEntry, str, str], ...]:
    """(entry, url, section) of every entry these roles see: the same for every request with the same roles."""
    found = []
    for entry in MENU:
        try:
            if not roles_for(entry.perm) & roles:
                continue
            url = reverse(entry.url_name, urlconf=urlconf)
        except (LookupError, NoReverseMatch):
            continue  # an app not installed in this deployment
        found.append((entry, url, entry.section or url))
    return tuple(found)


def menu_for(request) -> list[dict]:
    # has_perm's rule: nothing without a user and a current organisation; then the roles held there.
    if not request.user.is_authenticated or getattr(request, "organisation", None) is None:
        return []
    items = []
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    for entry, url, section in _entries(frozenset(request.roles), urlconf, get_script_prefix()):
        active = (
            request.path == url
            if section == "/" or entry.url_name == "core:dashboard"
            else (request.path.startswith(section))
        )
        items.append({"label": entry.label, "url": url, "active": active, "key": entry.url_name})
    return items
