"""The main menu. Each entry names the permission that shows it, so every role sees only what it may use."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from .permissions import has_perm


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
    MenuEntry("Ekonomi", "finance:overview", "finance.view", "/ekonomi/"),
    MenuEntry("Dokument", "reporting:job_list", "reporting.view", "/dokument/"),
    MenuEntry("Användare", "core:user_list", "core.manage_users", "/anvandare/"),
    MenuEntry("Granskningslogg", "core:audit_list", "core.view_audit", "/granskning/"),
]


def menu_for(request) -> list[dict]:
    items = []
    for entry in MENU:
        try:
            if not has_perm(request, entry.perm):
                continue
            url = reverse(entry.url_name)
        except (LookupError, NoReverseMatch):
            continue  # an app not installed in this deployment
        section = entry.section or url
        active = (
            request.path == url
            if section == "/" or entry.url_name == "core:dashboard"
            else (request.path.startswith(section))
        )
        items.append({"label": entry.label, "url": url, "active": active, "key": entry.url_name})
    return items
