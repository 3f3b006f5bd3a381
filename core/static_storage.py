"""whitenoise's manifest storage with the URL of each static file worked out once per process.

`{% static %}` asks the storage for a URL about seven times per page; with the manifest loaded at start that URL
cannot change until the next deploy (a new process), so it is kept.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force or name is None:
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = super().url(name)
        return found
