"""Service errors on HTML pages: the one adapter from a package's exception to a flash.

A service refuses with an exception from its package's tree (``StoreError``,
``DeskError``…, all :class:`~app.errors.PSTError`). An API turns it into problem JSON
(app/errors.py); an HTML form view shows its message to the person who pressed the
button, in their language (the message is a lazy string, translated when flashed), and
then redirects back or renders the page again. Two shapes of the same adapter:

* :func:`flashed` — a ``with`` block around the service call; the error is flashed (or
  put on a form field) and swallowed, and ``outcome.failed`` says whether to go on::

      with flashed(DeskError) as outcome:
          queue.recall(db.session(), ticket_id, ...)
      return redirect(url_for("desk.console"))

* :func:`guarded` — a view decorator that turns the error into a flash and a redirect
  to the page ``back(**view_kwargs)`` names.

"Not found" (status 404) can be kept as the error page it is (``keep_not_found``): a
flash cannot point back at something that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import flash, redirect

from app import uow
from app.errors import PSTError
from app.extensions import db


@dataclass
class Outcome:
    """What a :func:`flashed` block ended with: the refused error, if any."""

    error: PSTError | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


@contextmanager
def flashed(
    *errors: type[PSTError],
    category: str = "error",
    field: Any = None,
    keep_not_found: bool = False,
) -> Iterator[Outcome]:
    """Run a service call; if it raises one of ``errors`` (default: any PSTError),
    show the message — as a flash, or on the form ``field`` when given — and carry on.
    """
    outcome = Outcome()
    caught: tuple[type[PSTError], ...] = errors or (PSTError,)
    try:
        yield outcome
    except caught as exc:
        if keep_not_found and exc.status == 404:
            raise
        outcome.error = exc
        message = str(exc.message)  # the lazy message, in the user's language
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, category)


def guarded(
    back: Callable[..., str], *errors: type[PSTError], keep_not_found: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Turn a service error (other than not found) raised by the view into a flash on
    the page ``back(**view_kwargs)``; what the request had changed is thrown away."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            with flashed(*errors, keep_not_found=keep_not_found) as outcome:
                return view(*args, **kwargs)
            # The service's own scope rolled back; this drops what the view itself
            # left in the session (the page it redirects to starts clean).
            assert outcome.failed
            uow.discard(db.session())
            return redirect(back(**kwargs))

        return wrapped

    return decorator
