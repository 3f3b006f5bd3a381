"""Nothing typed is lost to an expired session.

A save (POST) to an editor after the session has ended is not thrown away: `keeps_drafts` puts the posted
fields (never files, never the CSRF token) in the cache under a random token for DRAFT_TTL seconds, notes the
token in the new anonymous session and sends the user to the login page with `next=<the form>?utkast=<token>`.
After the login (Django keeps an anonymous session's data when it logs someone in) the form view calls
`draft_take`, which gives the fields back once, to that browser session only and only when the user who logs
in is the one last logged in on this browser, and deletes them. The form is shown filled in; nothing is saved
until the user saves, through the normal permission and version checks.

The text may be confidential: it stays on the server (never in browser storage), expires after an hour and is
deleted when used.
"""

from __future__ import annotations

import secrets
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import HttpRequest, QueryDict

from .sessions import user_hint

DRAFT_PARAM = "utkast"
DRAFT_TTL = 60 * 60
MAX_DRAFT_CHARS = 1_000_000
SESSION_KEY = "paragraf_drafts"
NOT_KEPT = frozenset({"csrfmiddlewaretoken"})
DRAFT_KEPT_MESSAGE = (
    "Du hade hunnit bli utloggad, så det du skrev är inte sparat. Det finns kvar i en timme: logga in igen, "
    "så kommer du tillbaka till formuläret med texten ifylld."
)
DRAFT_RESTORED_MESSAGE = (
    "Det du skrev innan du blev utloggad är ifyllt igen. Inget är sparat förrän du klickar på Spara."
)


def _cache_key(token: str) -> str:
    return f"paragraf:utkast:{token}"


def draft_stash(request: HttpRequest) -> str | None:
    """Keep the posted fields of an anonymous save; the token, or None when there is nothing (or too much)."""
    fields = {name: request.POST.getlist(name) for name in request.POST if name not in NOT_KEPT}
    size = sum(len(value) for values in fields.values() for value in values)
    if not fields or size > MAX_DRAFT_CHARS:
        return None
    token = secrets.token_urlsafe(24)
    entry = {"path": request.path, "fields": fields, "user_id": user_hint(request)}
    cache.set(_cache_key(token), entry, DRAFT_TTL)
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-4:], token]
    return token


def draft_take(request: HttpRequest) -> QueryDict | None:
    """The fields kept for this form (GET ?utkast=<token>), once; None when there are none for this user."""
    token = request.GET.get(DRAFT_PARAM, "")
    if request.method != "GET" or not token or not request.user.is_authenticated:
        return None
    tokens = request.session.get(SESSION_KEY, [])
    if token not in tokens:
        return None
    entry = cache.get(_cache_key(token))
    cache.delete(_cache_key(token))
    request.session[SESSION_KEY] = [other for other in tokens if other != token]
    if not entry or entry["path"] != request.path:
        return None
    if entry["user_id"] is not None and entry["user_id"] != request.user.pk:
        return None
    data = QueryDict(mutable=True)
    for name, values in entry["fields"].items():
        data.setlist(name, values)
    messages.info(request, DRAFT_RESTORED_MESSAGE)
    return data


def keeps_drafts(view):
    """Outermost decorator of an editor view: an anonymous save is kept, and the user logs in to get it back."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            token = draft_stash(request)
            target = request.path
            if token:
                target += f"?{DRAFT_PARAM}={token}"
                messages.warning(request, DRAFT_KEPT_MESSAGE)
            return redirect_to_login(target)
        return view(request, *args, **kwargs)

    return wrapped


def form_data(request: HttpRequest) -> QueryDict | None:
    """What an editor's form is bound to: the post, a kept draft, or nothing (a fresh form)."""
    if request.method == "POST":
        return request.POST
    return draft_take(request)
