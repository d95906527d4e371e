"""Access checks for views: sign-in, verified email, staff roles.

Views use these decorators; services check object ownership themselves (a service
that returns someone's record takes the acting user and refuses others).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask_login import current_user, login_required

from app.accounts.models import Role
from app.errors import Forbidden

P = ParamSpec("P")
R = TypeVar("R")


def roles_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Allow signed-in people holding any of ``roles`` (admins hold all).

    The decorated view keeps its signature for the type checker (ParamSpec)."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        def check(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.has_role(*roles):
                raise Forbidden()
            return view(*args, **kwargs)

        # flask_login is untyped: its wrapper is given back the view's signature.
        guarded: Callable[P, R] = wraps(view)(login_required(check))
        return guarded

    return decorator


def staff_required(view: Callable[P, R]) -> Callable[P, R]:
    return roles_required(*(r for r in Role if r != Role.USER))(view)
