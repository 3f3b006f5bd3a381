"""Django's AuthenticationMiddleware, loading the session's user with a query compiled once per process.

Every logged-in request loads its user. What django.contrib.auth.get_user does is kept step for step (the backend
named in the session must be configured, an inactive user is no user, the session's password hash is verified,
with the fallback keys) – only ModelBackend's `User.objects.get(pk=…)` is replaced by core.compiled_query, which
reads the same row without building and compiling the ORM query anew. Other backends are asked as before.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, get_user_model, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from . import compiled_query

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _user_row(pk: int):
    return get_user_model()._default_manager.filter(pk=pk)


def _backend_user(backend_path: str, user_id):
    if backend_path == MODEL_BACKEND and isinstance(user_id, int):
        found = compiled_query.instances(_user_row, pk=user_id)
        user = found[0] if found else None
        return user if user is not None and ModelBackend().user_can_authenticate(user) else None
    return load_backend(backend_path).get_user(user_id)


def get_user(request):
    """django.contrib.auth.get_user (Django 5.2), with the user read by _backend_user."""
    user = None
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            user = _backend_user(backend_path, user_id)
            if hasattr(user, "get_session_auth_hash"):
                session_hash = request.session.get(HASH_SESSION_KEY)
                if not session_hash:
                    session_hash_verified = False
                else:
                    session_auth_hash = user.get_session_auth_hash()
                    session_hash_verified = constant_time_compare(session_hash, session_auth_hash)
                if not session_hash_verified:
                    # A session signed with a fallback key is moved onto the current one; any other ends here.
                    if session_hash and any(
                        constant_time_compare(session_hash, fallback_auth_hash)
                        for fallback_auth_hash in user.get_session_auth_fallback_hash()
                    ):
                        request.session.cycle_key()
                        request.session[HASH_SESSION_KEY] = session_auth_hash
                    else:
                        request.session.flush()
                        user = None
    return user or AnonymousUser()


def _cached_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)  # request.auser and the check that sessions come first
        request.user = SimpleLazyObject(lambda: _cached_user(request))
