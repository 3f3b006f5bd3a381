"""Django's password-reset page with throttling (core.login_throttle) that reveals nothing about accounts."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from .client_ip import client_ip
from .login_throttle import password_reset_account_allowed, password_reset_address_allowed

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
