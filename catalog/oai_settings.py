"""What the OAI-PMH provider (:mod:`catalog.oai`) needs from the configuration and the
request, gathered by its HTTP edge (:func:`catalog.harvest_views.oai_settings`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OaiSettings:
    """What the provider needs from the configuration and the request."""

    base_url: str  # the address harvesters send requests to
    repository_name: str
    admin_email: str
    repository_identifier: str  # the middle part of ``oai:<repository>:<id>``
    creator: str  # creator and publisher of every publication
    page_size: int
    secret_key: str
