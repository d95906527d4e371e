"""The library's JSON API: a stamped download for the token's owner."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from app import clock
from app.api.auth import SECURITY, api_user, token_required
from app.extensions import db
from catalog import services as catalog
from catalog.visibility import may_preview
from library.http import send_download

blp = Blueprint("library_api", __name__, description="Library")

_PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}


@blp.route("/publications/<int:pub_id>/download")
@blp.doc(
    operationId="downloadPublication",
    security=SECURITY,
    responses={
        "200": {
            "description": "The PDF, stamped with the token owner's name and a download "
            "code on every page (header X-Download-Code)",
            **_PDF,
        }
    },
)
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(403, description="Email not verified, or the publication cannot be downloaded")
@blp.alt_response(404, description="No such publication")
@blp.alt_response(429, description="Today's download quota is used up")
@token_required
def download_publication(pub_id: int) -> Any:
    """Download a publication as a PDF stamped for the token's owner (counted in the
    daily quota and logged in the download database)."""
    user = api_user()
    publication = catalog.get_publication(
        db.session(), pub_id, now=clock.now(), staff=user.is_staff, preview=may_preview(user)
    )
    return send_download(user, publication, channel="api")
