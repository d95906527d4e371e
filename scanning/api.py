"""The scanning bridge's JSON API: a staff workstation with a scanner attached
(``pst scan --server``) uploads pages into a batch, then finishes it.

Page uploads are idempotent on (batch, page number, SHA-256): after a dropped
connection the client sends again whatever it has no acknowledgement for; a page the
server holds already is acknowledged again (200) instead of stored twice, a different
image under a taken number is refused (409), and a body that does not hash to the
claimed SHA-256 (a cut upload) is refused (422) so nothing half-sent is ever kept.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app, url_for
from werkzeug.exceptions import Forbidden

import scanning.batches
import scanning.pages
from app import clock
from app.accounts.models import Role
from app.api.auth import SECURITY, api_user, token_required
from app.api.multipart import Blueprint
from app.api.schemas import JobSchema
from app.extensions import db
from catalog.models import Access

blp = Blueprint("scan_api", __name__, description="Scanning")


class ScanPageSchema(ma.Schema):
    number = ma.fields.Integer(allow_none=True)
    sha256 = ma.fields.String()
    id = ma.fields.String()
    rotation = ma.fields.Integer()


class ScanBatchSchema(ma.Schema):
    id = ma.fields.String()
    state = ma.fields.String(metadata={"description": "open, ingesting or done"})
    source = ma.fields.String()
    cleaned = ma.fields.Boolean()
    target = ma.fields.Dict()
    settings = ma.fields.Dict(allow_none=True)
    pages = ma.fields.List(ma.fields.Nested(ScanPageSchema))
    ingest_job = ma.fields.String(allow_none=True)
    publication_id = ma.fields.Integer(allow_none=True)
    scan_request_id = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "Done: the reader's scan request the pages were delivered to"},
    )
    url = ma.fields.Function(
        lambda b: url_for("library_scan.batch", batch_id=b["id"], _external=True)
    )


class CreateScanBatchSchema(ma.Schema):
    title = ma.fields.String(validate=ma.validate.Length(max=500))
    kat_no = ma.fields.String(validate=ma.validate.Length(max=32))
    access = ma.fields.String(
        load_default=Access.OPEN.value, validate=ma.validate.OneOf([a.value for a in Access])
    )
    softcopy_request_id = ma.fields.Integer()
    scan_request_id = ma.fields.Integer()
    publication_id = ma.fields.Integer(
        metadata={"description": "The print-only catalogue record the scan digitises"}
    )
    device = ma.fields.String(validate=ma.validate.Length(max=200))
    source = ma.fields.String(validate=ma.validate.OneOf(scanning.pages.SOURCES))
    mode = ma.fields.String(validate=ma.validate.OneOf(scanning.pages.MODES))
    resolution = ma.fields.Integer(validate=ma.validate.Range(50, 1200))
    cleaned = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Pages arrive straightened and compressed: only OCR them"},
    )


class UploadScanPageSchema(ma.Schema):
    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})
    sha256 = ma.fields.String(
        required=True, metadata={"description": "SHA-256 of the file, lowercase hex"}
    )


class FinishScanBatchSchema(ma.Schema):
    pages = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(1, 100_000),
        metadata={"description": "How many pages the batch has: 1..N must all be there"},
    )
    title = ma.fields.String(validate=ma.validate.Length(max=500))
    kat_no = ma.fields.String(validate=ma.validate.Length(max=32))
    access = ma.fields.String(validate=ma.validate.OneOf([a.value for a in Access]))


class ScannerSchema(ma.Schema):
    name = ma.fields.String()
    label = ma.fields.String()


def _officer() -> Any:
    user = api_user()
    if not user.has_role(Role.OFFICER):
        raise Forbidden()
    return user


@blp.route("/scan-batches", methods=["POST"])
@blp.doc(operationId="createScanBatch", security=SECURITY)
@blp.arguments(CreateScanBatchSchema)
@blp.response(201, ScanBatchSchema)
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(403, description="Not an officer")
@blp.alt_response(422, description="The catalogue record is gone or already has a digital copy")
@token_required
def create_scan_batch(args: dict[str, Any]) -> Any:
    """Start a batch: a new publication (``title``), the digital copy of a print-only
    catalogue record (``publication_id``) or the answer to a request."""
    user = _officer()
    if args.get("publication_id"):
        target: dict[str, Any] = {"kind": "publication", "publication_id": args["publication_id"]}
        scanning.batches.check_target(db.session(), target)
    elif args.get("scan_request_id"):
        target = {"kind": "scan_request", "request_id": args["scan_request_id"]}
    elif args.get("softcopy_request_id"):
        target = {"kind": "softcopy", "request_id": args["softcopy_request_id"]}
    else:
        target = {
            "kind": "new",
            "title": args.get("title"),
            "kat_no": args.get("kat_no"),
            "access": args.get("access"),
        }
    settings = None
    if args.get("device"):
        settings = scanning.pages.clean_settings(
            {k: args.get(k) for k in ("device", "source", "mode", "resolution")}
        )
    manifest = scanning.pages.create_batch(
        scanning.batches.scans_root(),
        actor_id=user.id,
        settings=settings,
        target=target,
        cleaned=args["cleaned"],
        source="api",
        now=clock.now(),
    )
    location = url_for("scan_api.get_scan_batch", batch_id=manifest["id"])
    return manifest, 201, {"Location": location}


@blp.route("/scan-batches/<string:batch_id>")
@blp.doc(operationId="getScanBatch", security=SECURITY)
@blp.response(200, ScanBatchSchema)
@blp.alt_response(404, description="No such batch")
@token_required
def get_scan_batch(batch_id: str) -> Any:
    """A batch and the pages the server holds (number and SHA-256 of each)."""
    _officer()
    return scanning.pages.load_batch(scanning.batches.scans_root(), batch_id)


@blp.route("/scan-batches/<string:batch_id>", methods=["DELETE"])
@blp.doc(operationId="deleteScanBatch", security=SECURITY)
@blp.response(204)
@blp.alt_response(404, description="No such batch")
@blp.alt_response(409, description="The batch is being processed")
@token_required
def delete_scan_batch(batch_id: str) -> Any:
    """Throw a batch away with its pages."""
    _officer()
    scanning.pages.discard_batch(scanning.batches.scans_root(), batch_id)
    return None


@blp.route("/scan-batches/<string:batch_id>/pages/<int:number>", methods=["PUT"])
@blp.doc(operationId="uploadScanPage", security=SECURITY)
@blp.arguments(UploadScanPageSchema, location="multipart")
@blp.response(201, ScanPageSchema, description="Stored")
@blp.alt_response(200, schema=ScanPageSchema, description="Held already (same SHA-256)")
@blp.alt_response(409, description="Another image holds this page number")
@blp.alt_response(422, description="Not an image, or the body does not match its SHA-256")
@token_required
def upload_scan_page(form: dict[str, Any], batch_id: str, number: int) -> Any:
    """Store page ``number`` (1-based) of the batch; safe to repeat."""
    _officer()
    upload = form["file"]
    page, created = scanning.pages.upload_page(
        scanning.batches.scans_root(),
        batch_id,
        number,
        upload.stream,
        sha256=form["sha256"],
        max_bytes=int(current_app.config["SCANNER_MAX_PAGE_BYTES"]),
    )
    return page, 201 if created else 200


@blp.route("/scan-batches/<string:batch_id>/finish", methods=["POST"])
@blp.doc(operationId="finishScanBatch", security=SECURITY)
@blp.arguments(FinishScanBatchSchema)
@blp.response(202, JobSchema)
@blp.alt_response(409, description="The batch is busy")
@blp.alt_response(422, description="Pages missing, or no title")
@token_required
def finish_scan_batch(args: dict[str, Any], batch_id: str) -> Any:
    """OCR the pages and add them to the catalogue, or deliver them privately to the
    reader whose scan request the batch answers (a job: poll ``getJob``; its result
    names ``publication_id`` or ``scan_request_id``). Safe to repeat: a batch already
    finishing answers with its job."""
    user = _officer()
    target = None
    if any(args.get(k) for k in ("title", "kat_no", "access")):
        current = scanning.pages.load_batch(scanning.batches.scans_root(), batch_id)["target"]
        target = {**current, **{k: args[k] for k in ("title", "kat_no", "access") if args.get(k)}}
    job = scanning.batches.finish_batch(
        db.session(),
        scanning.batches.scans_root(),
        batch_id,
        actor_id=user.id,
        expected_pages=args["pages"],
        target=target,
    )
    return job, 202, {"Location": url_for("jobs.get_job", job_id=job.id)}


@blp.route("/scanners")
@blp.doc(operationId="listScanners", security=SECURITY)
@blp.response(200, ScannerSchema(many=True))
@token_required
def list_scanners() -> Any:
    """The scanners the server itself reaches (attached, or over SANE's network)."""
    _officer()
    devices, _error = scanning.batches.list_devices(current_app.config, current_app.instance_path)
    return [{"name": d.name, "label": d.label} for d in devices]
