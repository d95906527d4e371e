"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import g, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from app.accounts.models import User
from app.accounts.services import user_for_api_token
from app.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def token_required(view: Callable[P, R]) -> Callable[P, R]:
    """Resolve the bearer token to ``g.api_user`` or answer 401 (problem+json)."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        plain = _bearer()
        user = user_for_api_token(db.session(), plain) if plain else None
        if user is None:
            raise Unauthorized(www_authenticate=_challenge("invalid_token" if plain else None))
        g.api_user = user
        return view(*args, **kwargs)

    return wrapped


def _challenge(error: str | None) -> WWWAuthenticate:
    params: dict[str, str | None] = {"realm": "pst"}
    if error:
        params["error"] = error
    return WWWAuthenticate("bearer", params)


def api_user() -> User:
    user: User = g.api_user
    return user
