"""PDF document classes: one small class per document type, found through a registry by its `kind`.

How to add a document
---------------------
1. In your app's ``documents.py`` (``meetings/documents.py`` …) write a subclass of ``PdfDocument`` and
   decorate it with ``@register_document``. ``ReportingConfig.ready()`` imports every installed app's
   ``documents`` module, so nothing else needs registering::

       from reporting.documents import DocumentInputError, PdfDocument, register_document

       @register_document
       class NoticeDocument(PdfDocument):
           kind = "meetings.notice"            # "<app>.<name>", stored on every job; never rename it
           title = "Kallelse"                  # what the user reads
           template_name = "meetings/pdf/notice.html"
           params_form = NoticeParamsForm      # optional Django form that validates the params
           required_perm = "meetings.view"     # who may request it (default "reporting.render")

           def check_inputs(self):             # raise DocumentInputError("… på svenska") if unusable
               ...
           def check_access(self, request):    # optional: raise PermissionDenied for this object
               ...
           def get_context(self):              # built from selectors, scoped to self.organisation
               ...
           def filename(self):
               return f"kallelse-{...}.pdf"
           def get_appendices(self):           # optional: the meeting's bilagor (see reporting.appendices)
               ...
           def subject(self):                  # optional: (label, URL) the job page links back to
               return meeting_label(meeting), reverse("agenda:meeting_detail", kwargs={"pk": meeting.pk})

   A params form that picks an object (a sammanträde, protokoll, §) subclasses ``DocumentParamsForm`` with a
   ``ModelChoiceField`` whose queryset ``set_organisation`` scopes, and a ``clean_<field>`` returning the id:
   the request page then offers a readable list, never an id to type (meetings.document_params).

2. The template extends ``reporting/pdf/base.html`` (A4, fonts, "Sida 1 av 3", the bilagor pages) and
   fills ``{% block content %}``. Use ``{% static %}`` for assets; nothing outside our static files and
   ``data:`` URLs can be fetched (``reporting.fetcher``).
3. Never print the current time (no "utskriven 2025-…") in the HTML: the job's fingerprint is the hash of
   the finished HTML, so the same inputs reuse the stored PDF. The PDF's metadata carries its creation time.
4. Ask for it with ``reporting.services.render_job_request(organisation=…, user=…, kind=…, params=…)`` or
   include ``reporting/_render_button.html`` with ``kind=… label=…`` in a page: a button that requests it with
   default params, and a "Fler val" link to ``reporting:job_request?kind=…`` where the user fills in
   ``params_form`` and uploads bilagor (``no_options=True`` leaves the link out). The document list
   (/dokument/) offers every registered document the user may request.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.text import slugify

if TYPE_CHECKING:
    from core.models import Organisation

    from .appendices import Appendix


class DocumentInputError(Exception):
    """An input makes the document impossible to produce. The message is Swedish and shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DocumentParamsForm(forms.Form):
    """A params form whose choices come from the organisation: a sammanträde, a protokoll or a § is picked from a
    readable list ("Styrelsen 2019-11-28", "§ 72 Budget 2020"), never typed as an id. Subclasses fill their
    querysets in ``set_organisation``; the value stored on the job stays the id (``clean_<field>`` returns it)."""

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if organisation is not None:
            self.set_organisation(organisation)

    def set_organisation(self, organisation: Organisation) -> None:
        """Scope every choice field's queryset to the organisation."""

    def choice_label(self, name: str, value: Any) -> str | None:
        """The readable label of a stored value of a choice field, or None when it is not one (or is gone)."""
        field = self.fields.get(name)
        if not isinstance(field, forms.ModelChoiceField) or value in (None, ""):
            return None
        try:
            found = field.queryset.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None
        return None if found is None else field.label_from_instance(found)


def build_params_form(document_class: type[PdfDocument], *, organisation: Organisation, **kwargs) -> forms.Form:
    """The document's params form, with its choices scoped to the organisation when it has any."""
    form_class = document_class.params_form
    if isinstance(form_class, type) and issubclass(form_class, DocumentParamsForm):
        return form_class(organisation=organisation, **kwargs)
    return form_class(**kwargs)


class PdfDocument:
    """Base class of every PDF document. Subclasses set the class attributes and the three methods."""

    kind: ClassVar[str] = ""
    title: ClassVar[str] = ""
    template_name: ClassVar[str] = ""
    params_form: ClassVar[type[forms.Form] | None] = None
    required_perm: ClassVar[str] = "reporting.render"
    # Whether the user may upload bilagor (PDF, PNG, JPEG) with the request.
    accepts_uploads: ClassVar[bool] = False

    def __init__(self, *, organisation: Organisation, params: Mapping[str, Any]):
        self.organisation = organisation
        self.params = dict(params)

    @classmethod
    def clean_params(cls, params: Mapping[str, Any], *, organisation: Organisation) -> dict[str, Any]:
        """Validate raw params (form input or JSON) and return them JSON-ready. Swedish errors."""
        if cls.params_form is None:
            if params:
                raise DocumentInputError(f"{cls.title} har inga inställningar att välja.")
            return {}
        form = build_params_form(cls, organisation=organisation, data=dict(params))
        unknown = sorted(set(params) - set(form.fields))
        if unknown:
            raise DocumentInputError(f"Okänd inställning för {cls.title.lower()}: {', '.join(unknown)}.")
        if not form.is_valid():
            problems = [
                f"{form.fields[field].label if field in form.fields else 'Inställningarna'}: {' '.join(errors)}"
                for field, errors in form.errors.items()
            ]
            raise DocumentInputError(" ".join(problems))
        # Stored as JSON on the job: dates become ÅÅÅÅ-MM-DD, decimals strings.
        return json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))

    def check_inputs(self) -> None:
        """Raise DocumentInputError (Swedish message) when the stored inputs cannot make this document."""

    def check_access(self, request) -> None:
        """Raise PermissionDenied when this user may not have this document for these inputs.

        `required_perm` decides by role; this decides by object, e.g. an internal protokoll only for those who may
        read that committee's sekretess (meetings.confidentiality). Called when the document is requested.
        """

    def get_context(self) -> dict[str, Any]:
        raise NotImplementedError

    def filename(self) -> str:
        return f"{slugify(self.title) or 'dokument'}.pdf"

    def get_appendices(self) -> list[Appendix]:
        """Bilagor the document brings itself (already checked with appendices.appendix_inspect)."""
        return []

    def subject(self) -> tuple[str, str] | None:
        """(label, URL) of what the document was made for – its sammanträde, protokoll or § – for the job page's
        link back; None when it was made for no one object. May raise DocumentInputError when that is gone."""
        return None


_REGISTRY: dict[str, type[PdfDocument]] = {}


def register_document(cls: type[PdfDocument]) -> type[PdfDocument]:
    if not cls.kind or not cls.title or not cls.template_name:
        raise ImproperlyConfigured(f"{cls.__qualname__} måste ange kind, title och template_name.")
    existing = _REGISTRY.get(cls.kind)
    if existing is not None and existing.__qualname__ != cls.__qualname__:
        raise ImproperlyConfigured(f"Dokumenttypen {cls.kind} är redan registrerad av {existing.__qualname__}.")
    _REGISTRY[cls.kind] = cls
    return cls


def get_document_class(kind: str) -> type[PdfDocument]:
    try:
        return _REGISTRY[kind]
    except KeyError as exc:
        raise DocumentInputError("Den dokumenttypen finns inte.") from exc


def registered_documents() -> list[type[PdfDocument]]:
    return sorted(_REGISTRY.values(), key=lambda cls: cls.title)


# -- Organisationsfakta ------------------------------------------------------------------------------------


class FactSheetParamsForm(forms.Form):
    on = forms.DateField(
        label="Datum",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Ledamöter och ersättare som har uppdrag detta datum. Tomt betyder i dag.",
    )

    def clean_on(self):
        return self.cleaned_data.get("on") or timezone.localdate()


@register_document
class OrganisationFactSheet(PdfDocument):
    """Organisationsfakta: the organisation, its members, committees with their seats, users with roles."""

    kind = "core.organisation_factsheet"
    title = "Organisationsfakta"
    template_name = "reporting/pdf/organisation_factsheet.html"
    params_form = FactSheetParamsForm
    accepts_uploads = True

    @property
    def on(self) -> dt.date:
        value = self.params.get("on")
        if not value:
            raise DocumentInputError("Datum saknas för organisationsfakta.")
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError as exc:
            raise DocumentInputError(f"Datumet ”{value}” är inte ett giltigt datum (ÅÅÅÅ-MM-DD).") from exc

    def check_inputs(self) -> None:
        self.on  # noqa: B018  parsing is the check

    def get_context(self) -> dict[str, Any]:
        from core import selectors as core_selectors
        from core.models import Organisation
        from meetings.models import Membership

        organisation = self.organisation
        members = []
        if organisation.kind == Organisation.Kind.FEDERATION:
            members = list(core_selectors.organisation_members(organisation=organisation))

        committees = []
        for committee in core_selectors.committees_with_members(organisation=organisation, on=self.on):
            seats: dict[str, list] = {role: [] for role in Membership.Role.values}
            for membership in committee.current_memberships:
                seats[membership.role].append(membership)
            committees.append(
                {
                    "committee": committee,
                    "chairs": seats[Membership.Role.CHAIR],
                    "vice_chairs": seats[Membership.Role.VICE_CHAIR],
                    "members": seats[Membership.Role.MEMBER],
                    "substitutes": seats[Membership.Role.SUBSTITUTE],
                    "is_empty": not committee.current_memberships,
                }
            )

        users: dict[int, dict[str, Any]] = {}
        for assignment in core_selectors.organisation_roles(organisation=organisation):
            entry = users.setdefault(assignment.user_id, {"user": assignment.user, "roles": []})
            entry["roles"].append(assignment.get_role_display())
        people = sorted(
            users.values(),
            key=lambda e: (e["user"].last_name.lower(), e["user"].first_name.lower(), e["user"].username),
        )
        return {"on": self.on, "federation_members": members, "committees": committees, "users": people}

    def filename(self) -> str:
        return f"organisationsfakta-{slugify(self.organisation.name) or 'organisation'}-{self.on.isoformat()}.pdf"
