from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError

from . import audit, selectors
from .fields import DeliverableEmailFormField
from .models import RESERVED_SLUGS, Organisation, Role, User
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
    # The id of the message the login template shows for a failed login.
    error_id = "login-error"

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # The error belongs to both fields together: tie it to each so screen readers announce it there.
            for name in ("username", "password"):
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": self.error_id})
            raise


class SwitchOrganisationForm(forms.Form):
    organisation = forms.IntegerField()
    next = forms.CharField(required=False)


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(
        label="Webbplats", required=False, assume_scheme="https", widget=forms.URLInput(attrs={"autocomplete": "url"})
    )

    class Meta:
        model = Organisation
        fields = ["name", "slug", "kind", "org_number", "street_address", "postal_code", "city", "email", "website"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "org_number": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
            "street_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_org_number(self) -> str:
        return normalise_org_number(self.cleaned_data["org_number"])

    def clean_slug(self) -> str:
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                f"Adressen ”{slug}” används redan av anslagstavlan själv. Välj en annan, t.ex. organisationens namn."
            )
        return slug


# Users ----------------------------------------------------------------------------------------------------


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Roller")
        kwargs.setdefault("choices", Role.choices)
        kwargs.setdefault("error_messages", {"required": "Välj minst en roll."})
        kwargs.setdefault(
            "help_text",
            "Rollerna gäller bara i den här organisationen. Revisor och ledamot kan bara läsa. En deltagaransvarig "
            "ser bara de insatser hen läggs till på (på insatsens sida).",
        )
        super().__init__(**kwargs)


def _name_fields() -> dict[str, forms.Field]:
    return {
        "first_name": forms.CharField(
            label="Förnamn", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
        ),
        "last_name": forms.CharField(
            label="Efternamn", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
        ),
        "email": DeliverableEmailFormField(
            label="E-post",
            help_text="Hit skickas inbjudan och länkar för att byta lösenord.",
            widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        ),
    }


class UserCreateForm(forms.Form):
    """A new account. The administrator never sets a password: the user chooses one from the invitation."""

    username = forms.CharField(
        label="Användarnamn",
        max_length=150,
        validators=[UnicodeUsernameValidator(message="Använd bara bokstäver, siffror och tecknen @ . + - _.")],
        help_text="Det namn användaren loggar in med. Bokstäver, siffror och @ . + - _.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_name_fields())
        self.fields["roles"] = RolesField()


class UserAddExistingForm(forms.Form):
    """Give an account the administrator already administers in another organisation roles here too."""

    def __init__(self, *args, organisation: Organisation, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = UserChoiceField(
            label="Användare",
            queryset=selectors.users_addable(organisation=organisation, actor=actor),
            empty_label="Välj användare",
            help_text="Användare som du administrerar i en annan organisation och som inte finns här ännu.",
            error_messages={"invalid_choice": "Välj en användare i listan.", "required": "Välj en användare."},
        )
        self.fields["roles"] = RolesField()


class UserEditForm(forms.Form):
    """Roles here, and name and e-mail when the account belongs to this organisation only.

    For a shared account the name and e-mail fields are disabled: shown, never taken from the post.
    """

    def __init__(self, *args, shared: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.shared = shared
        self.fields.update(_name_fields())
        self.fields["roles"] = RolesField()
        if shared:
            for name in ("first_name", "last_name", "email"):
                self.fields[name].disabled = True
                self.fields[name].required = False
            self.fields["email"].help_text = ""


# Audit ----------------------------------------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    typ = forms.ChoiceField(label="Typ av uppgift", required=False, widget=forms.Select(attrs={"class": "form-select"}))
    anvandare = UserChoiceField(
        label="Ändrad av",
        required=False,
        queryset=User.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["typ"].choices = [("", "Alla typer")] + [
            (key, entry.label_plural) for key, entry in audit.registry().items()
        ]
        self.fields["typ"].error_messages["invalid_choice"] = "Välj en typ i listan."
        users = User.objects.filter(pk__in=selectors.organisation_user_ids(organisation=organisation))
        self.fields["anvandare"].queryset = users.order_by("last_name", "first_name", "username")
        self.fields["anvandare"].empty_label = "Alla användare"
        self.fields["anvandare"].error_messages["invalid_choice"] = "Välj en användare i listan."


def form_status(request, form: forms.Form) -> int:
    """400 for a refused post (the form shown again with its errors), like every refused form; else 200."""
    return 400 if request.method == "POST" and form.is_bound and form.errors else 200


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has that field, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class InvitationAcceptForm(forms.Form):
    """A new account from an invitation: the invitee chooses username and password (Django's validators run in
    the service, with the account's names, so "too similar to your name" works)."""

    username = forms.CharField(
        label="Användarnamn",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Det du loggar in med. Bokstäver, siffror och @ . + - _.",
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
        error_messages={"required": "Välj ett användarnamn."},
    )
    password1 = forms.CharField(
        label="Lösenord",
        strip=False,
        help_text="Minst 10 tecken, inte för likt ditt namn och inte ett vanligt lösenord.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Välj ett lösenord."},
    )
    password2 = forms.CharField(
        label="Lösenord igen",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Skriv lösenordet en gång till."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", "Lösenorden är inte lika.")
        return cleaned


class TotpConfirmForm(forms.Form):
    token = forms.CharField(
        label="Kod från appen",
        max_length=8,
        help_text="Sex siffror, som appen visar just nu.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Skriv koden som appen visar."},
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label="Ditt lösenord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Skriv ditt lösenord."},
    )
