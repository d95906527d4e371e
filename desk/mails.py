"""The front desk's mail: after a walk-in service, the visitor is invited to rate it; an
address typed at the kiosk is asked to confirm itself before it joins an account.

Only a registered visitor with an email is mailed, once per record (``invited_at``),
after commit and in their language; the link carries the record's rating token, so no
sign-in is needed. A cancelled service is not rated, so not mailed. Online services
(downloads and the like) are not mailed: their rating invitation waits on the visitor's
"my services" page.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.mail import current_mailer, mail_to, send_after_commit
from app.urls import external_url
from desk.models import ServiceRecord

#: How long the kiosk's "confirm your email" link works.
CONFIRM_MAX_AGE = 7 * 24 * 3600


def invite_to_rate(
    session: Session, record: ServiceRecord, label: object, *, now: datetime
) -> None:
    """Mail the visitor of ``record`` a link to rate the service (``label``: its name);
    ``now`` is noted as the time of the invitation."""
    user = record.user
    if user is None or not user.email or not user.active or record.rating is not None:
        return
    if not record.ratable or record.invited_at is not None:
        return
    mail = mail_to(
        user,
        _l("How was our service today?"),
        "desk/mail/rate_invitation.txt",
        record=record,
        service=label,
        link=external_url("desk.rate", token=record.rating_token),
    )
    send_after_commit(session, current_mailer(), mail)
    record.invited_at = now


def _confirm_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="desk.confirm-email")


def confirm_token(user_id: int, address: str, *, secret_key: str) -> str:
    return _confirm_serializer(secret_key).dumps({"u": user_id, "e": address})


def read_confirm_token(token: str, *, secret_key: str) -> tuple[int, str] | None:
    """The account and address a confirmation link names, or None (forged, expired)."""
    try:
        data: Any = _confirm_serializer(secret_key).loads(token, max_age=CONFIRM_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, address = data.get("u"), data.get("e")
    if not isinstance(user_id, int) or not isinstance(address, str):
        return None
    return user_id, address


def confirm_email(session: Session, user: User, address: str, *, secret_key: str) -> None:
    """Mail ``address`` (not the account: it has none yet) the link that adds it to the
    account of the visitor who typed it at the kiosk."""
    mail = mail_to(
        user,
        _l("Confirm your email address for the front desk"),
        "desk/mail/confirm_email.txt",
        link=external_url(
            "desk.confirm_email", token=confirm_token(user.id, address, secret_key=secret_key)
        ),
    )
    send_after_commit(session, current_mailer(), replace(mail, to=address))
