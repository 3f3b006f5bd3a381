"""Turning the TOTP second factor on and off (django-otp's TOTPDevice). One device per user."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .reauth import WRONG_CODE

DEVICE_NAME = "Paragraf"


@transaction.atomic
def totp_device_pending(*, user: User) -> TOTPDevice:
    """The device being set up (not yet confirmed): made once and shown until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, token: str) -> TOTPDevice:
    """Turn the second factor on once the user has typed a code the app made from the pending device."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token((token or "").strip().replace(" ", "")):
        raise ValidationError({"token": WRONG_CODE}, code="wrong_code")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return device


@transaction.atomic
def totp_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code, drawn here (no network, no script)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app that cannot scan."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
