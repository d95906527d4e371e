"""The refusals of sign-in through OpenID Connect, each shown as a page in words with its
status by :mod:`app.accounts.oidc_views` and audited by its ``reason`` code; part of the
accounts exception tree (:class:`~app.accounts.errors.AccountError`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.errors import AccountError


class SsoError(AccountError):
    """A sign-in through the provider that did not succeed. ``reason`` is a short code
    for the audit trail and the logs (never a token, code or personal data)."""

    status = 400
    reason = "refused"

    def __init__(self, reason: str | None = None) -> None:
        super().__init__()
        if reason:
            self.reason = reason


class SsoNotConfigured(SsoError):
    status = 404
    reason = "not_configured"
    message = _l("Sign-in through SSO is not set up on this site.")


class SsoUnavailable(SsoError):
    status = 503
    reason = "unavailable"
    message = _l(
        "The SSO service cannot be reached right now. Please try again in a moment, "
        "or sign in with your password if your account has one."
    )


class SsoRejected(SsoError):
    """The answer was tampered with, replayed, expired or meant for someone else."""

    message = _l(
        "The sign-in through SSO could not be completed: its answer was invalid, "
        "already used or expired. Please start again."
    )


class SsoCancelled(SsoError):
    reason = "cancelled"
    message = _l("The sign-in through SSO was cancelled or refused by the SSO service.")


class SsoNoRole(SsoError):
    status = 403
    reason = "no_role"
    message = _l(
        "Your SSO account has no PST staff role. Ask the SSO administrator to grant you "
        "one. Visitors sign in with their PST account (email address and password)."
    )


class SsoNoEmail(SsoError):
    status = 403
    reason = "no_verified_email"
    message = _l(
        "Your SSO account has no verified email address, so no PST account can be "
        "linked to it. Ask the SSO administrator to verify your address."
    )


class SsoLinkConflict(SsoError):
    status = 409
    reason = "link_conflict"
    message = _l(
        "The PST account with this email address is already linked to another SSO "
        "account. Ask a PST administrator."
    )


class SsoInactive(SsoError):
    status = 403
    reason = "inactive"
    message = _l("This PST account is switched off. Ask a PST administrator.")


class LocalPasswordRefused(AccountError):
    """``LOCAL_STAFF_PASSWORDS`` is off and a staff account tried its password."""

    status = 403
    message = _l("Staff accounts sign in through SSO. Use the SSO button below.")
