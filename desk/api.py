"""The front desk's JSON API: guest book, queue numbers, the board, the desk console,
ratings, the IKM report and the service records."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, url_for
from flask_smorest import Blueprint

from app import clock
from app.accounts.models import Role, User
from app.api.auth import SECURITY, api_user, token_required
from app.errors import Forbidden
from app.extensions import db
from desk import guestbook, ikm, queue, records
from desk.errors import VisitorNotFound
from desk.http import desk_settings
from desk.models import (
    ELEMENTS,
    Channel,
    Outcome,
    Purpose,
    RecordChannel,
    ServiceType,
)

blp = Blueprint("desk_api", __name__, description="Front desk")

SERVICES = [s.value for s in ServiceType]
_RECEPTION = (Role.RECEPTIONIST, Role.OFFICER, Role.HEAD)
_OFFICERS = (Role.OFFICER, Role.HEAD)


def _require(user: User, *roles: Role) -> None:
    if not user.has_role(*roles):
        raise Forbidden()


# --- schemas ---------------------------------------------------------------------------


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


class _IssuedTicket:
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


def _ikm_json(result: ikm.IkmResult) -> dict[str, Any]:
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


# --- operations ------------------------------------------------------------------------


@blp.route("/desk/visits", methods=["POST"])
@blp.doc(operationId="createGuestVisit", security=SECURITY)
@blp.arguments(VisitInSchema)
@blp.response(201, VisitOutSchema)
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(403, description="Signing in someone else needs the receptionist role")
@blp.alt_response(404, description="No visitor with these details")
@blp.alt_response(409, description="Outside service hours without an appointment")
@token_required
def create_guest_visit(data: dict[str, Any]) -> Any:
    """Sign a visit into the guest book and issue a number for each service asked for.

    A receptionist signs in a returning visitor (``visitor``: ID number, phone or email)
    or a new one (``profile`` and ``email``) at any time; anyone else signs themselves
    in, during service hours or with an appointment code. One visit per visitor and
    day: signing in again adds to it, and a service whose number the visitor still
    holds (waiting, called or being served) gives that number back (``reused``)."""
    user = api_user()
    now = clock.now()
    staff = user.has_role(*_RECEPTION)
    who: dict[str, Any]
    if "visitor" in data or "profile" in data:
        _require(user, *_RECEPTION)
        if "visitor" in data:
            found = guestbook.lookup(db.session(), data["visitor"])
            if found is None:
                raise VisitorNotFound()
            who = {"user_id": found.id}
        else:
            who = {"profile": _profile(data["profile"]), "email": data.get("email")}
    else:
        who = {"user_id": user.id}
    signed = guestbook.sign_in(
        db.session(),
        now=now,
        opened_at=data.get("opened_at"),
        channel=Channel.RECEPTION if staff else Channel.API,
        services=data["services"],
        purpose=Purpose(data["purpose"]),
        need=data["need"],
        appointment_code=data.get("appointment_code"),
        receptionist_id=user.id if staff else None,
        staff=staff,
        settings=desk_settings(),
        **who,
    )
    tickets = [_IssuedTicket(issued) for issued in signed.numbers]
    return {
        "visit_id": signed.visit.id,
        "returning": signed.visit.is_returning,
        "ticket": tickets[0],
        "tickets": tickets,
    }


def _profile(raw: dict[str, Any]) -> dict[str, Any]:
    from app.accounts.models import Education, Gender, IdType, InstitutionKind

    return {
        **raw,
        "id_type": IdType(raw["id_type"]),
        "id_number": raw["id_number"].replace(" ", "").upper(),
        "institution_kind": InstitutionKind(raw["institution_kind"]),
        "education": Education(raw["education"]),
        "gender": Gender(raw["gender"]),
    }


@blp.route("/desk/tickets", methods=["POST"])
@blp.doc(operationId="takeQueueTicket", security=SECURITY)
@blp.arguments(TakeTicketSchema)
@blp.response(201, TicketSchema)
@blp.alt_response(200, schema=TicketSchema, description="The open number the visitor holds")
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(409, description="Outside service hours without an appointment")
@blp.alt_response(422, description="Unknown service or invalid appointment code")
@token_required
def take_queue_ticket(data: dict[str, Any]) -> Any:
    """Take the next number of a service's queue for the token's owner (staff: at any
    time; others: during service hours or with an appointment code). A visitor who
    still holds an open number of that service gets it back (200), not a second one."""
    user = api_user()
    issued = queue.take_number(
        db.session(),
        service=ServiceType(data["service"]),
        now=clock.now(),
        channel=Channel.API,
        user_id=user.id,
        staff=user.has_role(*_RECEPTION),
        appointment_code=data.get("appointment_code"),
        settings=desk_settings(),
    )
    return (issued.ticket, 200) if issued.reused else issued.ticket


@blp.route("/desk/board")
@blp.doc(operationId="getQueueBoard")
@blp.response(200, BoardSchema)
def get_queue_board() -> Any:
    """What the display board shows: the latest calls and every queue's state."""
    from desk.views import _board_payload

    return _board_payload()


@blp.route("/desk/tickets/call-next", methods=["POST"])
@blp.doc(operationId="callNextTicket", security=SECURITY)
@blp.arguments(CallNextSchema)
@blp.response(200, TicketSchema)
@blp.alt_response(204, description="Nobody is waiting")
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(403, description="Not an officer")
@blp.alt_response(409, description="The officer is still serving a number")
@token_required
def call_next_ticket(data: dict[str, Any]) -> Any:
    """Call the longest-waiting number of ``services`` to ``desk``."""
    user = api_user()
    _require(user, *_OFFICERS)
    ticket = queue.call_next(
        db.session(),
        services=[ServiceType(s) for s in data["services"]],
        officer_id=user.id,
        desk=data["desk"],
        now=clock.now(),
    )
    if ticket is None:
        return Response(status=204)
    return ticket


@blp.route("/desk/tickets/<int:ticket_id>/finish", methods=["POST"])
@blp.doc(operationId="finishTicket", security=SECURITY)
@blp.arguments(FinishSchema)
@blp.response(200, RecordSchema)
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(403, description="Not an officer, or another officer's number")
@blp.alt_response(404, description="No such number")
@blp.alt_response(409, description="The number is not called or being served")
@token_required
def finish_ticket(data: dict[str, Any], ticket_id: int) -> Any:
    """Finish serving a number: the service record is created and returned."""
    user = api_user()
    _require(user, *_OFFICERS)
    return queue.finish(
        db.session(),
        ticket_id,
        officer_id=user.id,
        now=clock.now(),
        outcome=Outcome(data["outcome"]),
        products=data["products"],
        note=data["note"],
    )


@blp.route("/desk/ratings", methods=["POST"])
@blp.doc(operationId="submitRating", security=SECURITY)
@blp.arguments(RatingInSchema)
@blp.response(201, RatingOutSchema)
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(403, description="Someone else's service")
@blp.alt_response(404, description="No such record")
@blp.alt_response(409, description="Already rated")
@token_required
def submit_rating(data: dict[str, Any]) -> Any:
    """Rate a service (IKM: nine elements scored 1–4, and a comment); once per record."""
    user = api_user()
    if "token" in data:
        record = records.record_by_token(db.session(), data["token"])
    else:
        record = records.get_record(db.session(), data["record_id"])
        if record.user_id != user.id and not user.has_role(*_RECEPTION):
            raise Forbidden()
    return ikm.submit_rating(
        db.session(),
        record=record,
        scores=data["scores"],
        comment=data["comment"],
        channel=Channel.API,
        opened_at=data.get("opened_at"),
        now=clock.now(),
    )


@blp.route("/desk/ikm")
@blp.doc(operationId="getIkmReport", security=SECURITY)
@blp.arguments(IkmArgs, location="query")
@blp.response(200, IkmReportSchema)
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(403, description="Not an officer or the head")
@token_required
def get_ikm_report(args: dict[str, Any]) -> Any:
    """The IKM (PermenPANRB 14/2017) of the ratings matching the filters, with the
    respondent count, per-element NRR, grade, and optionally a breakdown ``by`` service,
    officer, month or year. Figures are exact fractions rounded to 2 decimals."""
    user = api_user()
    _require(user, *_OFFICERS)
    filters: dict[str, Any] = {
        k: args[k] for k in ("date_from", "date_to", "officer_id") if k in args
    }
    if "service" in args:
        filters["service"] = ServiceType(args["service"])
    rows = ikm.rated_rows(db.session(), **filters)
    result: dict[str, Any] = _ikm_json(ikm.compute(r.scores for r in rows))
    result["by"] = args.get("by")
    result["groups"] = (
        [{"key": key, **_ikm_json(value)} for key, value in ikm.breakdown(rows, args["by"])]
        if args.get("by")
        else []
    )
    return result


@blp.route("/desk/records")
@blp.doc(operationId="listServiceRecords", security=SECURITY)
@blp.arguments(RecordListArgs, location="query")
@blp.response(200, RecordListSchema)
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(403, description="Not an officer or the head")
@token_required
def list_service_records(args: dict[str, Any]) -> Any:
    """Search the service records (walk-in and online), newest first."""
    user = api_user()
    _require(user, *_OFFICERS)
    found = records.search_records(
        db.session(),
        q=args["q"],
        service=ServiceType(args["service"]) if "service" in args else None,
        channel=RecordChannel(args["channel"]) if "channel" in args else None,
        officer_id=args.get("officer_id"),
        date_from=args.get("date_from"),
        date_to=args.get("date_to"),
        page=args["page"],
        per_page=args["per_page"],
    )
    return {"total": found.total, "page": found.page, "pages": found.pages, "items": found.rows}
