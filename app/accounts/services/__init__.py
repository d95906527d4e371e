"""Account services: plain functions with explicit inputs (session, mailer, signer, clock).

Each public function that writes is :func:`~app.uow.transactional`: on its own it commits
on success (or rolls back and raises an :class:`~app.accounts.errors.AccountError`),
inside a caller's unit of work it joins it; mail leaves after commit.

The modules, each named for what it holds: :mod:`~.addresses` (the address rule),
:mod:`~.registration` (registering, verifying an address), :mod:`~.sign_in` (signing in
and out), :mod:`~.password_reset`, :mod:`~.profile` (what a person changes on their own
account), :mod:`~.staff` (administering accounts), :mod:`~.api_tokens`, and what they
share: :mod:`~.links` (the links mails carry) and :mod:`~.trail` (the audit trail).
Callers import them from here; :mod:`~.two_factor` (authenticator and recovery codes)
is imported as a module (``services.two_factor.check_code``).
"""

from __future__ import annotations

from app.accounts.services.addresses import check_email, find_by_email, normalise_email
from app.accounts.services.api_tokens import (
    create_api_token,
    revoke_api_token,
    user_for_api_token,
)
from app.accounts.services.links import LinkMaker, Links
from app.accounts.services.password_reset import (
    request_password_reset,
    reset_password,
    user_for_reset_token,
)
from app.accounts.services.profile import (
    PROFILE_FIELDS,
    change_password,
    set_locale,
    update_profile,
)
from app.accounts.services.registration import register, resend_verification, verify_email
from app.accounts.services.sign_in import authenticate, end_sessions, sign_out
from app.accounts.services.staff import change_role, create_staff, set_active

__all__ = [
    "PROFILE_FIELDS",
    "LinkMaker",
    "Links",
    "authenticate",
    "change_password",
    "change_role",
    "check_email",
    "create_api_token",
    "create_staff",
    "end_sessions",
    "find_by_email",
    "normalise_email",
    "register",
    "request_password_reset",
    "resend_verification",
    "reset_password",
    "revoke_api_token",
    "set_active",
    "set_locale",
    "sign_out",
    "update_profile",
    "user_for_api_token",
    "user_for_reset_token",
    "verify_email",
]
