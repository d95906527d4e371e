"""Links features add to the staff hub (``/staff``) and the visitor's account hub
(``/account``), so the shell lists every tool without knowing the features.

A feature's wiring calls ``staff_link`` and ``account_link``; the hubs show the links
the signed-in user's role allows, grouped by section, in registration order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from app.accounts.models import Role, User

_STAFF, _ACCOUNT, _TICKET = "pst.staff_links", "pst.account_links", "pst.ticket_links"


@dataclass(frozen=True)
class Link:
    section: Any  # a (lazy) translated heading
    label: Any  # a (lazy) translated label
    endpoint: str
    roles: tuple[Role, ...] = ()  # empty: every signed-in user
    description: Any = ""


def staff_link(
    app: Flask, section: Any, label: Any, endpoint: str, *roles: Role, description: Any = ""
) -> None:
    """Add a staff tool to ``/staff`` for users holding any of ``roles``."""
    app.extensions.setdefault(_STAFF, []).append(Link(section, label, endpoint, roles, description))


def account_link(app: Flask, label: Any, endpoint: str, description: Any = "") -> None:
    """Add a page of the visitor's own (requests, services, orders) to ``/account``."""
    app.extensions.setdefault(_ACCOUNT, []).append(Link("", label, endpoint, (), description))


def _allowed(user: User, link: Link) -> bool:
    return not link.roles or user.has_role(*link.roles)


def staff_sections(user: User) -> list[tuple[Any, list[Link]]]:
    """``(section, links)`` the user may open, sections in first-registration order."""
    sections: dict[str, tuple[Any, list[Link]]] = {}
    for link in current_app.extensions.get(_STAFF, []):
        if _allowed(user, link):
            sections.setdefault(str(link.section), (link.section, []))[1].append(link)
    return list(sections.values())


def account_links() -> list[Link]:
    return list(current_app.extensions.get(_ACCOUNT, []))


def ticket_link(app: Flask, service: str, label: Any, endpoint: str, *roles: Role) -> None:
    """Offer a feature's page on the desk console while a number of ``service`` is
    served; the console links to ``endpoint`` with ``ticket=<ticket id>``."""
    app.extensions.setdefault(_TICKET, []).append(Link(service, label, endpoint, roles))


def ticket_links(user: User, service: str) -> list[Link]:
    """The console's links for a number of ``service`` that ``user`` may open."""
    return [
        link
        for link in current_app.extensions.get(_TICKET, [])
        if str(link.section) == str(service) and _allowed(user, link)
    ]
