"""The audit trail: who did what to which record, when and from where.

Any package records events through :func:`record`; the event joins the caller's
transaction, so a change and its trail commit (or roll back) together. Pages show an
event through :func:`readable`: the action as words and its detail as label/value rows,
never the stored JSON; features name their own actions with :func:`label_actions`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(45))
    detail: Mapped[str | None] = mapped_column(Text)


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None,
    subject_type: str | None = None,
    subject_id: object = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add an audit event to ``session`` (committed by the caller's service)."""
    event = AuditEvent(
        at=at or utcnow(),
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=None if subject_id is None else str(subject_id),
        ip=request.remote_addr if has_request_context() else None,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None,
    )
    session.add(event)
    return event


#: What each action is called on a page (features add theirs with :func:`label_actions`).
ACTION_LABELS: dict[str, Any] = {
    "account.registered": _l("Account registered"),
    "account.email_verified": _l("Email address confirmed"),
    "account.login": _l("Signed in"),
    "account.signed_out": _l("Signed out on every device"),
    "account.reset_requested": _l("Password reset asked for"),
    "account.password_reset": _l("Password reset"),
    "account.password_changed": _l("Password changed"),
    "account.profile_updated": _l("Profile updated"),
    "account.staff_created": _l("Staff account created"),
    "account.role_changed": _l("Role changed"),
    "account.activated": _l("Account activated"),
    "account.deactivated": _l("Account deactivated"),
    "account.2fa_enabled": _l("Two-factor sign-in turned on"),
    "account.2fa_disabled": _l("Two-factor sign-in turned off"),
    "account.2fa_reset": _l("Two-factor sign-in reset by an administrator"),
    "account.2fa_passed": _l("Two-factor code accepted"),
    "account.2fa_refused": _l("Two-factor code refused"),
    "account.2fa_recovery_used": _l("Recovery code used"),
    "token.created": _l("API token created"),
    "token.revoked": _l("API token revoked"),
    "job.retried": _l("Job run again"),
    "job.cancelled": _l("Job cancelled"),
}
#: What the keys of an event's detail are called.
DETAIL_LABELS: dict[str, Any] = {
    "role": _l("Role"),
    "from": _l("Before"),
    "to": _l("After"),
    "fields": _l("Fields changed"),
    "why": _l("Reason"),
    "left": _l("Recovery codes left"),
}


#: What stored values of a detail key are called (``{"outcome": {"served": "Served"}}``).
VALUE_LABELS: dict[str, dict[str, Any]] = {}


def label_actions(
    actions: Mapping[str, Any],
    details: Mapping[str, Any] | None = None,
    values: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """Name a feature's actions, the keys of their details and the stored values of
    those keys (enumerations) for the pages."""
    ACTION_LABELS.update(actions)
    DETAIL_LABELS.update(details or {})
    for key, names in (values or {}).items():
        VALUE_LABELS.setdefault(key, {}).update(names)


def value_label(key: str, item: Any) -> Any:
    """A stored detail value in words when its feature named it, else ``item``."""
    names = VALUE_LABELS.get(key)
    if names is not None and isinstance(item, str) and item in names:
        return str(names[item])
    return item


def action_label(action: str) -> str:
    """What ``action`` is called on a page (its words when no feature named it)."""
    return str(ACTION_LABELS.get(action) or _words(action))


def _words(code: str) -> str:
    # An unnamed key or action: its words spaced, in the reader's language when the
    # catalogue happens to hold them ("on_time" is "tepat waktu"), never the identifier.
    words = code.rsplit(".", 1)[-1].replace("_", " ").strip()
    translated = _(words)
    if translated != words:
        return translated
    capital = words[:1].upper() + words[1:]
    translated = _(capital)
    return translated if translated != capital else capital


@dataclass(frozen=True)
class ReadableEvent:
    at: datetime
    action: str
    actor_id: int | None
    rows: list[tuple[str, str]]  # (label, value)


def readable(event: AuditEvent, value: Callable[[str, Any], Any] | None = None) -> ReadableEvent:
    """``event`` as a person reads it. ``value(key, item)`` names a stored value (a role,
    a field); unnamed keys are shown with their words spaced, lists joined."""
    try:
        detail = json.loads(event.detail) if event.detail else {}
    except ValueError:
        detail = {"detail": event.detail}
    if not isinstance(detail, dict):
        detail = {"detail": detail}
    rows = []
    for key, raw in detail.items():
        items = raw if isinstance(raw, list) else [raw]
        name = value or value_label
        shown = [str(name(key, item)) for item in items if item is not None]
        label = DETAIL_LABELS.get(key) or _words(key)
        rows.append((str(label), ", ".join(shown) if shown else _("none")))
    return ReadableEvent(event.at, action_label(event.action), event.actor_id, rows)
