"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from werkzeug.exceptions import Unauthorized

from app.accounts.models import User
from app.accounts.services import user_for_api_token
from app.extensions import db

F = TypeVar("F", bound=Callable[..., Any])

SECURITY = [{"bearerAuth": []}]


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def token_required(view: F) -> F:
    """Resolve the bearer token to ``g.api_user`` or answer 401 (problem+json)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        plain = _bearer()
        user = user_for_api_token(db.session(), plain) if plain else None
        if user is None:
            raise Unauthorized(
                www_authenticate=_challenge("invalid_token" if plain else None)  # type: ignore[arg-type]
            )
        g.api_user = user
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _challenge(error: str | None) -> Any:
    from werkzeug.datastructures import WWWAuthenticate

    params = {"realm": "pst"}
    if error:
        params["error"] = error
    return WWWAuthenticate("bearer", params)


def api_user() -> User:
    user: User = g.api_user
    return user
