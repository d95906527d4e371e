"""The front desk's mail: after a walk-in service, the visitor is invited to rate it.

Only a registered visitor with an email is mailed, once per record (``invited_at``),
after commit and in their language; the link carries the record's rating token, so no
sign-in is needed. A cancelled service is not rated, so not mailed. Online services
(downloads and the like) are not mailed: their rating invitation waits on the visitor's
"my services" page.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.db import utcnow
from app.mail import current_mailer, mail_to, send_after_commit
from app.urls import external_url
from desk.models import ServiceRecord


def invite_to_rate(session: Session, record: ServiceRecord, label: object) -> None:
    """Mail the visitor of ``record`` a link to rate the service (``label``: its name)."""
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
    record.invited_at = utcnow()
