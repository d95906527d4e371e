"""Access checks for views: sign-in, verified email, staff roles.

Views use these decorators; services check object ownership themselves (a service
that returns someone's record takes the acting user and refuses others).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask_login import current_user, login_required

from app.accounts.models import Role
from app.errors import Forbidden

F = TypeVar("F", bound=Callable[..., Any])


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Allow signed-in people holding any of ``roles`` (admins hold all)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def staff_required(view: F) -> F:
    return roles_required(*(r for r in Role if r != Role.USER))(view)
