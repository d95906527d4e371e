"""The unit of work: the one place where a transaction commits or rolls back.

Services never call ``commit()`` or ``rollback()``. Their caller — or the service itself,
through :func:`transactional` — opens a scope with :func:`unit_of_work`; the outermost
scope commits when its block ends and rolls back when it raises, and nested scopes join
it, so a service that calls another service commits once, at the end, with every row
lock held until then (Invenio's ``@unit_of_work``, cosmicpython's ``with uow:``).

Side effects — mail, indexing, job submission — are registered with
:func:`after_commit`: they run only once the transaction that produced them has
committed, and are dropped if it rolls back, so no mail announces a change that never
happened.

``unit_of_work(session, savepoint=True)`` opens a SAVEPOINT instead of joining, for the
rare caller that must survive a failed step (a unique-constraint race retried with
another number) without losing the rest of its transaction.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

log = logging.getLogger(__name__)

_KEY = "pst.after_commit"
_DEPTH = "pst.uow_depth"

P = ParamSpec("P")
R = TypeVar("R")

AnySession = Session | scoped_session[Session]


def _plain(session: AnySession) -> Session:
    return session() if isinstance(session, scoped_session) else session


def in_unit_of_work(session: AnySession) -> bool:
    """Whether a scope is open on ``session`` (so a commit is coming from it)."""
    return bool(_plain(session).info.get(_DEPTH, 0))


@contextmanager
def unit_of_work(session: AnySession, *, savepoint: bool = False) -> Iterator[Session]:
    """Open a transaction scope on ``session``; the outermost one commits or rolls back.

    A nested scope joins the outer transaction (an exception still reaches the outer
    scope, which rolls everything back), or with ``savepoint=True`` rolls back only its
    own part when it raises.
    """
    plain = _plain(session)
    depth = plain.info.get(_DEPTH, 0)
    plain.info[_DEPTH] = depth + 1
    try:
        if depth and savepoint:
            with plain.begin_nested():
                yield plain
        elif depth:
            yield plain
        else:
            try:
                yield plain
            except BaseException:
                plain.rollback()
                raise
            # Leave the scope before committing, so that work run after commit
            # (and anything it calls) opens scopes of its own.
            plain.info[_DEPTH] = 0
            try:
                plain.commit()
            except BaseException:
                # A commit that fails (a constraint checked at flush, a lost
                # connection) leaves the session unusable until it is rolled back.
                plain.rollback()
                raise
    finally:
        plain.info[_DEPTH] = depth


def transactional(
    func: Callable[Concatenate[Session, P], R],
) -> Callable[Concatenate[Session, P], R]:
    """Run a service (whose first argument is the session) in a unit of work.

    Called on its own, the service commits when it returns and rolls back when it
    raises; called inside another scope, it joins that scope and commits nothing.
    """

    @functools.wraps(func)
    def wrapper(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with unit_of_work(session) as plain:
            return func(plain, *args, **kwargs)

    return wrapper


def discard(session: AnySession) -> None:
    """Throw away whatever the session holds uncommitted (an error page, a lost connection).

    For the edges — error handlers, health checks, workers between jobs — never for
    services, which raise and let their scope roll back.
    """
    plain = _plain(session)
    plain.info[_DEPTH] = 0
    plain.rollback()


def end_read(session: AnySession) -> None:
    """Close a read-only transaction so its snapshot and locks are released.

    Used before long waits (a worker sleeping between sweeps) so that PostgreSQL does
    not keep an idle transaction open; nothing uncommitted may be pending.
    """
    plain = _plain(session)
    if plain.new or plain.dirty or plain.deleted:
        raise RuntimeError("end_read() with unsaved changes; use unit_of_work()")
    plain.commit()


def after_commit(session: AnySession, callback: Callable[[], object]) -> None:
    """Run ``callback`` after ``session`` next commits; forget it on rollback."""
    plain = _plain(session)
    if not plain.in_transaction():
        # Bind the callback to a transaction, so that a rollback fires its event
        # even when nothing was written yet.
        plain.begin()
    plain.info.setdefault(_KEY, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    callbacks = session.info.pop(_KEY, [])
    for callback in callbacks:
        try:
            callback()
        except Exception:
            # The data is committed; a failed side effect must not turn the request
            # into an error page. It is logged for the operator.
            log.exception("after-commit callback %r failed", callback)


@event.listens_for(Session, "after_soft_rollback")
def _drop_on_rollback(session: Session, previous_transaction: object) -> None:
    session.info.pop(_KEY, None)
