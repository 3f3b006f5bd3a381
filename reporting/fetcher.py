"""The only URL fetcher WeasyPrint gets: our own static files and data: URLs, nothing else.

A print template could otherwise make the worker read any file on the machine (file:///etc/…) or call any
host on the network (server-side request forgery) – from a value a user typed into a field. So:

- `<BASE_URL>/static/…` (what `{% static %}` gives, joined with the base URL we pass to WeasyPrint) and
  `file://` URLs are served from the static files (staticfiles finders, then STATIC_ROOT), and only when the
  resolved path stays inside one of those folders;
- `data:` URLs are decoded by WeasyPrint itself;
- everything else raises `FetchRefused`, which is logged. WeasyPrint then leaves the resource out (an image
  is not drawn) instead of failing the whole document.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9.+-]*):")


class FetchRefused(ValueError):
    """A print template asked for something outside our static files."""


def document_base_url() -> str:
    """The base URL given to WeasyPrint: links in the PDF point to the public site, assets to static files."""
    return settings.PARAGRAF["BASE_URL"].rstrip("/") + "/"


def static_url_prefix() -> str:
    return document_base_url().rstrip("/") + settings.STATIC_URL


def static_roots() -> list[Path]:
    """Every folder the staticfiles finders search, plus STATIC_ROOT (collected files in production)."""
    roots: list[Path] = []
    for finder in finders.get_finders():
        for _prefix, root in getattr(finder, "locations", ()):  # FileSystemFinder: STATICFILES_DIRS
            roots.append(Path(root).resolve())
        for storage in getattr(finder, "storages", {}).values():  # AppDirectoriesFinder: <app>/static
            roots.append(Path(storage.location).resolve())
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def _is_inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def resolve_static(relative: str) -> Path | None:
    """The file behind a path below STATIC_URL, or None. Refuses any '..' segment before looking."""
    relative = unquote(relative)
    if not relative or relative.startswith(("/", "\\")) or "\\" in relative or "\0" in relative:
        return None
    if any(part in {"..", "."} for part in relative.split("/")):
        return None
    found = finders.find(relative)
    candidates = [Path(found)] if found else []
    if settings.STATIC_ROOT:
        candidates.append(Path(settings.STATIC_ROOT) / relative)
    roots = static_roots()
    for candidate in candidates:
        # resolve() follows symlinks, so a link pointing out of the static folders is refused too.
        resolved = candidate.resolve()
        if resolved.is_file() and _is_inside(resolved, roots):
            return resolved
    return None


class RestrictedURLFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, limited to static files and data: URLs."""

    def __init__(self, **kwargs):
        # No redirects, nothing fatal: a refused resource is left out and logged, the document still renders.
        super().__init__(allow_redirects=False, fail_on_errors=False, allowed_protocols={"data"}, **kwargs)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        match = _SCHEME.match(url)
        scheme = match[1].lower() if match else ""
        if scheme == "data":
            return super().fetch(url, headers)
        path = self._static_file(url, scheme)
        if path is None:
            logger.warning("Utskriftsmallen försökte hämta en otillåten adress: %s", url[:300])
            raise FetchRefused(f"Otillåten adress i utskriftsmall: {url[:300]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    @staticmethod
    def _static_file(url: str, scheme: str) -> Path | None:
        if scheme in {"http", "https"}:
            prefix = static_url_prefix()
            if not url.startswith(prefix):
                return None
            return resolve_static(urlsplit(url).path[len(urlsplit(prefix).path) :])
        if scheme == "file":
            parts = urlsplit(url)
            if parts.netloc not in {"", "localhost"}:
                return None
            raw = unquote(parts.path)
            if any(part == ".." for part in raw.split("/")):
                return None
            path = Path(url2pathname(parts.path)).resolve()
            return path if path.is_file() and _is_inside(path, static_roots()) else None
        return None
