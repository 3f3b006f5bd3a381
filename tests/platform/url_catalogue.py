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
        return "int" in self.converters or "IntConverter" in self.converters


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
