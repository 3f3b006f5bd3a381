"""Account pages outside user administration: the throttled password reset (core.login_throttle) that reveals
nothing about accounts, accepting an invitation from the membership register, and the TOTP second factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import otp_services, person_services, reauth
from .client_ip import client_ip
from .forms import InvitationAcceptForm, PasswordConfirmForm, TotpConfirmForm, add_service_errors
from .login_throttle import password_reset_account_allowed, password_reset_address_allowed
from .tenancy import memberships_for, switch_organisation

TOO_MANY_FROM_ADDRESS = (
    "För många begäranden om nytt lösenord har kommit från din adress. Vänta en timme och försök igen, "
    "eller be administratören i din organisation om hjälp."
)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        if not password_reset_address_allowed(client_ip(self.request)):
            form.add_error(None, TOO_MANY_FROM_ADDRESS)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        if not password_reset_account_allowed(form.cleaned_data["email"]):
            # The same answer as when a mail is sent: whether the account exists stays unknown.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


# Invitations from the membership register (core.person_services) ----------------------------------------------


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, token: str):
    """The link in an invitation: create an account, or link the one the invitee is logged in with."""
    try:
        invitation = person_services.invitation_from_token(token)
    except ValidationError as exc:
        return render(request, "registration/invitation_accept.html", {"invalid": exc.messages[0]}, status=400)
    person = invitation.person
    form = None if request.user.is_authenticated else InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form is None:
        try:
            person_services.invitation_accept_existing(token=token, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            request.memberships = memberships_for(request.user)
            switch_organisation(request, person.organisation_id)
            messages.success(request, f"Ditt konto är nu kopplat till {person.full_name} i {person.organisation}.")
            return redirect("core:dashboard")
    elif request.method == "POST" and form.is_valid():
        try:
            person_services.invitation_accept_new(
                token=token, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Ditt konto är skapat. Logga in med användarnamnet och lösenordet du valde.")
            return redirect("login")
    context = {"person": person, "organisation": person.organisation, "form": form, "invalid": ""}
    status = 400 if form is not None and form.errors else 200
    return render(request, "registration/invitation_accept.html", context, status=status)


# Second factor (TOTP) ------------------------------------------------------------------------------------------


@never_cache
@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "HEAD", "POST"])
def totp_settings(request: HttpRequest):
    """Turn TOTP on (scan the QR code, confirm with a code) or off (with the password)."""
    device = reauth.confirmed_totp(request.user)
    confirm_form = TotpConfirmForm(request.POST if request.POST.get("action") == "on" else None)
    off_form = PasswordConfirmForm(request.POST if request.POST.get("action") == "off" else None)
    if request.method == "POST" and device is None and confirm_form.is_valid():
        try:
            otp_services.totp_device_confirm(user=request.user, token=confirm_form.cleaned_data["token"])
        except ValidationError as exc:
            add_service_errors(confirm_form, exc)
        else:
            messages.success(request, "Tvåstegsverifiering är på. Du anger en kod från appen när du justerar.")
            return redirect("totp_settings")
    if request.method == "POST" and device is not None and off_form.is_valid():
        try:
            reauth.verify(request, password=off_form.cleaned_data["password"], token="", check_totp=False)
        except ValidationError as exc:
            add_service_errors(off_form, exc)
        else:
            otp_services.totp_disable(user=request.user)
            messages.success(request, "Tvåstegsverifiering är avstängd.")
            return redirect("totp_settings")
    context = {"enabled": device is not None, "confirm_form": confirm_form, "off_form": off_form}
    if device is None:
        pending = otp_services.totp_device_pending(user=request.user)
        context.update(qr_svg=otp_services.qr_svg(pending), secret=otp_services.secret_text(pending))
    errors = confirm_form.errors or off_form.errors
    return render(request, "registration/totp_settings.html", context, status=400 if errors else 200)
