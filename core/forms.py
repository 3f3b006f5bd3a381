from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import Organisation
from .validators import normalise_org_number


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Användarnamn", widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        label="Lösenord", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "Fel användarnamn eller lösenord. Observera att båda är skiftlägeskänsliga.",
        "inactive": "Kontot är inaktiverat. Kontakta din administratör.",
    }


class SwitchOrganisationForm(forms.Form):
    organisation = forms.IntegerField()
    next = forms.CharField(required=False)


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label="Webbplats", required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "kind", "org_number", "street_address", "postal_code", "city", "email", "website"]

    def clean_org_number(self) -> str:
        return normalise_org_number(self.cleaned_data["org_number"])
