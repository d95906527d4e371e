"""The one rule for an account's email address, and finding an account by it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.errors import InvalidEmail
from app.accounts.models import User


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    """The normalised address, or :class:`InvalidEmail`. The one rule for an account's
    address, however it is made or used (the forms, ``pst users create``, the admin
    page), so that an address accepted anywhere can sign in: a well-formed address
    whose domain can receive mail (``email_validator`` without a DNS lookup; reserved
    names such as ``.test`` are refused — every account receives its links by mail)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise InvalidEmail() from None
    return normalise_email(email)


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))
