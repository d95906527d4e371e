"""The accounts' retention rules: walk-in visitors and inactive accounts are anonymised.

Two kinds of account hold a person's profile (name, ID number, phone, institution…):
- a **walk-in visitor** the guest book or the kiosk registered, with no email and so no
  website account (``RETENTION_WALK_IN_DAYS``);
- a **website account** (``RETENTION_INACTIVE_ACCOUNT_DAYS``).
Either is anonymised by :func:`~app.accounts.services.erasure.anonymise_person` — the
same erasure a person may ask for, keeping orders, service records, ratings, letters and
the audit trail — once the person has done nothing for the period: not signed in, and
no activity any feature records (a guest-book visit, an order, a download, a
consultation…). Features tell what counts as activity with :func:`register_activity`;
the kernel never imports them. Staff accounts are never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.retention import RetentionRule, register_rule

#: ``since(cutoff)``: a clause, correlated with ``User.id``, true when the person did
#: something a feature records at or after ``cutoff``.
ActivitySince = Callable[[datetime], ColumnElement[bool]]

_KEY = "pst.account_activity"
#: Accounts anonymised per rule and run: each is a few statements per feature, and a
#: run's changes commit together; the next day's run takes the next ones.
BATCH = 200


def register_activity(app: Flask, since: ActivitySince) -> None:
    """Count what ``since`` finds as a person's activity (from a feature's wiring)."""
    app.extensions.setdefault(_KEY, []).append(since)


def recorded_in(user_id: Any, at: Any) -> ActivitySince:
    """Activity as rows of a feature's table: ``user_id`` and ``at`` are its columns
    (``recorded_in(GuestVisit.user_id, GuestVisit.signed_at)``)."""

    def since(cutoff: datetime) -> ColumnElement[bool]:
        return exists().where(user_id == User.id, at >= cutoff)

    return since


def _activity() -> list[ActivitySince]:
    return list(current_app.extensions.get(_KEY, []))


def _due(cutoff: datetime, *, walk_in: bool) -> ColumnElement[bool]:
    from app.accounts.services.erasure import is_erased

    clauses = [
        User.role == Role.USER,
        User.created_at < cutoff,
        or_(User.last_login_at.is_(None), User.last_login_at < cutoff),
        User.email.is_(None) if walk_in else User.email.is_not(None),
        ~is_erased(),
    ]
    clauses.extend(~since(cutoff) for since in _activity())
    return and_(*clauses)


def _counter(*, walk_in: bool) -> Callable[[Session, datetime, datetime], int]:
    def count(session: Session, cutoff: datetime, now: datetime) -> int:
        del now
        query = select(func.count()).select_from(User).where(_due(cutoff, walk_in=walk_in))
        return session.scalar(query) or 0

    return count


def _anonymiser(*, walk_in: bool) -> Callable[[Session, datetime, datetime], int]:
    def anonymise(session: Session, cutoff: datetime, now: datetime) -> int:
        from app.accounts.services.erasure import anonymise_person

        people = session.scalars(
            select(User).where(_due(cutoff, walk_in=walk_in)).order_by(User.id).limit(BATCH)
        ).all()
        for person in people:
            anonymise_person(session, person, actor=None, now=now)
        return len(people)

    return anonymise


def register(app: Flask) -> None:
    """Add the two rules to ``app`` (the app's wiring)."""
    register_rule(
        app,
        RetentionRule(
            "accounts.walk_in_visitors",
            _l("Walk-in visitors without an account anonymised"),
            "RETENTION_WALK_IN_DAYS",
            _counter(walk_in=True),
            _anonymiser(walk_in=True),
        ),
    )
    register_rule(
        app,
        RetentionRule(
            "accounts.inactive",
            _l("Inactive website accounts anonymised"),
            "RETENTION_INACTIVE_ACCOUNT_DAYS",
            _counter(walk_in=False),
            _anonymiser(walk_in=False),
        ),
    )
