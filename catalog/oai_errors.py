"""The OAI-PMH protocol's error conditions: raised anywhere in the provider, written by
:func:`catalog.oai.respond` as an ``<error>`` element with its code (HTTP 200, as the
protocol wants), never as an HTTP error of the catalogue's tree."""

from __future__ import annotations


class OaiError(Exception):
    """One of the protocol's error conditions (sent as an ``<error>``, with HTTP 200)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
