"""The visitor's number — its live status page, the printed ticket and its QR code — and
the display board (same blueprint as :mod:`desk.views`)."""

from __future__ import annotations

from typing import Any

from flask import (
    Response,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from app.extensions import db
from app.i18n import to_wib
from desk import printing, queue
from desk.http import desk_settings
from desk.models import (
    Ticket,
)
from desk.views import _now, bp

# --- the number: status page, print, QR --------------------------------------------------


def _status_payload(first: Ticket) -> dict[str, Any]:
    """The status of the visitor's number; after a transfer, of the new number (with
    the number it came from), so the page of the first ticket stays useful."""
    ticket = queue.current_ticket(db.session(), first)
    record = ticket.record
    rate_url = None
    if record is not None and record.rating is None and record.ratable:
        rate_url = url_for("desk.rate", token=record.rating_token)
    transferred_from = None
    if ticket.id != first.id:
        transferred_from = first.number
        if ticket.transferred_from_id not in (None, first.id):
            previous = db.session.get(Ticket, ticket.transferred_from_id)
            transferred_from = previous.number if previous is not None else first.number
    return {
        "number": ticket.number,
        "service": ticket.service.value,
        "service_label": str(queue.SERVICE_LABELS[ticket.service]),
        "status": ticket.status.value,
        "status_label": str(queue.STATUS_LABELS[ticket.status]),
        "ahead": queue.people_ahead(db.session(), ticket),
        "desk": ticket.desk,
        "rate_url": rate_url,
        "rated": record is not None and record.rating is not None,
        "transferred_from": transferred_from,
        "transferred_note": _(
            "Transferred from number %(number)s.",
            number=transferred_from,
        )
        if transferred_from
        else None,
    }


@bp.get("/desk/ticket/<token>")
def ticket(token: str) -> Any:
    found = queue.ticket_by_token(db.session(), token)
    return render_template(
        "desk/ticket.html",
        ticket=queue.current_ticket(db.session(), found),
        token=found.token,
        status=_status_payload(found),
        kiosk=request.args.get("kiosk") == "1",
        others=queue.visit_tickets(db.session(), found),
    )


@bp.get("/desk/ticket/<token>/status")
def ticket_status(token: str) -> Any:
    found = queue.ticket_by_token(db.session(), token)
    response = current_app.json.response(_status_payload(found))
    response.headers["Cache-Control"] = "no-store"
    return response


def status_url(ticket: Ticket) -> str:
    base = current_app.config.get("BASE_URL")
    path = url_for("desk.ticket", token=ticket.token)
    return (
        f"{base.rstrip('/')}{path}"
        if base
        else url_for("desk.ticket", token=ticket.token, _external=True)
    )


@bp.get("/desk/ticket/<token>/print")
def ticket_print(token: str) -> Any:
    found = queue.current_ticket(db.session(), queue.ticket_by_token(db.session(), token))
    width = request.args.get("w", 80, type=int)
    if width not in printing.WIDTHS_MM:
        width = 80
    ahead = queue.people_ahead(db.session(), found)
    text = printing.TicketText(
        office=current_app.config["OFFICE_NAME"],
        service=str(queue.SERVICE_LABELS[found.service]),
        number=found.number,
        issued=to_wib(found.issued_at).strftime("%d-%m-%Y %H:%M") + " WIB",
        ahead=_("%(n)s people ahead of you", n=ahead),
        status_url=status_url(found),
        scan_hint=_("Scan to follow your number"),
        footer=_("After the service, please rate us."),
        rating_code=_("Rating code: %(code)s", code=found.printed_rating_code)
        if found.rating_code
        else "",
    )
    body = printing.ticket_pdf(text, width)
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="ticket-{found.number}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/desk/ticket/<token>/qr.svg")
def ticket_qr(token: str) -> Any:
    from reportlab.graphics import renderSVG

    from app.documents import qr_drawing

    found = queue.ticket_by_token(db.session(), token)
    drawing = qr_drawing(status_url(found), 200)
    response = Response(renderSVG.drawToString(drawing), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


# --- the display board -----------------------------------------------------------------


def _board_payload() -> dict[str, Any]:
    now = _now()
    state = queue.board(
        db.session(),
        now,
        calls=int(current_app.config["DESK_CALLS_ON_BOARD"]),
        settings=desk_settings(),
    )
    return {
        "signal": state.signal,
        "open": state.open_now,
        "clock": to_wib(now).strftime("%H:%M"),
        "calls": [
            {
                "number": t.number,
                "desk": t.desk,
                "service": t.service.value,
                "service_label": str(queue.SERVICE_LABELS[t.service]),
                "status": t.status.value,
                "called_at": t.last_called_at.isoformat() if t.last_called_at else None,
            }
            for t in state.calls
        ],
        "queues": [
            {
                "service": q.service.value,
                "service_label": str(queue.SERVICE_LABELS[q.service]),
                "prefix": q.prefix,
                "waiting": q.waiting,
                "next": q.next_numbers,
                "serving": [{"number": n, "desk": d} for n, d in q.serving],
            }
            for q in state.queues
        ],
    }


@bp.get("/desk/board")
def board() -> Any:
    return render_template(
        "desk/board.html",
        data=_board_payload(),
        poll_ms=int(current_app.config["DESK_BOARD_POLL_MS"]),
    )


@bp.get("/desk/board/data")
def board_data() -> Any:
    response = current_app.json.response(_board_payload())
    response.headers["Cache-Control"] = "no-store"
    return response
