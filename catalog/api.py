"""The catalogue's JSON API: list and search, one publication, pages inside one, ingest."""

from __future__ import annotations

import json
from typing import Any

import marshmallow as ma
from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import BadRequest, Forbidden, UnprocessableEntity

from app import clock
from app.accounts.models import Role
from app.api.auth import SECURITY, api_user, token_required
from app.api.multipart import Blueprint
from app.api.schemas import JobSchema
from app.extensions import db
from app.i18n import WIB
from catalog import services
from catalog.indexing import public_search, search_index
from catalog.models import Publication
from catalog.release import upcoming
from catalog.schemas import BpsMetaSchema, error_messages
from catalog.search import QueryError
from catalog.uploads import start_ingest
from catalog.visibility import public_clause

blp = Blueprint("catalog_api", __name__, description="Publications")


class PublicationSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    title_en = ma.fields.String(allow_none=True)
    subtitle = ma.fields.String(allow_none=True)
    kat_no = ma.fields.String(allow_none=True)
    pub_no = ma.fields.String(allow_none=True)
    issn = ma.fields.String(allow_none=True)
    isbn = ma.fields.String(allow_none=True)
    release_date = ma.fields.Date(allow_none=True)
    period = ma.fields.String(allow_none=True)
    subjects = ma.fields.Function(lambda p: [s.name for s in p.subjects])
    region_code = ma.fields.String()
    region_name = ma.fields.String()
    language = ma.fields.String()
    abstract = ma.fields.String(allow_none=True)
    kind = ma.fields.Function(lambda p: p.kind.value)
    access = ma.fields.Function(lambda p: p.access.value)
    printed = ma.fields.Boolean()
    pages = ma.fields.Integer(attribute="page_count")
    size = ma.fields.Integer(attribute="file_size")
    sha256 = ma.fields.String(allow_none=True)
    digital = ma.fields.Boolean(
        attribute="has_file",
        metadata={"description": "False for a printed publication without a digital copy yet"},
    )
    outline = ma.fields.List(ma.fields.Dict())
    url = ma.fields.Function(lambda p: url_for("catalog.publication", pub_id=p.id, _external=True))
    cover_url = ma.fields.Function(
        lambda p: url_for("catalog.cover", pub_id=p.id, _external=True) if p.cover_key else None
    )


class ListArgs(ma.Schema):
    q = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))
    subject = ma.fields.String(validate=ma.validate.Length(max=120))
    year = ma.fields.Integer(validate=ma.validate.Range(1900, 2200))
    type = ma.fields.String(validate=ma.validate.OneOf(["publication", "brs"]))
    language = ma.fields.String(validate=ma.validate.OneOf(["id", "en"]))
    sort = ma.fields.String(
        load_default="relevance", validate=ma.validate.OneOf(["relevance", "date"])
    )
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(1, 10_000))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(1, 100))


class HitSchema(ma.Schema):
    publication = ma.fields.Nested(PublicationSchema)
    score = ma.fields.Float()
    snippet = ma.fields.String()
    pages = ma.fields.List(ma.fields.Integer())


class ListResponse(ma.Schema):
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(HitSchema))
    facets = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.Tuple((ma.fields.Raw(), ma.fields.Integer()))),
    )


class PageArgs(ma.Schema):
    q = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))


class PageHitSchema(ma.Schema):
    page = ma.fields.Integer()
    snippet = ma.fields.String(attribute="snippet_html")
    score = ma.fields.Float()


class CalendarArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(1, 10_000))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(1, 100))


class UpcomingSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    subjects = ma.fields.List(ma.fields.String())
    kind = ma.fields.String()
    release_at = ma.fields.Function(
        lambda r: r.release_at.astimezone(WIB).isoformat(),
        metadata={"description": "The release moment, in WIB (ISO 8601 with +07:00)"},
    )


class CalendarResponse(ma.Schema):
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    pages = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(UpcomingSchema))


class UploadSchema(ma.Schema):
    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})
    meta = ma.fields.String(
        metadata={"description": "Metadata as a JSON object (BPS web API shape)"}
    )


@blp.route("/publications")
@blp.doc(operationId="listPublications")
@blp.arguments(ListArgs, location="query")
@blp.response(200, ListResponse)
@blp.alt_response(400, description="Search words the engine cannot take")
def list_publications(args: dict[str, Any]) -> Any:
    """Search or browse the catalogue, with facet counts."""
    filters: dict[str, str | int] = {
        k: args[k] for k in ("subject", "year", "type", "language") if k in args
    }
    try:
        results = public_search(
            db.session(),
            clock.now(),
            args["q"],
            filters=filters,
            sort=args["sort"],
            page=args["page"],
            per_page=args["per_page"],
        )
    except QueryError:
        raise BadRequest(_("The search words could not be understood.")) from None
    ids = [h.pub_id for h in results.hits]
    found = {
        p.id: p
        for p in db.session.scalars(
            select(Publication).where(Publication.id.in_(ids), public_clause(clock.now()))
        )
    }
    items = [
        {
            "publication": found[h.pub_id],
            "score": h.score,
            "snippet": h.snippet_html,
            "pages": h.pages,
        }
        for h in results.hits
        if h.pub_id in found
    ]
    return {
        "total": results.total,
        "page": args["page"],
        "per_page": args["per_page"],
        "items": items,
        "facets": results.facets,
    }


@blp.route("/releases/upcoming")
@blp.doc(operationId="listUpcomingReleases")
@blp.arguments(CalendarArgs, location="query")
@blp.response(200, CalendarResponse)
def list_upcoming_releases(args: dict[str, Any]) -> Any:
    """The release calendar (Rencana Terbit): publications to be released, soonest
    first, with their moment in WIB. No abstract, cover or file before the release."""
    calendar = upcoming(db.session(), clock.now(), page=args["page"], per_page=args["per_page"])
    return {
        "total": calendar.paging.total,
        "page": calendar.paging.page,
        "per_page": calendar.paging.per_page,
        "pages": calendar.paging.pages,
        "items": calendar.rows,
    }


@blp.route("/publications/<int:pub_id>")
@blp.doc(operationId="getPublication")
@blp.response(200, PublicationSchema)
@blp.alt_response(404, description="No such publication")
def get_publication(pub_id: int) -> Any:
    """One publication's metadata (not found before its release moment)."""
    return services.get_publication(db.session(), pub_id, now=clock.now())


@blp.route("/publications/<int:pub_id>/pages")
@blp.doc(operationId="searchPublicationPages")
@blp.arguments(PageArgs, location="query")
@blp.response(200, PageHitSchema(many=True))
@blp.alt_response(400, description="Search words the engine cannot take")
@blp.alt_response(404, description="No such publication")
def search_pages(args: dict[str, Any], pub_id: int) -> Any:
    """The pages of one publication that match ``q``, with snippets."""
    services.get_publication(db.session(), pub_id, now=clock.now())
    try:
        return search_index().search_pages(pub_id, args["q"])
    except QueryError:
        raise BadRequest(_("The search words could not be understood.")) from None


@blp.route("/publications", methods=["POST"])
@blp.doc(operationId="ingestPublication", security=SECURITY)
@blp.arguments(UploadSchema, location="multipart")
@blp.response(202, JobSchema)
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(403, description="Not an officer")
@blp.alt_response(422, description="Not a PDF, too large, or invalid metadata")
@token_required
def ingest_publication(form: dict[str, Any]) -> Any:
    """Upload a PDF (multipart); it is processed by a job — poll ``getJob``."""
    user = api_user()
    if not user.has_role(Role.OFFICER):
        raise Forbidden()
    meta: dict[str, Any] = {}
    if form.get("meta"):
        try:
            raw = json.loads(form["meta"])
        except ValueError:
            raise UnprocessableEntity("meta is not valid JSON") from None
        try:
            meta = BpsMetaSchema().load(raw, partial=("title",))
        except ma.ValidationError as exc:
            raise UnprocessableEntity(json.dumps(error_messages(exc))) from None
    upload = form["file"]
    job = start_ingest(
        db.session(),
        upload.stream,
        filename=upload.filename or "upload.pdf",
        meta=meta,
        actor_id=user.id,
        max_bytes=int(current_app.config["CATALOG_MAX_BYTES"]),
    )
    return job, 202, {"Location": url_for("jobs.get_job", job_id=job.id)}
