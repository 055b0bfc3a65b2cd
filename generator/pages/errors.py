"""Page kind: "Error messages" (`errors.md`), a static page the configuration's docs/
provides; listed in the navigation when present, never rendered."""

from __future__ import annotations

from collections.abc import Iterator

from .base import PageSpec, View
from .site import ERRORS_PAGE, SiteContext

#: a static page: no template, no view
TEMPLATES: dict[str, type[View]] = {}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    if ERRORS_PAGE in site.static_pages:
        yield PageSpec(ERRORS_PAGE, (), None, "dossier", nav="Error messages", group="static")
