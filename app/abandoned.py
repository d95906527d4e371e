"""Abandoned work in progress in the shared blob store, and the sweep that removes it.

Work in progress lives in the blob store so that any host can finish it: an officer's
upload waiting for its ingest job (a catalogue upload, a corrected file, a softcopy
attached to a reader's request) is a blob registered in ``blobs``; a scan batch is a set
of work files (:mod:`scanning.store`). The features clean up on their own ways out (a
refused file, a discarded upload, a declined request), but some ends run no code of
theirs: a job failed by the jobs sweeper after its worker died, a job that gave up, a
batch nobody opens again. Such leftovers would stay for ever.

Each feature registers an :class:`AbandonRule` for its kind of leftover: a period (a
setting; 0 keeps them for good), a ``find`` that lists what is abandoned before the
cutoff and a ``remove`` that checks one again at the moment of removal and removes it.
A rule never takes work whose job is still queued or running, nor work touched within
its period. :func:`run` is called hourly by a periodic task of every jobs sweeper
(idempotent: several hosts may run it at once) and by ``pst storage sweep``, whose
``--dry-run`` only reports; each rule that removed something leaves one audit entry
naming what went.

:func:`upload_rule` builds the rule of an upload waiting for a job: the upload is
abandoned when every job that names it (by its ``upload_key``) failed or was cancelled
and the last ended before the cutoff, and neither a record (any ``*_key`` column of the
schema that holds blob keys, a publication's file for instance) nor a queued or running
job of any kind names its key. An upload whose job is done is not in progress any more
(it became a publication's file, or its request was answered by the publication that
already held the same file).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import String, delete, func, select
from sqlalchemy.orm import Session

from app import audit, jobs
from app.blobs import BlobRecord, current_store
from app.db import Base
from app.uow import after_commit
from storage.base import is_key

REMOVED = "storage.abandoned_removed"
audit.label_actions(
    {REMOVED: _l("Abandoned work in progress removed")},
    {
        # Keys of their own: the labels are shared by every action's detail.
        "work_kind": _l("Kind"),
        "period_hours": _l("Hours kept"),
        "cutoff": _l("Before"),
        "removed_count": _l("Removed"),
        "removed_bytes": _l("Bytes"),
        "removed_items": _l("What"),
    },
)

#: How often the periodic task runs.
RUN_EVERY_SECONDS = 3600
#: How many removed items an audit entry names (the count covers them all).
AUDIT_ITEMS = 50


@dataclass(frozen=True)
class Abandoned:
    """One abandoned piece of work: what to call it, its size, and the rule's handle."""

    what: str
    size: int
    handle: str  # the blob key, the batch id…


#: ``find(session, cutoff, now)``: the work abandoned before ``cutoff``.
Finder = Callable[[Session, datetime, datetime], list[Abandoned]]
#: ``remove(session, item, cutoff, now)``: check ``item`` again and remove it; whether it did.
Remover = Callable[[Session, Abandoned, datetime, datetime], bool]


@dataclass(frozen=True)
class AbandonRule:
    name: str  # "catalog.uploads": the audit's subject and the report's key
    label: LazyString | str
    setting: str  # the config key of the period (0: kept for good)
    unit: timedelta  # what one unit of the setting is (a day, an hour)
    find: Finder
    remove: Remover


@dataclass
class SweepReport:
    name: str
    label: str
    period: timedelta | None  # None: the rule is off (period 0)
    cutoff: datetime | None
    found: list[Abandoned] = field(default_factory=list)
    removed: list[Abandoned] = field(default_factory=list)


_KEY = "pst.abandon_rules"


def register_rule(app: Flask, rule: AbandonRule) -> None:
    """Add a feature's rule to ``app`` (from its wiring), once per name."""
    registered: dict[str, AbandonRule] = app.extensions.setdefault(_KEY, {})
    if rule.name in registered:
        raise ValueError(f"abandon rule {rule.name!r} registered twice")
    registered[rule.name] = rule


def rules(app: Flask | None = None) -> list[AbandonRule]:
    found: dict[str, AbandonRule] = (app or current_app).extensions.get(_KEY, {})
    return sorted(found.values(), key=lambda r: r.name)


def period(config: Mapping[str, Any], rule: AbandonRule) -> timedelta | None:
    units = max(0, int(config.get(rule.setting) or 0))
    return rule.unit * units if units else None


def run(
    session: Session,
    config: Mapping[str, Any],
    now: datetime,
    rules: Iterable[AbandonRule],
    *,
    dry_run: bool,
    actor_id: int | None = None,
) -> list[SweepReport]:
    """Remove (or, with ``dry_run``, only list) what each rule finds abandoned at ``now``.

    The caller commits: blob records go with its transaction, their bytes after it.
    """
    reports = []
    for rule in rules:
        kept = period(config, rule)
        if kept is None:
            reports.append(SweepReport(rule.name, str(rule.label), None, None))
            continue
        cutoff = now - kept
        found = rule.find(session, cutoff, now)
        report = SweepReport(rule.name, str(rule.label), kept, cutoff, found)
        if not dry_run:
            report.removed = [item for item in found if rule.remove(session, item, cutoff, now)]
        if report.removed:
            audit.record(
                session,
                REMOVED,
                actor_id=actor_id,
                subject_type="abandoned_work",
                subject_id=rule.name,
                detail={
                    "work_kind": rule.name,
                    "period_hours": int(kept.total_seconds() // 3600),
                    "cutoff": cutoff.isoformat(),
                    "removed_count": len(report.removed),
                    "removed_bytes": sum(item.size for item in report.removed),
                    "removed_items": [item.what for item in report.removed[:AUDIT_ITEMS]],
                },
                at=now,
            )
        reports.append(report)
    return reports


def _run_periodically(session: Session) -> None:
    # Every jobs sweeper calls this in an app context; a second host running it at once
    # finds the records gone and removes (and audits) nothing twice.
    from app import clock
    from app.uow import unit_of_work

    with unit_of_work(session):
        run(session, current_app.config, clock.now(), rules(), dry_run=False)


jobs.periodic("storage.abandoned_sweep", every_seconds=RUN_EVERY_SECONDS)(_run_periodically)


# --- uploads waiting for a job -----------------------------------------------------------

_CHUNK = 500


def _chunks(values: Collection[str]) -> Iterator[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _params(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def named_by_records(session: Session, keys: Collection[str]) -> set[str]:
    """Which of ``keys`` a record names: any column ``*_key`` of 64 characters (a blob
    key's length) of any table but ``blobs`` itself, in whichever feature it lives."""
    named: set[str] = set()
    if not keys:
        return named
    for table in Base.metadata.sorted_tables:
        if table.name == BlobRecord.__tablename__:
            continue
        for column in table.columns:
            if not (column.name.endswith("_key") and isinstance(column.type, String)):
                continue
            if column.type.length != 64:
                continue
            for chunk in _chunks(keys):
                named.update(session.scalars(select(column).where(column.in_(chunk))))
    return named


def named_by_active_jobs(session: Session, keys: Collection[str]) -> set[str]:
    """Which of ``keys`` a queued or running job (of any kind) mentions in its inputs."""
    if not keys:
        return set()
    texts = list(session.scalars(select(jobs.Job.params).where(jobs.Job.state.in_(jobs.ACTIVE))))
    return {key for key in keys if any(key in (text or "") for text in texts)}


def upload_rule(
    name: str,
    label: LazyString | str,
    setting: str,
    job_names: Collection[str],
    *,
    param: str = "upload_key",
) -> AbandonRule:
    """The rule of uploads handed to the jobs ``job_names`` in their input ``param``."""

    def find(session: Session, cutoff: datetime, now: datetime) -> list[Abandoned]:
        ended = func.coalesce(jobs.Job.finished_at, jobs.Job.created_at)
        rows = session.execute(
            select(jobs.Job.id, jobs.Job.state, jobs.Job.params, ended).where(
                jobs.Job.name.in_(job_names)
            )
        ).all()
        last: dict[str, tuple[datetime, str, str]] = {}
        busy: set[str] = set()  # a job queued or running, or done: not abandoned
        for job_id, state, params, moment in rows:
            key = _params(params).get(param)
            if not isinstance(key, str) or not is_key(key):
                continue
            if state in jobs.ACTIVE or state == jobs.DONE:
                busy.add(key)
            elif key not in last or moment > last[key][0]:
                last[key] = (moment, job_id, state)
        # The period counts from the last job that used the file (a retry restarts it).
        due = {key for key, (moment, _, _) in last.items() if moment < cutoff} - busy
        sizes: dict[str, int] = {}
        for chunk in _chunks(due):
            for key, size in session.execute(
                select(BlobRecord.key, BlobRecord.size).where(BlobRecord.key.in_(chunk))
            ):
                sizes[key] = int(size)
        stored = set(sizes) - named_by_records(session, sizes)
        stored -= named_by_active_jobs(session, stored)
        return [
            Abandoned(f"upload {key} (job {last[key][1]}, {last[key][2]})", int(sizes[key]), key)
            for key in sorted(stored, key=lambda k: (last[k][0], k))
        ]

    def remove(session: Session, item: Abandoned, cutoff: datetime, now: datetime) -> bool:
        key = item.handle
        # Checked again at the moment of removal: a retry or a new upload of the same
        # bytes since the listing keeps the file.
        if named_by_records(session, {key}) or named_by_active_jobs(session, {key}):
            return False
        done = session.execute(delete(BlobRecord).where(BlobRecord.key == key))
        if not getattr(done, "rowcount", 0):
            return False  # another host's sweep took it
        store = current_store()
        after_commit(session, lambda: store.delete(key))
        return True

    return AbandonRule(name, label, setting, timedelta(days=1), find, remove)
