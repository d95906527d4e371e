"""Visitors of the guest book: finding a returning one (by ID number, phone or email),
masking their name for the kiosk, and the account of a new one — registration serialised
per ID number and email, so a double-tapped form makes one account. Signing a visit in
is :mod:`desk.guestbook`'s (which re-exports the look-ups).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from app import audit
from app.accounts.models import Role, User, has_id_number
from app.accounts.passwords import unusable_password
from app.accounts.services import PROFILE_FIELDS, normalise_email
from desk.errors import (
    IdentityMismatch,
)

_NON_DIGITS = re.compile(r"[^0-9]")


def normalise_phone(raw: str) -> str:
    """Digits only, with the Indonesian country code written as a leading 0."""
    digits = _NON_DIGITS.sub("", raw or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def _phone_column() -> Any:
    column: Any = User.phone
    for ch in (" ", "-", "+", "(", ")", "."):
        column = func.replace(column, ch, "")
    return column


def lookup(session: Session, key: str, *, confirmed_email: bool = False) -> User | None:
    """The visitor with this ID number, phone number or email address (active accounts).
    ``confirmed_email`` (the kiosk): an address matches only once its owner confirmed it."""
    key = (key or "").strip()
    if not key or len(key) > 254:
        return None
    if "@" in key:
        query = select(User).where(User.email == normalise_email(key), User.active)
        if confirmed_email:
            query = query.where(User.email_verified_at.is_not(None))
        by_email: User | None = session.scalar(query)
        return by_email
    compact = re.sub(r"\s+", "", key).upper()
    found: User | None = session.scalar(
        select(User).where(has_id_number(compact), User.active).order_by(User.id).limit(1)
    )
    if found is not None:
        return found
    phone = normalise_phone(key)
    if len(phone) < 8:
        return None
    variants = {phone, "62" + phone[1:]} if phone.startswith("0") else {phone}
    return session.scalar(
        select(User).where(_phone_column().in_(variants), User.active).order_by(User.id).limit(1)
    )


def mask_name(name: str) -> str:
    """``Dewi Anggraini`` → ``D. A.``: the initials, enough for a visitor to recognise
    themselves, too little to learn who else uses the office (not even the length of
    each name)."""
    words = (name or "").split()
    return " ".join(f"{w[0]}." for w in words[:3]) or "***"


def _find_existing(session: Session, profile: Mapping[str, Any], email: str | None) -> User | None:
    conditions = []
    if email:
        conditions.append(User.email == normalise_email(email))
    if profile.get("id_number"):
        conditions.append(has_id_number(profile["id_number"]))
    if not conditions:
        return None
    return session.scalar(
        select(User).where(or_(*conditions), User.active).order_by(User.id).limit(1)
    )


def _lock_identity(session: Session, keys: Sequence[str]) -> None:
    """Serialise registrations of one identity (a double-tapped "take a number" on the
    new-visitor form): on PostgreSQL a transaction-level advisory lock per key, taken
    in a fixed order, so the second request waits and then finds the first's account."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite serialises writers
    for key in sorted(set(keys)):
        digest = hashlib.sha256(f"desk.visitor:{key}".encode()).digest()
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"),
            {"key": int.from_bytes(digest[:8], "big", signed=True)},
        )


@dataclass(frozen=True)
class Visitor:
    """Whose visit a new-visitor form signs, and an address to confirm by mail."""

    user: User
    returning: bool
    email_to_confirm: str | None = None


def new_visitor(
    session: Session,
    profile: Mapping[str, Any],
    email: str | None,
    locale: str | None,
    *,
    staff: bool,
) -> Visitor:
    """The visitor's account for a new-visitor form: an existing one with this email or
    ID number, else a new one. Without an email the account has none (it serves the
    guest book, not the website)."""
    address = normalise_email(email) if email else None
    identity = [f"id:{profile['id_number']}"] if profile.get("id_number") else []
    _lock_identity(session, [*identity, *([f"email:{address}"] if address else [])])
    if not staff:
        return _kiosk_visitor(session, profile, address, locale)
    existing = _find_existing(session, profile, address)
    if existing is not None:
        _complete_profile(session, existing, profile, address)
        return Visitor(existing, True)
    user = _create_visitor(session, profile, address, locale, channel="reception")
    return Visitor(user, False)


def _create_visitor(
    session: Session,
    profile: Mapping[str, Any],
    address: str | None,
    locale: str | None,
    *,
    channel: str,
) -> User:
    user = User(
        email=address,
        password_hash=unusable_password(),
        role=Role.USER,
        locale=locale,
        **{k: profile.get(k) for k in PROFILE_FIELDS},
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        "desk.visitor_registered",
        actor_id=None,
        subject_type="user",
        subject_id=user.id,
        detail={"channel": channel},
    )
    return user


def _complete_profile(
    session: Session, existing: User, profile: Mapping[str, Any], address: str | None
) -> None:
    """At the reception (a receptionist saw the identity card): fill the account's
    blank profile fields, never overwrite, and add the email if it has none; audited
    with the names of the fields filled (not their values)."""
    filled = []
    for key in PROFILE_FIELDS:
        if getattr(existing, key) in (None, "") and profile.get(key) not in (None, ""):
            setattr(existing, key, profile[key])
            filled.append(key)
    taken = address and session.scalar(select(User.id).where(User.email == address))
    if existing.email is None and address and not taken:
        existing.email = address
        filled.append("email")
    if filled:
        audit.record(
            session,
            "desk.visitor_profile_completed",
            actor_id=None,
            subject_type="user",
            subject_id=existing.id,
            detail={"fields": ", ".join(filled)},
        )


def _same_phone(a: str | None, b: str | None) -> bool:
    return bool(a and b) and normalise_phone(a or "") == normalise_phone(b or "")


def _kiosk_visitor(
    session: Session, profile: Mapping[str, Any], address: str | None, locale: str | None
) -> Visitor:
    """At the kiosk nobody checks an identity card, so the form never changes an
    existing account and never gives an account an address its owner has not
    confirmed:

    - no account has this ID number or email: a new account without an email; a
      given address is mailed a confirmation link and joins the account when followed;
    - the ID number (and the email, if given and known) lead to one account whose ID
      number and phone are the ones typed: it is the same visitor (a double tap, or a
      returning visitor who skipped "Find me"); the visit is theirs, the account is
      left as it is (an address is only offered for confirmation, as above);
    - otherwise (another person's ID number or email): refused, nothing written but an
      audit entry; the receptionist resolves it with the identity card.
    """
    by_id = None
    if profile.get("id_number"):
        by_id = session.scalar(
            select(User)
            .where(has_id_number(profile["id_number"]), User.active)
            .order_by(User.id)
            .limit(1)
        )
    by_email = (
        session.scalar(select(User).where(User.email == address)) if address is not None else None
    )
    if by_id is None and by_email is None:
        user = _create_visitor(session, profile, None, locale, channel="kiosk")
        return Visitor(user, False, address)
    matches = {u.id: u for u in (by_id, by_email) if u is not None}
    same = by_id if by_id is not None else by_email
    if (
        len(matches) == 1
        and same is not None
        and same.active
        and same.id_number == profile.get("id_number")
        and _same_phone(same.phone, profile.get("phone"))
    ):
        pending = address if address is not None and same.email is None else None
        return Visitor(same, True, pending)
    raise IdentityMismatch(user_ids=sorted(matches))
