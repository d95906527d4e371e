"""``/me``: who the bearer token belongs to."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from app.api.auth import SECURITY, api_user, token_required
from app.api.schemas import UserSchema

blp = Blueprint("me", __name__, description="The signed-in account")


@blp.route("/me")
@blp.doc(operationId="getCurrentUser", security=SECURITY)
@blp.response(200, UserSchema)
@blp.alt_response(401, description="Missing or invalid token")
@token_required
def get_current_user() -> Any:
    """The account the token belongs to."""
    return api_user()
