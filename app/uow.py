"""Side effects after commit (the unit of work of Invenio and cosmicpython).

Services register mail, indexing and job submission with :func:`after_commit`; the
callbacks run only once the transaction that produced them has committed, and are
dropped if it rolls back — so no mail announces a change that never happened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

log = logging.getLogger(__name__)

_KEY = "pst.after_commit"


def after_commit(
    session: Session | scoped_session[Session], callback: Callable[[], object]
) -> None:
    """Run ``callback`` after ``session`` next commits; forget it on rollback."""
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        # Bind the callback to a transaction, so that a rollback fires its event
        # even when nothing was written yet.
        session.begin()
    session.info.setdefault(_KEY, []).append(callback)


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
