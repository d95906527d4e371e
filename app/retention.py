"""Retention: how long each kind of personal data is kept, and the job that enforces it.

UU 27/2022 asks that personal data be kept no longer than its purpose needs. Each
feature knows its own data, so each registers a :class:`RetentionRule` for what it
holds (the desk its rating comments, the library its download logs' addresses, the
accounts their inactive and walk-in visitors); the kernel only runs them.

A rule is a period (a setting, in days; 0 keeps the data for good) and two queries
over the rows older than the cutoff: how many are due, and the change that erases
them. The change erases or anonymises personal fields and never deletes the records
the law or the statistics need (orders, service records, IKM scores, the audit
trail), so totals still add up after a run.

:func:`run` is called daily by a periodic task and by ``pst privacy retention``, whose
``--dry-run`` reports what a run would change without changing anything. Services
never commit: the caller's unit of work does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from app import audit, jobs

#: ``fn(session, cutoff, now) -> rows``: count (find) or change (apply) the rows older
#: than ``cutoff``; ``now`` is the run's moment, for the records an apply writes.
RuleQuery = Callable[[Session, datetime, datetime], int]

APPLIED = "privacy.retention_applied"
audit.label_actions(
    {APPLIED: _l("Retention period applied")},
    {
        "rule": _l("Retention rule"),
        "days": _l("Days kept"),
        "cutoff": _l("Before"),
        "rows": _l("Records changed"),
    },
)

#: How often the periodic task runs (a day: periods are counted in days).
RUN_EVERY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class RetentionRule:
    """One kind of personal data and how it is let go when its period has passed."""

    name: str  # "library.download_client", the audit detail and the CLI's key
    label: LazyString | str  # what the rule does, in words, for reports
    setting: str  # the config key holding the period in days (0: kept for good)
    find: RuleQuery
    apply: RuleQuery


@dataclass(frozen=True)
class RuleReport:
    """What one rule found (and, unless a dry run, changed) in one run."""

    name: str
    label: str
    days: int
    cutoff: datetime | None  # None: the period is 0, the data is kept
    due: int
    changed: int


_KEY = "pst.retention_rules"


def register_rule(app: Flask, rule: RetentionRule) -> None:
    """Add a feature's rule to ``app`` (from its wiring), once per name."""
    registered: dict[str, RetentionRule] = app.extensions.setdefault(_KEY, {})
    if rule.name in registered:
        raise ValueError(f"retention rule {rule.name!r} registered twice")
    registered[rule.name] = rule


def rules(app: Flask | None = None) -> list[RetentionRule]:
    """The rules registered on ``app`` (the current app by default), by name."""
    found: dict[str, RetentionRule] = (app or current_app).extensions.get(_KEY, {})
    return sorted(found.values(), key=lambda r: r.name)


def period_days(config: Mapping[str, Any], rule: RetentionRule) -> int:
    """The rule's period from the configuration; negative values count as 0 (kept)."""
    return max(0, int(config.get(rule.setting) or 0))


def run(
    session: Session,
    config: Mapping[str, Any],
    now: datetime,
    rules: Iterable[RetentionRule],
    *,
    dry_run: bool,
    actor_id: int | None = None,
) -> list[RuleReport]:
    """Apply (or, with ``dry_run``, only count) each of ``rules`` at ``now``.

    Each rule that changed rows leaves one audit entry with its name, cutoff and count.
    The caller commits; a failure rolls every rule of the run back together.
    """
    reports = []
    for rule in rules:
        days = period_days(config, rule)
        if days == 0:
            reports.append(RuleReport(rule.name, str(rule.label), 0, None, 0, 0))
            continue
        cutoff = now - timedelta(days=days)
        due = rule.find(session, cutoff, now)
        changed = 0 if dry_run or due == 0 else rule.apply(session, cutoff, now)
        if changed:
            audit.record(
                session,
                APPLIED,
                actor_id=actor_id,
                subject_type="retention",
                subject_id=rule.name,
                detail={
                    "rule": rule.name,
                    "days": days,
                    "cutoff": cutoff.isoformat(),
                    "rows": changed,
                },
                at=now,
            )
        reports.append(RuleReport(rule.name, str(rule.label), days, cutoff, due, changed))
    return reports


def _run_periodically(session: Session) -> None:
    # The sweeper calls this in an app context, once a day in each worker process;
    # a second process running it at once finds nothing left to change (the UPDATEs
    # re-check their condition), so the audit holds each change once.
    from app import clock
    from app.uow import unit_of_work

    if not current_app.config["RETENTION_AUTOMATIC"]:
        return
    with unit_of_work(session):
        run(session, current_app.config, clock.now(), rules(), dry_run=False)


jobs.periodic("privacy.retention", every_seconds=RUN_EVERY_SECONDS)(_run_periodically)
