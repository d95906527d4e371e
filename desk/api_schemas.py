"""The front-desk API's schemas (marshmallow): what :mod:`desk.api` reads and answers."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import url_for

from app.extensions import db
from desk import ikm, queue
from desk.models import (
    ELEMENTS,
    Outcome,
    Purpose,
    RecordChannel,
    ServiceType,
)

SERVICES = [s.value for s in ServiceType]


class TicketSchema(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.String(metadata={"example": "A-001"})
    service = ma.fields.Function(lambda t: t.service.value)
    status = ma.fields.Function(lambda t: t.status.value)
    service_day = ma.fields.Date()
    issued_at = ma.fields.DateTime()
    called_at = ma.fields.DateTime(allow_none=True)
    desk = ma.fields.String(allow_none=True)
    people_ahead = ma.fields.Function(lambda t: queue.people_ahead(db.session(), t))
    status_url = ma.fields.Function(lambda t: url_for("desk.ticket", token=t.token, _external=True))
    print_url = ma.fields.Function(
        lambda t: url_for("desk.ticket_print", token=t.token, _external=True)
    )


class TakeTicketSchema(ma.Schema):
    service = ma.fields.String(required=True, validate=ma.validate.OneOf(SERVICES))
    appointment_code = ma.fields.String(validate=ma.validate.Length(max=12))


class ProfileSchema(ma.Schema):
    full_name = ma.fields.String(required=True, validate=ma.validate.Length(1, 120))
    phone = ma.fields.String(required=True, validate=ma.validate.Length(7, 32))
    id_type = ma.fields.String(
        required=True, validate=ma.validate.OneOf(["ktp", "sim", "passport", "student_card"])
    )
    id_number = ma.fields.String(required=True, validate=ma.validate.Length(3, 40))
    institution = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    institution_kind = ma.fields.String(required=True)
    occupation = ma.fields.String(required=True, validate=ma.validate.Length(1, 120))
    education = ma.fields.String(required=True)
    gender = ma.fields.String(required=True, validate=ma.validate.OneOf(["male", "female"]))
    birth_year = ma.fields.Integer(required=True, validate=ma.validate.Range(1900, 2100))

    @ma.validates_schema
    def _check(self, data: dict[str, Any], **_: Any) -> None:
        from werkzeug.datastructures import MultiDict

        from app.accounts.forms import ProfileForm

        form = ProfileForm(
            formdata=MultiDict({k: str(v) for k, v in data.items()}), meta={"csrf": False}
        )
        form.validate()
        errors = {k: [str(m) for m in v] for k, v in form.errors.items() if k in data}
        if errors:
            raise ma.ValidationError(errors)


class VisitInSchema(ma.Schema):
    visitor = ma.fields.String(
        metadata={"description": "A returning visitor's ID number, phone or email (staff only)"}
    )
    profile = ma.fields.Nested(ProfileSchema, metadata={"description": "A new visitor's profile"})
    email = ma.fields.Email(
        metadata={"description": "A new visitor's email (optional: phone and ID find them)"}
    )
    services = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(SERVICES)),
        required=True,
        validate=ma.validate.Length(min=1),
    )
    purpose = ma.fields.String(
        required=True, validate=ma.validate.OneOf([p.value for p in Purpose])
    )
    need = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))
    appointment_code = ma.fields.String(validate=ma.validate.Length(max=12))
    opened_at = ma.fields.AwareDateTime(
        metadata={"description": "When the visitor started the form (for the 10-minute standard)"}
    )
    consent = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "The visitor agrees to the privacy notice (version `notice`): "
            "required for a new visitor (`profile`) and for a returning one (`visitor`) who "
            "has not agreed to the current version; recorded with the visit"
        },
    )
    notice = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=999_999),
        metadata={"description": "The notice version the visitor read (default: the current)"},
    )


class IssuedTicket:
    """An :class:`~desk.queue.Issued` read as its ticket with a ``reused`` flag."""

    def __init__(self, issued: queue.Issued) -> None:
        self._ticket = issued.ticket
        self.reused = issued.reused

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ticket, name)


class IssuedSchema(TicketSchema):
    reused = ma.fields.Boolean(
        metadata={"description": "The visitor already held this open number; no new one"}
    )


class VisitOutSchema(ma.Schema):
    visit_id = ma.fields.Integer()
    returning = ma.fields.Boolean()
    ticket = ma.fields.Nested(IssuedSchema, metadata={"description": "The first of `tickets`"})
    tickets = ma.fields.List(
        ma.fields.Nested(IssuedSchema),
        metadata={"description": "One number per service asked for, in service order"},
    )


class CallNextSchema(ma.Schema):
    services = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(SERVICES)),
        required=True,
        validate=ma.validate.Length(min=1),
    )
    desk = ma.fields.String(required=True, validate=ma.validate.Length(1, 20))


class FinishSchema(ma.Schema):
    outcome = ma.fields.String(
        load_default=Outcome.SERVED.value, validate=ma.validate.OneOf([o.value for o in Outcome])
    )
    products = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(max=300)), load_default=list
    )
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=4000))


class RatingSummary(ma.Schema):
    scores = ma.fields.Function(lambda r: dict(zip(ELEMENTS, r.scores, strict=True)))
    comment = ma.fields.String()
    submitted_at = ma.fields.DateTime()


class RecordSchema(ma.Schema):
    id = ma.fields.Integer()
    service = ma.fields.Function(lambda r: r.service.value)
    channel = ma.fields.Function(lambda r: r.channel.value)
    user_id = ma.fields.Integer(allow_none=True)
    user_name = ma.fields.Function(lambda r: r.user.full_name if r.user else None)
    officer_id = ma.fields.Integer(allow_none=True)
    officer_name = ma.fields.Function(lambda r: r.officer.full_name if r.officer else None)
    desk = ma.fields.String(allow_none=True)
    ticket = ma.fields.Function(lambda r: r.ticket.number if r.ticket else None)
    service_day = ma.fields.Date()
    started_at = ma.fields.DateTime()
    ended_at = ma.fields.DateTime()
    outcome = ma.fields.Function(lambda r: r.outcome.value)
    products = ma.fields.Function(lambda r: r.product_list)
    note = ma.fields.String()
    source = ma.fields.String(allow_none=True)
    source_ref = ma.fields.String(allow_none=True)
    rating = ma.fields.Nested(RatingSummary, allow_none=True)
    service_key = ma.fields.String()
    # None for a cancelled service: there is nothing to rate.
    rating_url = ma.fields.Function(
        lambda r: url_for("desk.rate", token=r.rating_token, _external=True) if r.ratable else None
    )


class RecordListArgs(ma.Schema):
    q = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    service = ma.fields.String(validate=ma.validate.OneOf(SERVICES))
    channel = ma.fields.String(validate=ma.validate.OneOf([c.value for c in RecordChannel]))
    officer_id = ma.fields.Integer()
    date_from = ma.fields.Date()
    date_to = ma.fields.Date()
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(1, 10_000))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(1, 200))


class RecordListSchema(ma.Schema):
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    pages = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(RecordSchema))


class RatingInSchema(ma.Schema):
    record_id = ma.fields.Integer(
        metadata={"description": "The record rated (yours, or any for staff)"}
    )
    token = ma.fields.String(metadata={"description": "Or the record's rating-invitation token"})
    scores = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(ELEMENTS)),
        values=ma.fields.Integer(validate=ma.validate.Range(1, 4)),
        required=True,
        metadata={"description": "u1 … u9, each 1–4", "example": dict.fromkeys(ELEMENTS, 4)},
    )
    comment = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))
    opened_at = ma.fields.AwareDateTime()

    @ma.validates_schema
    def _one_of(self, data: dict[str, Any], **_: Any) -> None:
        if ("record_id" in data) == ("token" in data):
            raise ma.ValidationError("give record_id or token", "record_id")
        if set(data["scores"]) != set(ELEMENTS):
            raise ma.ValidationError("score all nine elements u1 … u9", "scores")


class RatingOutSchema(ma.Schema):
    id = ma.fields.Integer()
    record_id = ma.fields.Integer()
    scores = ma.fields.Function(lambda r: dict(zip(ELEMENTS, r.scores, strict=True)))
    comment = ma.fields.String()
    submitted_at = ma.fields.DateTime()


class IkmArgs(ma.Schema):
    date_from = ma.fields.Date()
    date_to = ma.fields.Date()
    service = ma.fields.String(validate=ma.validate.OneOf(SERVICES))
    officer_id = ma.fields.Integer()
    by = ma.fields.String(validate=ma.validate.OneOf(list(ikm.GROUPS)))


def ikm_json(result: ikm.IkmResult) -> dict[str, Any]:
    return {
        "respondents": result.respondents,
        "nrr": {e: str(v) for e, v in zip(ELEMENTS, result.nrr_display, strict=True)},
        "nrr_exact": {e: str(v) for e, v in zip(ELEMENTS, result.nrr, strict=True)},
        "ikm": str(result.ikm_display) if result.respondents else None,
        "ikm_exact": str(result.ikm) if result.respondents else None,
        "grade": result.grade,
    }


class IkmResultSchema(ma.Schema):
    respondents = ma.fields.Integer()
    nrr = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.String(),
        metadata={"description": "Per element: NRR rounded to 2 decimals"},
    )  # fmt: skip
    nrr_exact = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.String(),
        metadata={"description": "Per element: NRR as an exact fraction"},
    )  # fmt: skip
    ikm = ma.fields.String(allow_none=True, metadata={"example": "81.25"})
    ikm_exact = ma.fields.String(allow_none=True, metadata={"example": "325/4"})
    grade = ma.fields.String(allow_none=True, metadata={"example": "B"})


class IkmGroupSchema(IkmResultSchema):
    key = ma.fields.Raw(allow_none=True)


class IkmReportSchema(IkmResultSchema):
    by = ma.fields.String(allow_none=True)
    groups = ma.fields.List(ma.fields.Nested(IkmGroupSchema))


class QueueSchema(ma.Schema):
    service = ma.fields.String()
    service_label = ma.fields.String()
    prefix = ma.fields.String()
    waiting = ma.fields.Integer()
    next = ma.fields.List(ma.fields.String())
    serving = ma.fields.List(ma.fields.Dict())


class CallSchema(ma.Schema):
    number = ma.fields.String()
    desk = ma.fields.String(allow_none=True)
    service = ma.fields.String()
    service_label = ma.fields.String()
    status = ma.fields.String()
    called_at = ma.fields.String(allow_none=True)


class BoardSchema(ma.Schema):
    signal = ma.fields.String(metadata={"description": "Changes on every call or recall"})
    open = ma.fields.Boolean()
    clock = ma.fields.String()
    calls = ma.fields.List(ma.fields.Nested(CallSchema))
    queues = ma.fields.List(ma.fields.Nested(QueueSchema))
