"""Sections that other features add to a publication page.

The library adds reading and download options and hardcopy availability, the store its
offers; the catalogue renders whatever is registered, in order, without knowing them.
The app is passed in (by the page's context processor, :mod:`catalog.wiring`): this
module never reads ``current_app``.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from markupsafe import Markup

from catalog.models import Publication

Panel = Callable[[Publication], str]
_KEY = "pst.publication_panels"


def register_panel(app: Flask, panel: Panel, order: int = 50) -> None:
    """Add a panel (HTML of one publication; "" for none) to every publication page."""
    panels: list[tuple[int, Panel]] = app.extensions.setdefault(_KEY, [])
    panels.append((order, panel))
    panels.sort(key=lambda item: item[0])


def render_panels(app: Flask, publication: Publication) -> list[Markup]:
    """The panels registered on ``app``: their HTML for ``publication`` (empty ones left
    out)."""
    out = []
    for _order, panel in app.extensions.get(_KEY, []):
        html = panel(publication)
        if html:
            out.append(Markup(html))  # noqa: S704 - rendered by the feature's own template
    return out
