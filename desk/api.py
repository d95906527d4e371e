"""The front desk's JSON API: guest book, queue numbers, the board, the desk console,
ratings, the IKM report and the service records."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint

from app import clock
from app.accounts.models import Role, User
from app.accounts.services import consent as privacy
from app.api.auth import SECURITY, api_user, token_required
from app.errors import Forbidden
from app.extensions import db
from desk import guestbook, ikm, queue, records
from desk.api_schemas import (
    BoardSchema,
    CallNextSchema,
    FinishSchema,
    IkmArgs,
    IkmReportSchema,
    IssuedTicket,
    RatingInSchema,
    RatingOutSchema,
    RecordListArgs,
    RecordListSchema,
    RecordSchema,
    TakeTicketSchema,
    TicketSchema,
    VisitInSchema,
    VisitOutSchema,
    ikm_json,
)
from desk.errors import ConsentRequired, VisitorNotFound
from desk.http import desk_settings
from desk.models import (
    Channel,
    Outcome,
    Purpose,
    RecordChannel,
    ServiceType,
)

blp = Blueprint("desk_api", __name__, description="Front desk")

_RECEPTION = (Role.RECEPTIONIST, Role.OFFICER, Role.HEAD)
_OFFICERS = (Role.OFFICER, Role.HEAD)


def _require(user: User, *roles: Role) -> None:
    if not user.has_role(*roles):
        raise Forbidden()


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
    in, during service hours or with an appointment code. The receptionist sends
    ``consent: true`` once a new visitor, or a returning one who has not agreed to the
    current privacy notice, agrees to it (422 without it; nothing is saved). One visit
    per visitor and day: signing in again adds to it, and a service whose number the visitor still
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
            asked = privacy.must_ask(db.session(), found)
        else:
            who = {"profile": _profile(data["profile"]), "email": data.get("email")}
            asked = True
        # As on the guest book's forms: the receptionist records the visitor's consent
        # where it is needed, and nothing is saved without it.
        if asked and not data["consent"]:
            raise ConsentRequired()
        if asked:
            who["consent"] = guestbook.Consented(data.get("notice"))
    else:
        who = {"user_id": user.id}  # a service user's own API: not interrupted (README)
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
    tickets = [IssuedTicket(issued) for issued in signed.numbers]
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
    from desk.ticket_views import _board_payload

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
    result: dict[str, Any] = ikm_json(ikm.compute(r.scores for r in rows))
    result["by"] = args.get("by")
    result["groups"] = (
        [{"key": key, **ikm_json(value)} for key, value in ikm.breakdown(rows, args["by"])]
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
