"""Every URL pattern of the project, and for each one that takes an id, how to make an object for it.

The platform tests walk the whole resolver, so a new URL that takes an id fails them until it has a builder
here: a function (organisation, user) -> the URL kwargs for an object that belongs to `organisation`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Django's own admin is for staff accounts (is_staff), outside organisation roles: not walked here.
SKIPPED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    params: tuple[str, ...]
    converters: tuple[str, ...]

    @property
    def takes_id(self) -> bool:
        return bool({"int", "id", "IntConverter"} & set(self.converters))


def walk(resolver: URLResolver | None = None, namespace: str = "", inherited: dict | None = None) -> Iterator[Route]:
    resolver = resolver or get_resolver()
    inherited = dict(inherited or {})
    for entry in resolver.url_patterns:
        converters = {**inherited, **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            child_namespace = namespace
            if entry.namespace:
                child_namespace = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            if child_namespace.split(":")[0] in SKIPPED_NAMESPACES:
                continue
            yield from walk(entry, child_namespace, converters)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(
                name=name,
                params=tuple(converters),
                converters=tuple(type(c).__name__.removesuffix("Converter").lower() for c in converters.values()),
            )


Builder = Callable[..., dict]


def _user(organisation) -> dict:
    from core.models import Role
    from tests.factories import user_with_role

    return {"pk": user_with_role(organisation, Role.SECRETARY).pk}


def _audited_committee(organisation) -> dict:
    from tests.factories import CommitteeFactory

    return {"app_label": "meetings", "model_name": "committee", "pk": CommitteeFactory(organisation=organisation).pk}


def _committee(organisation) -> dict:
    from tests.factories import CommitteeFactory

    return {"pk": CommitteeFactory(organisation=organisation).pk}


def _membership(organisation) -> dict:
    from tests.factories import MembershipFactory

    return {"pk": MembershipFactory(committee__organisation=organisation).pk}


def _agenda_template_item(organisation) -> dict:
    from meetings.models import AgendaTemplateItem
    from tests.factories import CommitteeFactory

    committee = CommitteeFactory(organisation=organisation)
    return {"pk": AgendaTemplateItem.objects.create(committee=committee, position=1, title="Mötets öppnande").pk}


def _done_job(organisation) -> dict:
    import hashlib

    from django.core.files.base import ContentFile

    from core.models import Role
    from reporting.models import RenderJob
    from tests.factories import user_with_role

    data = b"%PDF-1.7\n% test\n"
    job = RenderJob(
        organisation=organisation,
        kind="core.organisation_factsheet",
        title="Organisationsfakta",
        filename="organisationsfakta.pdf",
        status=RenderJob.Status.DONE,
        progress=100,
        output_sha256=hashlib.sha256(data).hexdigest(),
        requested_by=user_with_role(organisation, Role.ADMIN),
    )
    job.output.save("organisationsfakta.pdf", ContentFile(data), save=False)
    job.save()
    return {"pk": job.pk}


# URL name -> builder of kwargs for an object of the given organisation.
OBJECT_BUILDERS: dict[str, Builder] = {
    "core:user_detail": _user,
    "core:user_edit": _user,
    "core:user_remove": _user,
    "core:user_deactivate": _user,
    "core:user_activate": _user,
    "core:user_invitation_resend": _user,
    "core:audit_object": _audited_committee,
    "meetings:committee_detail": _committee,
    "meetings:committee_edit": _committee,
    "meetings:membership_create": _committee,
    "meetings:substitute_order": _committee,
    "meetings:agenda_template_list": _committee,
    "meetings:agenda_template_item_create": _committee,
    "meetings:agenda_template_seed": _committee,
    "meetings:membership_end": _membership,
    "meetings:membership_replace": _membership,
    "meetings:membership_invite": _membership,
    "meetings:agenda_template_item_edit": _agenda_template_item,
    "meetings:agenda_template_item_move": _agenda_template_item,
    "meetings:agenda_template_item_toggle": _agenda_template_item,
    "reporting:job_detail": _done_job,
    "reporting:job_progress": _done_job,
    "reporting:job_download": _done_job,
}

# Routes with parameters that are not object ids, and the values to call them with.
OTHER_PARAMS: dict[str, dict] = {
    "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
    "invitation_accept": {"token": "ogiltig-inbjudan"},
}


# Each area of the meeting cycle keeps its builders in its own module (tests/platform/builders_<area>.py).
def _load_area_builders() -> None:
    import importlib

    for area in ("cases", "agenda", "minutes", "noticeboard", "registers", "projects", "finance"):
        module = importlib.import_module(f"tests.platform.builders_{area}")
        OBJECT_BUILDERS.update(module.BUILDERS)
        OTHER_PARAMS.update(getattr(module, "OTHER_PARAMS", {}))
        PUBLIC_ROUTES.update(getattr(module, "PUBLIC_ROUTES", ()))


# Routes with an id that everyone may read (the anslagstavla, calendars): they show public data of any
# organisation, so they are tested for leaking confidential content instead of for 404.
PUBLIC_ROUTES: set[str] = set()


_load_area_builders()
