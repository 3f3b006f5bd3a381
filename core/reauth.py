"""Asking a logged-in user to prove again that it is them: the password, and the TOTP code when they have
turned the second factor on. Used before approving a justering (meetings.minutes_views.sign).

The password goes through `authenticate`, so django-axes counts a wrong one like a failed login and a
stolen, unlocked session cannot be used to guess it.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

WRONG_PASSWORD = "Lösenordet stämmer inte. Skriv lösenordet du loggar in med."  # noqa: S105 (a message)
WRONG_CODE = "Koden stämmer inte. Skriv de sex siffror som appen visar just nu."
CODE_REQUIRED = "Skriv koden från din app för tvåstegsverifiering."
THROTTLED = "För många felaktiga koder i rad. Vänta en stund och försök igen med en ny kod."


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def verify(request: HttpRequest, *, password: str, token: str = "", check_totp: bool = True) -> dict:
    """Raise ValidationError keyed by field when the password or code is wrong; else return the evidence."""
    user = request.user
    if not password or authenticate(request, username=user.get_username(), password=password) != user:
        raise ValidationError({"password": WRONG_PASSWORD}, code="wrong_password")
    evidence = {"lösenord": "bekräftat"}
    device = confirmed_totp(user) if check_totp else None
    if device is not None:
        token = (token or "").strip().replace(" ", "")
        if not token:
            raise ValidationError({"token": CODE_REQUIRED}, code="code_required")
        allowed, _ = device.verify_is_allowed()
        if not allowed:  # django-otp slows guessing down after each wrong code
            raise ValidationError({"token": THROTTLED}, code="throttled")
        if not device.verify_token(token):
            raise ValidationError({"token": WRONG_CODE}, code="wrong_code")
        evidence["tvåstegsverifiering"] = "TOTP"
    return evidence
