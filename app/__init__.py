"""The Flask shell of PST: factory, configuration, extensions, accounts, API wiring, CLI.

``create_app`` is imported lazily so that feature packages may import
``app.extensions`` and friends without pulling in the factory (and with it every
feature) — the import-linter contracts in setup.cfg forbid them the factory anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build a configured PST application (see :mod:`app.factory`)."""
    from app.factory import create_app as _create_app

    return _create_app(test_config)


__all__ = ["create_app"]
