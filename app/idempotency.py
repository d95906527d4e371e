"""Forms that make one object however often they are sent (double clicks, retries).

Each form that creates something carries a one-time token (a hidden field from
:class:`OnceForm`, drawn when the form is rendered). The service that creates the
object first *claims* the token: a row of ``form_submissions``, whose token column is
UNIQUE, inserted in the same transaction as the object and later given the object's
id. Ten concurrent posts of one form all try that insert; the database lets exactly
one through (on PostgreSQL the others wait for it and then fail on the constraint, on
SQLite they are serialised), and the others raise :class:`AlreadySubmitted`, which
names the winner's object so that the page can redirect to it with "already sent".

A post without a token (an API client, an old page) is not deduplicated by this; the
per-kind uniqueness rules (one open cart, one open scan request for the same pages)
still hold.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from wtforms import HiddenField

from app.db import Base, UTCDateTime, utcnow
from app.errors import PSTError

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class FormSubmission(Base):
    """A form post that created an object: its token, what it made, who sent it."""

    __tablename__ = "form_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(Integer)
    #: The created object's id (or code), set before the transaction commits.
    object_ref: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class AlreadySubmitted(PSTError):
    """The form was sent before; ``object_ref`` is what that post made (None when the
    token belongs to another form or person: nothing of theirs is revealed)."""

    status = 409
    message = _l("This form has already been sent.")

    def __init__(self, object_ref: str | None) -> None:
        super().__init__()
        self.object_ref = object_ref


def new_token() -> str:
    """A fresh one-time token for a form being rendered."""
    return secrets.token_urlsafe(24)


class OnceForm:
    """Mixin for a FlaskForm that creates an object: renders a one-time token
    (``{{ form.submission }}``) that is sent back with the post."""

    submission = HiddenField(default=new_token)

    @property
    def submission_token(self) -> str | None:
        """The token sent with the post, or None when it is missing or malformed."""
        value = self.submission.data
        return value if isinstance(value, str) and _TOKEN.match(value) else None


def claim(
    session: Session, token: str | None, *, kind: str, user_id: int | None
) -> FormSubmission | None:
    """Claim ``token`` for a ``kind`` of object in the session's transaction.

    Returns the claim (give it the object with :func:`settle` before committing), or
    None when there is no token. Raises :class:`AlreadySubmitted` when the token was
    used, also when that happened concurrently (the caller's unit of work then rolls
    back).
    """
    if not token:
        return None
    _check_used(session, token, kind=kind, user_id=user_id)
    row = FormSubmission(token=token, kind=kind, user_id=user_id, created_at=utcnow())
    session.add(row)
    try:
        # On PostgreSQL a concurrent insert of the same token waits here for the
        # other transaction, then fails if it committed.
        session.flush()
    except IntegrityError:
        # The other post committed it. This transaction is spoilt (its scope rolls back
        # as the error passes): the row is read on a session of its own.
        with Session(session.get_bind()) as fresh:
            _check_used(fresh, token, kind=kind, user_id=user_id)
        raise AlreadySubmitted(None) from None  # pragma: no cover - the row is there
    return row


def settle(submission: FormSubmission | None, object_ref: Any) -> None:
    """Record what the claimed post made (before the transaction commits)."""
    if submission is not None:
        submission.object_ref = str(object_ref)


def _check_used(session: Session, token: str, *, kind: str, user_id: int | None) -> None:
    used = session.scalar(select(FormSubmission).where(FormSubmission.token == token))
    if used is None:
        return
    mine = used.kind == kind and used.user_id == user_id
    raise AlreadySubmitted(used.object_ref if mine else None)
